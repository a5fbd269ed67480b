// Stock y-websocket clients syncing through a real server: convergence, late joiners, room isolation, one load per room.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, openRaw, type RawSocket, type TestClient } from '../helpers/clients.ts';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1 } from '../../src/lib/shared/wire.ts';
import { encodeSyncStep1 } from '../../server/frames.ts';
import { heldAppends, startTestServer, storageWith, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';

let server: TestServer;
const clients: TestClient[] = [];

async function client(room: string): Promise<TestClient> {
	const c = await connectClient(server.wsUrl, room);
	clients.push(c);
	return c;
}

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	await server?.stop();
});

// Sorted, since a Y.Map's key order depends on the order updates arrived in.
const stateOf = (c: TestClient) => JSON.stringify(Object.entries(c.shapes.toJSON()).sort(([a], [b]) => a.localeCompare(b)));

describe('sync', () => {
	it('converges when several clients write the same room at once', async () => {
		server = await startTestServer();
		const writers = await Promise.all([client('conv'), client('conv'), client('conv')]);
		writers.forEach((w, i) => {
			for (let n = 0; n < 50; n++) {
				const shape = new Y.Map<unknown>();
				shape.set('x', n);
				w.shapes.set(`w${i}-${n}`, shape);
			}
			// Concurrent writes to one property of one shared key: all must agree on one winner.
			w.shapes.set('contested', `writer ${i}`);
		});
		await waitFor(() => writers.every((w) => w.shapes.size === 151), 'every writer to see 151 shapes');
		await waitFor(() => new Set(writers.map(stateOf)).size === 1, 'identical state everywhere');
	});

	it('gives a late joiner everything written before it came', async () => {
		server = await startTestServer();
		const early = await client('late');
		for (let n = 0; n < 20; n++) early.shapes.set(`s${n}`, n);
		const late = await client('late');
		await waitFor(() => late.shapes.size === 20, 'late joiner to receive 20 shapes');
		expect(stateOf(late)).toBe(stateOf(early));
	});

	it('keeps rooms apart', async () => {
		server = await startTestServer();
		const a = await client('room-a');
		const b = await client('room-b');
		const a2 = await client('room-a');
		a.shapes.set('only-in-a', 1);
		await waitFor(() => a2.shapes.has('only-in-a'), 'second client of room-a to see the write');
		b.shapes.set('only-in-b', 1);
		const b2 = await client('room-b');
		await waitFor(() => b2.shapes.has('only-in-b'), 'second client of room-b to see its write');
		expect(b2.shapes.has('only-in-a')).toBe(false);
		expect(a2.shapes.has('only-in-b')).toBe(false);
	});

	it('loads a room from storage once however many clients join at the same moment', async () => {
		const dataDir = tempDataDir();
		const real = openSqliteStorage(dataDir);
		let loads = 0;
		const counting = storageWith(real, {
			load: (room) => {
				loads++;
				return real.load(room);
			}
		});
		server = await startTestServer({ storage: counting, dataDir });
		await Promise.all(Array.from({ length: 10 }, () => client('crowd')));
		expect(loads).toBe(1);
	});

	it('reports rooms and connections on /metrics, and only "ok" on /healthz', async () => {
		server = await startTestServer();
		await client('health');
		await client('health');
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		expect(metrics).toMatch(/^boardwalk_rooms 1$/m);
		expect(metrics).toMatch(/^boardwalk_connections 2$/m);
		expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
	});

	it('gives every fresh joiner the board as it is now, also after changes between joins', async () => {
		server = await startTestServer();
		const writer = await client('fresh');
		writer.shapes.set('x', 1);
		const first = await client('fresh');
		await waitFor(() => first.shapes.get('x') === 1, 'the first joiner to get x');
		writer.shapes.set('x', 2);
		writer.shapes.set('y', 3);
		await waitFor(() => first.shapes.get('y') === 3, 'the change to reach the first joiner');
		// Fresh joiners share one encoded copy of the board; a change must replace it.
		const second = await client('fresh');
		expect(second.shapes.toJSON()).toEqual({ x: 2, y: 3 });
	});

	it('unloads an empty room after the grace period, with its state compacted into storage', async () => {
		server = await startTestServer({ roomUnloadDelayMs: 20 });
		const c = await client('idle');
		c.shapes.set('kept', 42);
		await waitFor(async () => (await server.storage.load('idle')).updates.length > 0, 'the update to be stored');
		c.destroy();
		await waitFor(() => server.boardwalk.registry.roomCount === 0, 'the room to unload');
		const stored = await server.storage.load('idle');
		expect(stored.updates).toHaveLength(0);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, stored.snapshot!);
		expect(doc.getMap('shapes').get('kept')).toBe(42);
	});
});

describe('unload races', () => {
	it('keeps every write when clients leave and rejoin while the room is unloading', async () => {
		server = await startTestServer({ roomUnloadDelayMs: 0 });
		for (let round = 0; round < 15; round++) {
			const c = await connectClient(server.wsUrl, 'churn');
			expect(c.shapes.size).toBe(round);
			const observer = await connectClient(server.wsUrl, 'churn');
			c.shapes.set(`r${round}`, round);
			await waitFor(() => observer.shapes.has(`r${round}`), `round ${round} to be relayed`);
			c.destroy();
			observer.destroy();
		}
		await waitFor(() => server.boardwalk.registry.roomCount === 0, 'the room to unload at the end');
	});
});

describe('durable before relayed', () => {
	it('relays an update, and answers a sync, only after storage confirmed the update', async () => {
		const dataDir = tempDataDir();
		const { storage, held } = heldAppends(dataDir);
		server = await startTestServer({ storage, dataDir });
		const writer = await client('gate');
		const peer = await openRaw(server.wsUrl, 'gate');
		await waitFor(() => peer.frames.length >= 1, 'the peer greeting');
		writer.shapes.set('k', 'v');
		await waitFor(() => held.length === 1, 'the append to start');

		// A late joiner asks for everything (sync step 1 with an empty state vector).
		const late = await openRaw(server.wsUrl, 'gate');
		late.socket.send(encodeSyncStep1(new Uint8Array([0])));
		// Awareness queries are answered at once; a reply proves every earlier send already reached the socket.
		const answered = async (raw: RawSocket) => {
			const seen = raw.frames.length;
			raw.socket.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]));
			await waitFor(() => raw.frames.slice(seen).some((f) => f[0] === MESSAGE_AWARENESS), 'the awareness reply');
		};
		await answered(peer);
		await answered(late);
		const isSync = (f: Uint8Array) => f[0] === MESSAGE_SYNC && f[1] !== SYNC_STEP1;
		expect(peer.frames.filter(isSync)).toHaveLength(0);
		expect(late.frames.filter(isSync)).toHaveLength(0);

		held.shift()!();
		await waitFor(() => peer.frames.some(isSync), 'the peer to receive the stored update');
		await waitFor(() => late.frames.some(isSync), 'the late joiner to receive its sync reply');
		peer.socket.close();
		late.socket.close();
	});
});
