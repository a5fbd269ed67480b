// Three Boardwalk processes on one PostgreSQL and one Redis, stock y-websocket clients spread over them: every rule of docs/cluster.md.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { connectClient, openRaw, type TestClient } from '../helpers/clients.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait.ts';
import { PostgresStorage } from '../../server/storage/postgres.ts';

let cluster: TestCluster;
const clients: TestClient[] = [];

beforeAll(async () => {
	// Short intervals so that the bounds the tests wait for are seconds, not the defaults' tens of seconds.
	cluster = await startCluster(3, { CLUSTER_CATCH_UP_MS: '200', CLUSTER_PROCESS_TIMEOUT_MS: '1500', ROOM_UNLOAD_DELAY_MS: '60000' });
}, 120_000);
afterEach(() => {
	for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
	await cluster?.stop();
});

async function client(process: number, board: string, awareness = false): Promise<TestClient> {
	const c = await connectClient(cluster.processes[process]!.wsUrl, board, { awareness });
	clients.push(c);
	return c;
}

async function storedShapes(board: string): Promise<Record<string, unknown>> {
	const storage = await PostgresStorage.open(cluster.postgres.url, { cluster: true });
	try {
		const stored = await storage.load(board);
		const doc = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		return doc.getMap('shapes').toJSON();
	} finally {
		await storage.close();
	}
}

describe('cluster', () => {
	it('relays strokes and presence between clients on different processes', async () => {
		const [a, b, c] = await Promise.all([client(0, 'spread', true), client(1, 'spread', true), client(2, 'spread', true)]);
		a.shapes.set('from-a', 1);
		b.shapes.set('from-b', 2);
		c.shapes.set('from-c', 3);
		for (const x of [a, b, c]) await waitFor(() => x.shapes.size === 3, 'every client to see the three strokes');
		a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
		const seesAda = (x: TestClient) => [...x.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Ada');
		await waitFor(() => seesAda(b) && seesAda(c), 'the clients on the other processes to see Ada');
		expect(await storedShapes('spread')).toEqual({ 'from-a': 1, 'from-b': 2, 'from-c': 3 });
	});

	it('delivers an update that was stored but never published, within the catch-up bound', async () => {
		const [a, b] = await Promise.all([client(0, 'unpublished'), client(1, 'unpublished')]);
		a.shapes.set('first', 1);
		await waitFor(() => b.shapes.size === 1, 'b to see the first stroke');
		// A writer that dies between "stored" and "published": the update is in the log, on no bus.
		const writer = await PostgresStorage.open(cluster.postgres.url, { cluster: true });
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc));
		const before = Y.encodeStateVector(doc);
		doc.getMap('shapes').set('orphan', 'stored');
		await writer.append('unpublished', [Y.encodeStateAsUpdate(doc, before)]);
		await writer.close();
		await waitFor(() => a.shapes.get('orphan') === 'stored' && b.shapes.get('orphan') === 'stored', 'both clients to get the unpublished update from storage');
	});
});
