// PostgreSQL in cluster mode: seqs allocated by the database under concurrent appenders, shared and exclusive locks refusing each other, schema 1 → 2, readSince, heads, fenced compaction leases.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type Service } from '../../tests/helpers/services.ts';
import { waitFor } from '../../tests/helpers/wait.ts';
import { SCHEMA_VERSION, WRITER_LOCK_KEY, openPostgresStorage, type PostgresStorage } from './postgres.ts';
import { StoreInUseError, isClusterStorage } from './types.ts';

let postgres: Service;
let admin: pg.Client;
let databases = 0;
/** Everything a test opened, closed after it even when it failed half way. */
const opened: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
	postgres = await startPostgres();
	admin = new pg.Client({ connectionString: postgres.url });
	await admin.connect();
}, 60_000);
afterEach(async () => {
	for (const resource of opened.splice(0).reverse()) await resource.close().catch(() => {});
});
afterAll(async () => {
	await admin?.end();
	await postgres?.stop();
});

/** A fresh, empty database on the test's PostgreSQL. */
async function freshDatabase(): Promise<string> {
	const name = `cluster_${++databases}`;
	await admin.query(`CREATE DATABASE ${name}`);
	const url = new URL(postgres.url);
	url.pathname = `/${name}`;
	return url.toString();
}

/** A cluster-mode (shared lock) or single-mode (exclusive lock) store, closed after the test. */
async function open(url: string, cluster: boolean): Promise<PostgresStorage> {
	const storage = await openPostgresStorage(url, { cluster });
	opened.push(storage);
	return storage;
}

/** A plain session on the database: the test's own view of what is stored. */
async function session(url: string): Promise<pg.Client> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	opened.push({ close: () => client.end() });
	return client;
}

