/** PostgreSQL storage engine (STORAGE_URL=postgres://…): each room's snapshot and update log in one database, through a `pg` Pool. */
import os from 'node:os';
import pg from 'pg';
import { withoutCredentials } from './url.ts';
import {
	StoreInUseError,
	StoreUnreachableError,
	type AccessRecord,
	type RoomStorage,
	type RoomSummary,
	type StorageAdmin,
	type StoredRoom
} from './types.ts';

/*
 * One writer per store (RoomStorage). SQLite's lock on DATA_DIR does not carry over: what replaces it,
 * for now, is a session-level advisory lock on the database (WRITER_LOCK_KEY), taken with
 * pg_try_advisory_lock on a connection of its own that is held for the life of the store. A second
 * Boardwalk on the same database is refused with StoreInUseError naming the holder's connection; the
 * lock goes with `close()` or with the holder's session (a process killed with -9 drops its socket,
 * and PostgreSQL frees the lock when it notices). So it is one process per database at a time, as with
 * SQLite, until the cluster work of issue 16 adds per-board fencing.
 *
 * If the lock's session is lost (the database restarted, a network cut), the right to write is lost
 * with it: the next write first takes the lock again on a new session, and fails (StoreInUseError, or
 * the connection's error) instead of writing without it. Another writer that got in between is still
 * caught by the seq check of `append` (its rows take our next seq), as on SQLite.
 *
 * Durability: every write is one statement or one transaction, and its promise resolves only after
 * PostgreSQL reported the COMMIT (synchronous_commit as the server is configured, on by default), so
 * the server relays an update only once it is stored.
 */

/** The advisory lock key that stands for "the Boardwalk writer of this database" ('bdwk' in ASCII; fits in 32 bits). */
export const WRITER_LOCK_KEY = 0x6264776b;

export const SCHEMA_VERSION = 1;

/**
 * `MIGRATIONS[v]` moves a database from version v to v + 1 (version 0: nothing there yet). The log is
 * keyed by (room, seq); a room's row exists once it was compacted, and keeps the compaction point so
 * seqs go on growing after the log empties.
 */
const MIGRATIONS: readonly string[] = [
	`CREATE TABLE rooms (
		name TEXT PRIMARY KEY,
		snapshot BYTEA,
		snapshot_seq BIGINT NOT NULL DEFAULT 0,
		updated_at BIGINT NOT NULL
	);
	CREATE TABLE log (
		room TEXT NOT NULL,
		seq BIGINT NOT NULL,
		at BIGINT NOT NULL,
		data BYTEA NOT NULL,
		PRIMARY KEY (room, seq)
	);
	CREATE TABLE access (
		board TEXT PRIMARY KEY,
		edit_generation INTEGER NOT NULL,
		view_generation INTEGER NOT NULL,
		claimed_at BIGINT NOT NULL
	);`
];

/** The error code of a unique (primary key) violation. */
const UNIQUE_VIOLATION = '23505';

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** What the client library said, in one line (a host with several addresses fails with an AggregateError whose own message is empty). */
function reason(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map((e: unknown) => reason(e)).join('; ');
	return (error instanceof Error && error.message) || String(error);
}

/** How this process shows up in pg_stat_activity, so a refused second writer can name the first. */
const applicationName = () => `boardwalk process ${process.pid} on ${os.hostname()}`.slice(0, 63);

const ACCESS_COLUMNS = 'edit_generation AS "editGeneration", view_generation AS "viewGeneration"';

export class PostgresStorage implements RoomStorage, StorageAdmin {
	/** The last seq appended per room, so an append is one INSERT and no query (as on SQLite). */
	private readonly lastSeqs = new Map<string, number>();
	private closed = false;

	private constructor(
		private readonly pool: pg.Pool,
		private readonly store: string,
		private readonly connect: () => Promise<pg.Client>,
		/** The session holding the writer lock; null once it was lost (taken again before the next write). */
		private lockSession: pg.Client | null
	) {}

	/** Connects, takes the writer lock (or throws StoreInUseError), and creates or migrates the schema. */
	static async open(url: string): Promise<PostgresStorage> {
		const store = withoutCredentials(url);
		const settings = { connectionString: url, application_name: applicationName(), connectionTimeoutMillis: 10_000 };
		const connect = async () => {
			const client = new pg.Client(settings);
			try {
				await client.connect();
			} catch (error) {
				throw new StoreUnreachableError(store, reason(error));
			}
			return client;
		};
		const lock = await takeWriterLock(connect, store);
		const pool = new pg.Pool(settings);
		// An idle pooled connection that breaks (the database restarted) must not crash the process:
		// the pool drops it, and the next query on a new one reports whatever is still wrong.
		pool.on('error', () => {});
		const storage = new PostgresStorage(pool, store, connect, null);
		storage.holdLock(lock);
		try {
			await storage.migrate(lock);
		} catch (error) {
			await storage.close();
			throw error;
		}
		return storage;
	}

