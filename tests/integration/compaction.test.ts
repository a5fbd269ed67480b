// When a room's update log is folded into a snapshot: often for small boards, in proportion for big ones, and at rest.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startTestServer, storageWith, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	await server?.stop();
});

/** A server over real SQLite that counts compactions. */
async function countingServer(options: { compactAfterUpdates: number; compactWhenIdleMs: number }) {
	const dataDir = tempDataDir();
	const real = openSqliteStorage(dataDir);
	const compactions: number[] = [];
	const storage = storageWith(real, {
		compact: async (room, snapshot, seq) => {
			await real.compact(room, snapshot, seq);
			compactions.push(snapshot.byteLength);
		}
	});
	server = await startTestServer({ storage, dataDir, ...options });
	const c = await connectClient(server.wsUrl, 'board');
	clients.push(c);
	return { c, compactions };
}

/** Writes `count` small updates and waits until the server stored them all. */
async function writeSmall(c: TestClient, from: number, count: number): Promise<void> {
	for (let i = from; i < from + count; i++) c.shapes.set(`s${i}`, i);
	const expected = from + count;
	await waitFor(async () => {
		const doc = new Y.Doc();
		const stored = await server.storage.load('board');
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(doc, u);
		return doc.getMap('shapes').has(`s${expected - 1}`);
	}, `update s${expected - 1} to be stored`);
}

describe('compaction', () => {
	it('compacts a small board every COMPACT_AFTER_UPDATES updates, a big one only once its log is a quarter of the snapshot', async () => {
		const { c, compactions } = await countingServer({ compactAfterUpdates: 5, compactWhenIdleMs: 3_600_000 });
		// Small board: the fifth update compacts.
		await writeSmall(c, 0, 5);
		await waitFor(() => compactions.length === 1, 'the first compaction');

		// Make the board big (~200 KB): that log outweighs the small snapshot, so the fifth update folds it.
		c.shapes.set('big', 'x'.repeat(200_000));
		await writeSmall(c, 5, 4);
		await waitFor(() => compactions.length === 2, 'the log with the big update to fold');
		expect(compactions[1]).toBeGreaterThan(200_000);
		// Ten small updates are far less than a quarter of the big snapshot: no compaction.
		await writeSmall(c, 9, 10);
		expect(compactions).toHaveLength(2);
		expect((await server.storage.load('board')).updates.length).toBeGreaterThanOrEqual(10);

		// A log that grows to a quarter of the snapshot compacts.
		c.shapes.set('medium', 'y'.repeat(60_000));
		await waitFor(() => compactions.length === 3, 'the log that reached a quarter of the snapshot to fold');
		expect((await server.storage.load('board')).updates).toHaveLength(0);
	});

	it('compacts a board at rest, whatever the size of its log', async () => {
		const { c, compactions } = await countingServer({ compactAfterUpdates: 1_000, compactWhenIdleMs: 300 });
		await writeSmall(c, 0, 3);
		expect(compactions).toHaveLength(0);
		await waitFor(() => compactions.length === 1, 'the idle compaction');
		const stored = await server.storage.load('board');
		expect(stored.updates).toHaveLength(0);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, stored.snapshot!);
		expect(doc.getMap('shapes').toJSON()).toEqual({ s0: 0, s1: 1, s2: 2 });
		// The room keeps serving after it compacted.
		await writeSmall(c, 3, 1);
	});
});
