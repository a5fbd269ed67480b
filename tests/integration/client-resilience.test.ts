// The browser's collab layer in Node with stock providers: "saved" means stored on the server, and tabs reconnect by themselves.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { Reconnector, shouldReconnect } from '../../src/lib/collab/reconnect.ts';
import { SaveTracker } from '../../src/lib/collab/saved.ts';
import { connectClient } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { heldAppends, startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function browserLikeClient(wsUrl: string, room: string) {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(wsUrl, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, shouldReconnect });
	const saves = new SaveTracker(provider, doc);
	const reconnector = new Reconnector(provider, () => 0); // no jitter: the test's waits stay short
	cleanups.push(() => {
		saves.destroy();
		reconnector.destroy();
		provider.destroy();
	});
	return { doc, provider, saves, reconnector, shapes: doc.getMap<number>('shapes') };
}

describe('saved indicator', () => {
	it('says saved only once the server has stored the change', async () => {
		const dataDir = tempDataDir();
		let gate = false;
		const { storage, held } = heldAppends(dataDir, () => gate);
		const server: TestServer = await startTestServer({ storage, dataDir });
		cleanups.push(() => server.stop());
		const client = browserLikeClient(server.wsUrl, 'saving');
		await waitFor(() => client.provider.synced, 'the first sync');
		expect(client.saves.state).toBe('saved');

		gate = true;
		client.shapes.set('a', 1);
		expect(client.saves.state).toBe('saving');
		await waitFor(() => held.length === 1, 'the append to reach storage');
		// Let the confirmation request go out and reach the server, proven by a later frame's echo.
		const sent: Uint8Array[] = [];
		const ws = client.provider.ws!;
		const send = ws.send.bind(ws);
		ws.send = (data) => {
			sent.push(new Uint8Array(data as ArrayBuffer));
			send(data);
		};
		await waitFor(() => sent.some((f) => f[0] === 0 && f[1] === 0), 'the confirmation request', 5_000);
		let echoed = false;
		client.provider.awareness.on('update', () => (echoed = true));
		client.provider.awareness.setLocalStateField('probe', 1);
		await waitFor(() => echoed, 'the awareness echo');
		expect(client.saves.state).toBe('saving');

		held.shift()!();
		await waitFor(() => client.saves.state === 'saved', 'saved after the append');
		expect((await storage.load('saving')).updates.length).toBeGreaterThan(0);
	});
});

describe('reconnection', () => {
	it('reconnects by itself after the server restarts and pushes what was drawn meanwhile', async () => {
		const first: ServerProcess = await startServerProcess();
		const client = browserLikeClient(first.wsUrl, 'restart');
		await waitFor(() => client.provider.synced, 'the first sync');
		client.shapes.set('before', 1);
		await waitFor(() => client.saves.state === 'saved', 'the first change to be saved');

		first.child.kill('SIGKILL');
		await first.exited;
		await waitFor(() => !client.provider.wsconnected, 'the client to notice');
		client.shapes.set('offline', 2);
		expect(client.saves.state).toBe('unsaved');

		const second = await startServerProcess({ dataDir: first.dataDir, port: first.port });
		cleanups.push(() => second.child.kill('SIGKILL'));
		await waitFor(() => client.saves.state === 'saved', 'the offline change to be saved after reconnecting', 20_000);
		const fresh = await connectClient(second.wsUrl, 'restart');
		cleanups.push(() => fresh.destroy());
		expect(fresh.shapes.toJSON()).toEqual({ before: 1, offline: 2 });
	});

	it('stops retrying after a fatal close and leaves the reason to show', async () => {
		const server = await startTestServer({ maxFrameBytes: 64 * 1024 });
		cleanups.push(() => server.stop());
		const client = browserLikeClient(server.wsUrl, 'fatal');
		await waitFor(() => client.provider.synced, 'the first sync');
		const closes: number[] = [];
		client.provider.on('connection-close', (event) => event && closes.push(event.code));
		let closedFor: number | null = null;
		client.provider.on('closed', (event) => (closedFor = event.code));
		client.shapes.set('huge', 'x'.repeat(100 * 1024) as unknown as number);
		await waitFor(() => closedFor !== null, 'the provider to give up');
		expect(closedFor).toBe(1009);
		expect(client.provider.shouldConnect).toBe(false);
		expect(client.reconnector.state.nextAttemptAt).toBeNull();
		expect(closes).toEqual([1009]);
	});
});