async function logRows(client: pg.Client, room: string): Promise<{ seq: number; data: number[] }[]> {
	const rows = (await client.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM log WHERE room = $1 ORDER BY seq', [room])).rows;
	return rows.map((r) => ({ seq: Number(r.seq), data: [...r.data] }));
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe('postgres storage in cluster mode', () => {
	it('gives concurrent appenders of one room, in two processes, contiguous unique seqs and stores every update once', async () => {
		const url = await freshDatabase();
		const [a, b] = [await open(url, true), await open(url, true)];
		const BATCHES_EACH = 50;
		// Batches of 1 to 3 updates; each update's bytes say whose batch and which update it is.
		const batch = (writer: number, i: number) => Array.from({ length: (i % 3) + 1 }, (_, j) => bytes(writer, i, j));
		const appends = [];
		for (let i = 0; i < BATCHES_EACH; i++) {
			for (const [writer, storage] of [a, b].entries()) {
				const updates = batch(writer, i);
				appends.push(storage.append('room', updates).then((lastSeq) => ({ updates, lastSeq })));
			}
		}
		const results = await Promise.all(appends);

		const client = await session(url);
		const rows = await logRows(client, 'room');
		const total = results.reduce((n, r) => n + r.updates.length, 0);
		expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
		const bySeq = new Map(rows.map((r) => [r.seq, r.data]));
		for (const { updates, lastSeq } of results) {
			// The batch sits at lastSeq - n + 1 … lastSeq, in its order.
			expect(updates.map((_, j) => bySeq.get(lastSeq - updates.length + 1 + j))).toEqual(updates.map((u) => [...u]));
		}
		expect(new Set(rows.map((r) => r.data.join())).size).toBe(total);
		expect((await a.load('room')).lastSeq).toBe(total);
		expect(await b.append('room', [bytes(9)])).toBe(total + 1);
	});

	it('lets cluster processes share a database while a single-mode process and cluster processes refuse each other', async () => {
		const url = await freshDatabase();
		const single = await open(url, false);
		const refusedCluster = await openPostgresStorage(url, { cluster: true }).catch((e: unknown) => e);
		expect(refusedCluster).toBeInstanceOf(StoreInUseError);
		expect((refusedCluster as StoreInUseError).holder).toMatch(/^a single Boardwalk process \(not in cluster mode\): boardwalk process /);
		await single.close();

		const [a, b] = [await open(url, true), await open(url, true)];
		expect(isClusterStorage(a)).toBe(true);
		expect(await a.append('room', [bytes(1)])).toBe(1);
		expect(await b.append('room', [bytes(2)])).toBe(2);
		const refusedSingle = await openPostgresStorage(url, { cluster: false }).catch((e: unknown) => e);
		expect(refusedSingle).toBeInstanceOf(StoreInUseError);
		expect((refusedSingle as StoreInUseError).holder).toMatch(/^Boardwalk processes in cluster mode \(BUS_URL\): boardwalk process .*, boardwalk process /);

		await a.close();
		await b.close();
		const after = await open(url, false);
		expect((await after.load('room')).lastSeq).toBe(2);
	});

	it('takes its lost lock back in cluster mode: alongside other cluster processes, never past a single-mode holder', async () => {
		const url = await freshDatabase();
		const storage = await open(url, true);
		await storage.append('room', [bytes(1)]);
		const dba = await session(url);
		await dba.query(
			"SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
		);
		// A single-mode holder got in meanwhile: the next write must not go through.
		const other = await session(url);
		const take = (how: string) => async () => (await other.query<{ locked: boolean }>(`SELECT ${how}($1) AS locked`, [WRITER_LOCK_KEY])).rows[0]!.locked;
		await waitFor(take('pg_try_advisory_lock'), 'another session to take the writer lock exclusively');
		await expect(storage.append('room', [bytes(2)])).rejects.toBeInstanceOf(StoreInUseError);
		// Another cluster process instead: sharing the lock with it, the write is stored.
		await other.query('SELECT pg_advisory_unlock($1)', [WRITER_LOCK_KEY]);
		expect(await take('pg_try_advisory_lock_shared')()).toBe(true);
		expect(await storage.append('room', [bytes(2)])).toBe(2);
		const modes = await dba.query<{ mode: string }>("SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [WRITER_LOCK_KEY]);
		expect(modes.rows.map((r) => r.mode)).toEqual(['ShareLock', 'ShareLock']);
	});

	it('migrates a schema-1 database keeping every update and going on from each room’s newest seq', async () => {
		const url = await freshDatabase();
		const v1 = await session(url);
		await v1.query(`
			CREATE TABLE boardwalk_schema (version INTEGER NOT NULL); INSERT INTO boardwalk_schema VALUES (1);
			CREATE TABLE rooms (name TEXT PRIMARY KEY, snapshot BYTEA, snapshot_seq BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL);
			CREATE TABLE log (room TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (room, seq));
			CREATE TABLE access (board TEXT PRIMARY KEY, edit_generation INTEGER NOT NULL, view_generation INTEGER NOT NULL, claimed_at BIGINT NOT NULL);
			INSERT INTO rooms VALUES ('compacted', '\\x0505', 5, 1), ('emptied', '\\x0404', 4, 1);
			INSERT INTO log VALUES ('compacted', 6, 2, '\\x06'), ('compacted', 7, 2, '\\x07'), ('logged', 1, 3, '\\x01'), ('logged', 2, 3, '\\x02'), ('logged', 3, 3, '\\x03');
		`);
		const storage = await open(url, true);
		expect((await v1.query('SELECT version FROM boardwalk_schema')).rows).toEqual([{ version: SCHEMA_VERSION }]);
		expect(await storage.load('compacted')).toEqual({ snapshot: bytes(5, 5), updates: [bytes(6), bytes(7)], lastSeq: 7 });
		expect(await storage.load('logged')).toEqual({ snapshot: null, updates: [bytes(1), bytes(2), bytes(3)], lastSeq: 3 });
		expect(await storage.load('emptied')).toEqual({ snapshot: bytes(4, 4), updates: [], lastSeq: 4 });
		expect(await storage.append('compacted', [bytes(8)])).toBe(8);
		expect(await storage.append('logged', [bytes(4)])).toBe(4);
		expect(await storage.append('emptied', [bytes(5)])).toBe(5);
		expect((await logRows(v1, 'logged')).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
	});

	it('reads what a process is missing since a seq: the log rows after it, or the snapshot once compaction passed it', async () => {
		const storage = await open(await freshDatabase(), true);
		expect(await storage.readSince('nobody', 0)).toEqual({ snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 });
		await storage.append('room', [bytes(1), bytes(2), bytes(3), bytes(4), bytes(5)]);
		expect(await storage.readSince('room', 2)).toEqual({
			snapshot: null,
			snapshotSeq: 0,
			updates: [
				{ seq: 3, data: bytes(3) },
				{ seq: 4, data: bytes(4) },
				{ seq: 5, data: bytes(5) }
			],
			lastSeq: 5
		});
		expect(await storage.readSince('room', 5)).toEqual({ snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 5 });

		await storage.compact('room', bytes(1, 2, 3), 3);
		const after = [
			{ seq: 4, data: bytes(4) },
			{ seq: 5, data: bytes(5) }
		];
		// Seq 2 is gone from the log: the snapshot stands in for 1…3.
		expect(await storage.readSince('room', 1)).toEqual({ snapshot: bytes(1, 2, 3), snapshotSeq: 3, updates: after, lastSeq: 5 });
		expect(await storage.readSince('room', 3)).toEqual({ snapshot: null, snapshotSeq: 3, updates: after, lastSeq: 5 });
		expect(await storage.readSince('room', 4)).toEqual({ snapshot: null, snapshotSeq: 3, updates: after.slice(1), lastSeq: 5 });
	});

	it('reports the newest seq of several rooms in one call, 0 for an unknown room', async () => {
		const storage = await open(await freshDatabase(), true);
		await storage.append('a', [bytes(1), bytes(2), bytes(3)]);
		await storage.append('b', [bytes(1)]);
		await storage.append('b', [bytes(2)]);
		// A room compacted to an empty log keeps its head.
		await storage.compact('b', bytes(1, 2), 2);
		expect(await storage.heads(['a', 'b', 'unknown'])).toEqual(
			new Map([
				['a', 3],
				['b', 2],
				['unknown', 0]
			])
		);
		expect(await storage.heads([])).toEqual(new Map());
	});

	it('fences compaction: an expired lease taken over moves the fence on, and neither the old holder nor an older snapshot writes anything', async () => {
		const url = await freshDatabase();
		const [a, b] = [await open(url, true), await open(url, true)];
		await a.append('room', [1, 2, 3, 4, 5, 6].map((n) => bytes(n)));

		const fence = await a.leaseCompaction('room', 'A', 60_000);
		expect(fence).toEqual(expect.any(Number));
		expect(await b.leaseCompaction('room', 'B', 60_000)).toBeNull();
		// Renewing keeps the fence; the tiny ttl lets it expire by the database's clock.
		expect(await a.leaseCompaction('room', 'A', 50)).toBe(fence);
		const dba = await session(url);
		await waitFor(
			async () => (await dba.query<{ expired: boolean }>("SELECT now() > expires_at AS expired FROM compaction_leases WHERE room = 'room'")).rows[0]!.expired,
			'A’s lease to expire'
		);
		expect(await b.leaseCompaction('room', 'B', 60_000)).toBe(fence! + 1);
		expect(await a.leaseCompaction('room', 'A', 60_000)).toBeNull();

		expect(await b.compactFenced('room', bytes(0xb, 4), 4, fence! + 1)).toBe(true);
		const stored = async () => ({
			snapshot: (await dba.query<{ snapshot: Buffer; snapshot_seq: string }>("SELECT snapshot, snapshot_seq FROM rooms WHERE name = 'room'")).rows.map((r) => ({
				bytes: [...r.snapshot],
				seq: Number(r.snapshot_seq)
			})),
			log: await logRows(dba, 'room')
		});
		const bs = { snapshot: [{ bytes: [0xb, 4], seq: 4 }], log: [5, 6].map((n) => ({ seq: n, data: [n] })) };
		expect(await stored()).toEqual(bs);
		// A, fenced off, would have covered seq 5 too: nothing of it is written, seq 5 stays in the log.
		expect(await a.compactFenced('room', bytes(0xa, 5), 5, fence!)).toBe(false);
		expect(await stored()).toEqual(bs);
		// B itself, with a snapshot no newer than the stored one, is refused too.
		expect(await b.compactFenced('room', bytes(0xb, 3), 3, fence! + 1)).toBe(false);
		expect(await b.compactFenced('room', bytes(0xb, 4, 4), 4, fence! + 1)).toBe(false);
		expect(await stored()).toEqual(bs);
		// The live holder with a newer snapshot goes through.
		expect(await b.compactFenced('room', bytes(0xb, 6), 6, fence! + 1)).toBe(true);
		expect(await stored()).toEqual({ snapshot: [{ bytes: [0xb, 6], seq: 6 }], log: [] });
		expect((await a.load('room')).lastSeq).toBe(6);
	});
});
