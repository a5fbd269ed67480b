// Sockets keep no upgrade garbage: open connections release their Hono context, refused handshakes leave nothing pending.
import type { Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/log.ts';
import { RoomRegistry } from '../../server/rooms/registry.ts';
import { SocketServer } from '../../server/sockets/server.ts';
import { MemoryStorage } from '../../server/storage/memory.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { testAuthorizer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const contexts: Array<WeakRef<Context>> = [];
let server: Server;
let sockets: SocketServer;
let wsUrl: string;
let port: number;
const clients: TestClient[] = [];

beforeAll(async () => {
	const log = createLogger('silent');
	const storage = new MemoryStorage();
	const registry = new RoomRegistry({ storage, log, unloadDelayMs: 50 });
	sockets = new SocketServer({ registry, log, maxFrameBytes: 1024 * 1024 });
	const app = new Hono();
	// Runs before the app's routes, with the same context, for every socket request: a way to watch the context's lifetime.
	app.use('*', async (c, next) => {
		contexts.push(new WeakRef(c));
		await next();
	});
	app.route('/', createApp({ registry, sockets, log, auth: testAuthorizer(storage, log) }));
	server = await new Promise<Server>((resolve) => {
		const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: sockets.wss } }, () => resolve(s as Server));
	});
	port = (server.address() as AddressInfo).port;
	wsUrl = `ws://127.0.0.1:${port}/ws`;
});

afterAll(() => {
	for (const client of clients) client.destroy();
	sockets.close();
	server.close();
	server.closeAllConnections();
});

it('releases the upgrade context of open connections, which still relay and sync', async () => {
	const writer = await connectClient(wsUrl, 'released');
	const reader = await connectClient(wsUrl, 'released');
	clients.push(writer, reader);
	expect(contexts).toHaveLength(2);

	await waitFor(() => {
		collectGarbage();
		return contexts.every((ref) => ref.deref() === undefined);
	}, 'the upgrade contexts to be garbage collected');

	writer.shapes.set('s1', 'after the contexts were collected');
	await waitFor(() => reader.shapes.get('s1') === 'after the contexts were collected', 'the update to reach the reader');
	const late = await connectClient(wsUrl, 'released');
	clients.push(late);
	expect(late.shapes.get('s1')).toBe('after the contexts were collected');
});

/** Sends a raw upgrade request and resolves with the server's status line. */
function rawUpgrade(headers: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET /ws/refused HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`));
		let reply = '';
		socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
		socket.on('close', () => resolve(reply.split('\r\n')[0]!));
		socket.on('error', reject);
	});
}

it('leaves nothing behind for a handshake ws would refuse (bad key, version or subprotocol)', async () => {
	const before = contexts.length;
	const upgrade = 'Connection: Upgrade\r\nUpgrade: websocket\r\n';
	const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
	const refused = [
		`${upgrade}Sec-WebSocket-Key: not-a-key\r\nSec-WebSocket-Version: 13\r\n`,
		`${upgrade}${key}Sec-WebSocket-Version: 99\r\n`,
		`${upgrade}${key}Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a, a\r\n`,
		`${upgrade}${key}Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a b\r\n`
	];
	for (const headers of refused) expect(await rawUpgrade(headers)).toMatch(/^HTTP\/1\.1 400 /);
	await waitFor(() => {
		collectGarbage();
		return contexts.slice(before).every((ref) => ref.deref() === undefined);
	}, 'the refused requests to be garbage collected');
	// The server still upgrades a valid handshake.
	const client = await connectClient(wsUrl, 'after-refusals');
	clients.push(client);
	expect(client.provider.synced).toBe(true);
});
