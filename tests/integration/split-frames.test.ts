// A tab that kept changes of several page loads offline sends them in frames the server accepts.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { shouldReconnect } from '../../src/lib/collab/reconnect.ts';
import { splittingWebSocket } from '../../src/lib/collab/split-frames.ts';
import { connectClient } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Three page loads' worth of offline shapes, 30 KB each: ~90 KB in one sync step 2, over a 64 KiB limit. */
function offlineDoc(): Y.Doc {
	const doc = new Y.Doc();
	for (let i = 0; i < 3; i++) {
		const session = new Y.Doc();
		session.getMap('shapes').set(`s${i}`, String(i).repeat(30_000));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(session));
	}
	return doc;
}

function connect(wsUrl: string, room: string, doc: Y.Doc, split: boolean) {
	const Socket = split ? splittingWebSocket(WebSocket as never) : WebSocket;
	const provider = new WebsocketProvider(wsUrl, room, doc, { WebSocketPolyfill: Socket as never, disableBc: true, shouldReconnect });
	cleanups.push(() => provider.destroy());
	let closedWith: number | null = null;
	provider.on('closed', (event) => (closedWith = event.code));
	return { provider, closedWith: () => closedWith };
}

describe('splitting large sync frames per client id', () => {
	it('gets a step 2 over MAX_FRAME_BYTES stored, where the unsplit frame is refused with 1009', async () => {
		const server = await startTestServer({ maxFrameBytes: 64 * 1024 });
		cleanups.push(() => server.stop());

		const plain = connect(server.wsUrl, 'unsplit', offlineDoc(), false);
		await waitFor(() => plain.closedWith() !== null, 'the unsplit client to be refused');
		expect(plain.closedWith()).toBe(1009);

		const split = connect(server.wsUrl, 'split', offlineDoc(), true);
		await waitFor(() => split.provider.synced, 'the split client to sync');
		const fresh = await connectClient(server.wsUrl, 'split');
		cleanups.push(() => fresh.destroy());
		await waitFor(() => fresh.shapes.size === 3, 'every session to reach the server');
		expect(split.closedWith()).toBeNull();
		expect((fresh.shapes.get('s2') as string).length).toBe(30_000);
	});
});
