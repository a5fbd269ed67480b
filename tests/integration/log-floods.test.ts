// What clients can make the server log: presence echoes not at all, every warning at most a few times a minute per kind, upgrades on app routes without a trace.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LOG_LINES_PER_KIND_PER_WINDOW } from '../../server/log-limiter.ts';
import { createLogger } from '../../server/log.ts';
import { connectClient, openRaw, type TestClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
let lines: Array<{ level: number; msg: string; stack?: string; err?: { stack?: string } }> = [];

async function start(options: TestServerOptions = {}): Promise<void> {
	lines = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
			done();
		}
	});
	server = await startTestServer({ ...options, log: createLogger('info', sink) });
}

afterEach(async () => {
	await server.stop();
});

const warnings = () => lines.filter((line) => line.level >= 40);

describe('log floods', () => {
	it('drops the presence echoes of stock clients without a log line', async () => {
		await start();
		const clients: TestClient[] = [];
		for (let i = 0; i < 5; i++) {
			const client = await connectClient(server.wsUrl, 'cursors', { awareness: true });
			client.provider.awareness.setLocalStateField('user', { name: `P${i}`, color: '#e11d48' });
			clients.push(client);
		}
		// Everyone moves a cursor; each client sends back every state it receives (y-websocket does).
		for (let step = 0; step < 20; step++) {
			for (const [i, client] of clients.entries()) client.provider.awareness.setLocalStateField('cursor', { x: step, y: i });
		}
		await waitFor(
			() => clients.every((c) => [...c.provider.awareness.getStates().values()].every((s) => (s as { cursor?: { x: number } }).cursor?.x === 19)),
			'everyone to see every last cursor'
		);
		// A change after it, seen by all: the echoes of everything before have been handled.
		clients[0]!.doc.getMap('shapes').set('done', true);
		await waitFor(() => clients.every((c) => c.doc.getMap('shapes').get('done') === true), 'a later change to arrive');
		expect(warnings()).toEqual([]);
		for (const client of clients) client.destroy();
	});

	it(`writes at most ${LOG_LINES_PER_KIND_PER_WINDOW} lines a minute of a warning any client can trigger`, async () => {
		await start();
		for (let i = 0; i < 100; i++) {
			const raw = await openRaw(server.wsUrl, 'garbage');
			raw.socket.send(new Uint8Array([7, 1, 2]));
			await raw.closed;
		}
		const badFrames = warnings().filter((line) => line.msg === 'bad frame, closing connection');
		expect(badFrames).toHaveLength(LOG_LINES_PER_KIND_PER_WINDOW);
	});
});

describe('upgrade requests on app routes', () => {
	it('answers 400 without reaching the web app and without a stack trace in the log', async () => {
		let reached = 0;
		await start({
			fallback: () => {
				reached++;
				throw new Error('the web app was handed an upgrade');
			}
		});
		for (const path of ['/b/x', '/', '/preview/x']) {
			const status = await new Promise<number>((resolve, reject) => {
				const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`);
				socket.on('unexpected-response', (_request, response) => {
					resolve(response.statusCode ?? 0);
					response.resume();
				});
				socket.on('open', () => reject(new Error(`${path} accepted an upgrade`)));
				socket.on('error', () => {});
			});
			expect([400, 426]).toContain(status);
		}
		expect(reached).toBe(0);
		expect(lines.filter((line) => line.level >= 50 || line.stack || line.err?.stack)).toEqual([]);
	});
});
