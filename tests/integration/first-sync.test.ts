// A board session's first big sync is applied without Yjs encoding it again for the doc's 'update' event;
// the changes that follow are encoded as usual (this browser's copy stores them one by one).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BULK_SYNC_MIN_ITEMS, itemsAdded } from '../../src/lib/collab/doc-updates.ts';
import { connectClient } from '../helpers/clients.ts';
import { nodeSession } from './node-session.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * For each transaction of `doc`: the items it added, and whether Yjs encodes it for 'update' listeners,
 * which it does when one is subscribed once the 'afterTransactionCleanup' listeners (this one last) have run. Yjs has no
 * public way to ask, so the test reads the listener table (the session only subscribes and unsubscribes).
 */
function watchEncoding(doc: Y.Doc): Array<{ items: number; encoded: boolean }> {
	const seen: Array<{ items: number; encoded: boolean }> = [];
	doc.on('afterTransactionCleanup', (tr: Y.Transaction) => seen.push({ items: itemsAdded(tr), encoded: doc._observers.has('update') }));
	return seen;
}

describe('the first sync of a big board', () => {
	it('is not encoded again for the update event, while the changes after it are', async () => {
		const server = await startTestServer();
		cleanups.push(() => server.stop());
		const builder = await connectClient(server.wsUrl, 'big');
		cleanups.push(() => builder.destroy());
		const shapes = builder.doc.getMap('shapes');
		builder.doc.transact(() => {
			for (let i = 0; i < BULK_SYNC_MIN_ITEMS; i++) shapes.set(`s${i}`, i);
		});
		const check = await connectClient(server.wsUrl, 'big');
		cleanups.push(() => check.destroy());
		await waitFor(() => check.shapes.size === BULK_SYNC_MIN_ITEMS, 'the server to hold the board');

		const doc = new Y.Doc();
		const session = nodeSession(server.wsUrl, 'big', doc);
		cleanups.push(() => session.destroy());
		// After the session's own listeners, so it sees what Yjs will see.
		const seen = watchEncoding(doc);
		await waitFor(() => session.status === 'connected', 'the first sync');
		expect(doc.getMap('shapes').size).toBe(BULK_SYNC_MIN_ITEMS);
		expect(seen.filter((t) => t.items >= BULK_SYNC_MIN_ITEMS)).toEqual([{ items: BULK_SYNC_MIN_ITEMS, encoded: false }]);

		shapes.set('later', 1); // a peer's change, once synced
		await waitFor(() => doc.getMap('shapes').has('later'), 'the peer’s change');
		doc.getMap('shapes').set('mine', 1);
		expect(seen.slice(-2)).toEqual([
			{ items: 1, encoded: true },
			{ items: 1, encoded: true }
		]);
		await waitFor(() => check.shapes.has('mine'), 'our change to reach the server');
	});
});