	private holdLock(session: pg.Client): void {
		this.lockSession = session;
		const lost = () => {
			if (this.lockSession === session) this.lockSession = null;
			void session.end().catch(() => {});
		};
		session.on('error', lost);
		session.on('end', lost);
	}

	/** Before any write: the writer lock is still ours, or taken again on a new session. */
	private async writable(): Promise<void> {
		if (this.closed) throw new Error(`${this.store}: the store is closed`);
		if (this.lockSession === null) this.holdLock(await takeWriterLock(this.connect, this.store));
	}

	private async migrate(session: pg.Client): Promise<void> {
		await session.query('BEGIN');
		try {
			await session.query('CREATE TABLE IF NOT EXISTS boardwalk_schema (version INTEGER NOT NULL)');
			const rows = (await session.query<{ version: number }>('SELECT version FROM boardwalk_schema')).rows;
			const version = rows[0]?.version ?? 0;
			if (version > SCHEMA_VERSION) {
				throw new Error(`${this.store} was written by a newer Boardwalk (schema ${version}); refusing to open it`);
			}
			for (let v = version; v < SCHEMA_VERSION; v++) await session.query(MIGRATIONS[v]!);
			if (rows.length === 0) await session.query('INSERT INTO boardwalk_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
			else await session.query('UPDATE boardwalk_schema SET version = $1', [SCHEMA_VERSION]);
			await session.query('COMMIT');
		} catch (error) {
			await session.query('ROLLBACK').catch(() => {});
			throw error;
		}
	}

	/** Runs `work` in one transaction on one pooled connection. */
	private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
		const client = await this.pool.connect();
		try {
			await client.query(begin);
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {});
			throw error;
		} finally {
			client.release();
		}
	}

	async load(room: string): Promise<StoredRoom> {
		// One snapshot of the database, so a concurrent compaction cannot be seen half done.
		const stored = await this.transaction(async (client): Promise<StoredRoom> => {
			const row = (await client.query<{ snapshot: Buffer | null; snapshot_seq: string }>('SELECT snapshot, snapshot_seq FROM rooms WHERE name = $1', [room]))
				.rows[0];
			const rows = (await client.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM log WHERE room = $1 ORDER BY seq', [room])).rows;
			return {
				snapshot: row?.snapshot ? asBytes(row.snapshot) : null,
				updates: rows.map((r) => asBytes(r.data)),
				lastSeq: rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : Number(row?.snapshot_seq ?? 0)
			};
		}, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
		this.lastSeqs.set(room, stored.lastSeq);
		return stored;
	}

	async append(room: string, updates: readonly Uint8Array[]): Promise<number> {
		await this.writable();
		const lastSeq = await this.lastSeqOf(room);
		if (updates.length === 0) return lastSeq;
		try {
			// One statement: all the rows or none, committed before the promise resolves.
			await this.pool.query(
				`INSERT INTO log (room, seq, at, data)
				SELECT $1, $2::bigint + t.ord, $3, t.data FROM unnest($4::bytea[]) WITH ORDINALITY AS t(data, ord)`,
				[room, lastSeq, Date.now(), updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength))]
			);
		} catch (error) {
			// Our next seq is taken: something else wrote this room, breaking the one-writer rule
			// (RoomStorage). Appending after it would interleave updates this process never applied.
			if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
			this.lastSeqs.delete(room);
			throw new Error(`room ${room}: seq ${lastSeq + 1} or a later one was already stored by another writer of ${this.store}; refusing to interleave`, {
				cause: error
			});
		}
		const seq = lastSeq + updates.length;
		this.lastSeqs.set(room, seq);
		return seq;
	}

	private async lastSeqOf(room: string): Promise<number> {
		let seq = this.lastSeqs.get(room);
		if (seq === undefined) {
			const result = await this.pool.query<{ seq: string }>(
				'SELECT COALESCE((SELECT MAX(seq) FROM log WHERE room = $1), (SELECT snapshot_seq FROM rooms WHERE name = $1), 0) AS seq',
				[room]
			);
			this.lastSeqs.set(room, (seq = Number(result.rows[0]!.seq)));
		}
		return seq;
	}

	async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		await this.writable();
		await this.transaction(async (client) => {
			await client.query(
				`INSERT INTO rooms (name, snapshot, snapshot_seq, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (name) DO UPDATE SET snapshot = EXCLUDED.snapshot,
					snapshot_seq = GREATEST(rooms.snapshot_seq, EXCLUDED.snapshot_seq), updated_at = EXCLUDED.updated_at`,
				[room, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), throughSeq, Date.now()]
			);
			await client.query('DELETE FROM log WHERE room = $1 AND seq <= $2', [room, throughSeq]);
		});
	}

	async listRooms(): Promise<RoomSummary[]> {
		// A room that never compacted has log rows but no rooms row: list both kinds.
		const result = await this.pool.query<{ name: string; bytes: string; pending: string; updated_at: string }>(
			`SELECT name, SUM(bytes) AS bytes, SUM(pending) AS pending, MAX(updated_at) AS updated_at
			FROM (
				SELECT name, COALESCE(OCTET_LENGTH(snapshot), 0) AS bytes, 0 AS pending, updated_at FROM rooms
				UNION ALL
				SELECT room, SUM(OCTET_LENGTH(data)), COUNT(*), MAX(at) FROM log GROUP BY room
			) AS parts
			GROUP BY name ORDER BY name COLLATE "C"`
		);
		return result.rows.map((r) => ({
			name: r.name,
			bytes: Number(r.bytes),
			pendingUpdates: Number(r.pending),
			updatedAt: new Date(Number(r.updated_at))
		}));
	}

	async deleteRoom(room: string): Promise<void> {
		await this.writable();
		this.lastSeqs.delete(room);
		await this.transaction(async (client) => {
			await client.query('DELETE FROM log WHERE room = $1', [room]);
			await client.query('DELETE FROM rooms WHERE name = $1', [room]);
			await client.query('DELETE FROM access WHERE board = $1', [room]);
		});
	}

	async loadAccess(board: string): Promise<AccessRecord | null> {
		return (await this.pool.query<AccessRecord>(`SELECT ${ACCESS_COLUMNS} FROM access WHERE board = $1`, [board])).rows[0] ?? null;
	}

	async claimAccess(board: string): Promise<boolean> {
		await this.writable();
		const result = await this.pool.query(
			'INSERT INTO access (board, edit_generation, view_generation, claimed_at) VALUES ($1, 0, 0, $2) ON CONFLICT (board) DO NOTHING',
			[board, Date.now()]
		);
		return result.rowCount === 1;
	}

	async resetAccess(board: string, right: 'edit' | 'view'): Promise<AccessRecord | null> {
		await this.writable();
		const column = right === 'edit' ? 'edit_generation' : 'view_generation';
		const result = await this.pool.query<AccessRecord>(`UPDATE access SET ${column} = ${column} + 1 WHERE board = $1 RETURNING ${ACCESS_COLUMNS}`, [board]);
		return result.rows[0] ?? null;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		const session = this.lockSession;
		this.lockSession = null;
		await this.pool.end();
		// Ending the session releases its advisory lock: a restart (or the next writer) can take over.
		if (session) await session.end().catch(() => {});
	}
}

/** Takes the writer lock on a new session, or throws StoreInUseError naming who holds it. */
async function takeWriterLock(connect: () => Promise<pg.Client>, store: string): Promise<pg.Client> {
	const session = await connect();
	try {
		const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [WRITER_LOCK_KEY]);
		if (rows[0]!.locked) return session;
		// A bigint key k shows in pg_locks as classid = k >> 32, objid = k & 0xffffffff, objsubid = 1.
		const holder = (
			await session.query<{ application_name: string; client_addr: string | null; backend_start: Date }>(
				`SELECT a.application_name, a.client_addr::text AS client_addr, a.backend_start
				FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
				WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
					AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
				[WRITER_LOCK_KEY]
			)
		).rows[0];
		const who = holder
			? `${holder.application_name || 'a client'} (connected from ${holder.client_addr ?? 'a local socket'} since ${holder.backend_start.toISOString()})`
			: 'another session';
		throw new StoreInUseError(store, who);
	} catch (error) {
		await session.end().catch(() => {});
		throw error;
	}
}

export function openPostgresStorage(url: string): Promise<PostgresStorage> {
	return PostgresStorage.open(url);
}
