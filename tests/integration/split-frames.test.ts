// A tab that kept changes of several page loads offline sends them in frames the server accepts.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { connectClient } from '../helpers/clients.ts';
import { nodeSession } from './node-session.ts';
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

describe('splitting large sync frames per client id', () => {
	it('gets a step 2 over MAX_FRAME_BYTES stored, where a stock client’s unsplit frame is refused with 1009', async () => {
		const server = await startTestServer({ maxFrameBytes: 64 * 1024 });
		cleanups.push(() => server.stop());

		const stock = new WebsocketProvider(server.wsUrl, 'unsplit', offlineDoc(), { WebSocketPolyfill: WebSocket as never, disableBc: true });
		cleanups.push(() => stock.destroy());
		const refused = new Promise<number>((resolve) => stock.on('connection-close', (event) => event && resolve(event.code)));
		expect(await refused).toBe(1009);

		const session = nodeSession(server.wsUrl, 'split', offlineDoc());
		cleanups.push(() => session.destroy());
		await waitFor(() => session.status === 'connected', 'the session to sync');
		const fresh = await connectClient(server.wsUrl, 'split');
		cleanups.push(() => fresh.destroy());
		await waitFor(() => fresh.shapes.size === 3, 'every page load’s shapes to reach the server');
		expect(session.lastCloseCode).toBeNull();
		expect((fresh.shapes.get('s2') as string).length).toBe(30_000);
	});
});
