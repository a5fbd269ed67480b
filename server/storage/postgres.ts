/** PostgreSQL storage engine (STORAGE_URL=postgres://…): each room's snapshot and update log in one database, through a `pg` Pool. */
import os from 'node:os';
import pg from 'pg';
import { PostgresImages } from './postgres-images.ts';
import { PostgresVersions } from './postgres-versions.ts';
import type { RetentionPolicy } from './version-retention.ts';
import type { VersionInfo } from '../../src/lib/shared/history.ts';
import { takeWriterLock } from './postgres-lock.ts';
import { migrate } from './postgres-schema.ts';
import { withoutCredentials } from './url.ts';
import {
	type AccessRecord,
	type ClusterStorage,
	type LoggedUpdate,
	type RoomSummary,
	type StorageAdmin,
	type StoredImage,
	type StoredRoom,
	StoreUnreachableError
} from './types.ts';

export { WRITER_LOCK_KEY } from './postgres-lock.ts';
export { SCHEMA_VERSION } from './postgres-schema.ts';

/*
 * Who may write. SQLite's lock on DATA_DIR does not carry over: what replaces it is a session-level
 * advisory lock on the database (WRITER_LOCK_KEY, postgres-lock.ts), taken on a connection of its own
 * that is held for the life of the store, in one of two modes:
 *
 * - Single (the default, no BUS_URL): the lock is taken EXCLUSIVE, so this is the one process that
 *   writes the database, as with SQLite (RoomStorage's one-writer rule).
 * - Cluster (`{ cluster: true }`): the lock is taken SHARED, so any number of cluster processes write
 *   the same boards. Their appends are safe because the database allocates seqs: each room's counter
 *   (rooms.last_seq) is bumped in the same statement as the log INSERT, and its row lock serialises
 *   appenders, each batch getting contiguous seqs. Compaction, which drops log rows, is guarded per
 *   board by a lease (compaction_leases, timed by the database's clock) and its fence: a process whose
 *   lease was taken over writes nothing (compactFenced).
 *
 * The two modes exclude each other (a single server would compact under cluster processes' feet
 * without a lease): either refuses the other with StoreInUseError saying which mode holds the lock.
 * The lock goes with `close()` or with the holder's session (a process killed with -9 drops its
 * socket, and PostgreSQL frees the lock when it notices).
 *
 * If the lock's session is lost (the database restarted, a network cut), the right to write is lost
 * with it: the next write first takes the lock again, in the same mode, on a new session, and fails
 * (StoreInUseError, or the connection's error) instead of writing without it. A log row already at a
 * seq the counter hands out (written bypassing the counter) fails the append loudly, never retried.
 *
 * Durability: every write is one statement or one transaction, and its promise resolves only after
 * PostgreSQL reported the COMMIT (synchronous_commit as the server is configured, on by default), so
 * the server relays an update only once it is stored.
 */

/** The error code of a unique (primary key) violation. */
const UNIQUE_VIOLATION = '23505';

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** What the client library said, in one line (a host with several addresses fails with an AggregateError whose own message is empty). */
function reason(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map((e: unknown) => reason(e)).join('; ');
	return (error instanceof Error && error.message) || String(error);
}

/** How this process shows up in pg_stat_activity, so a refused second writer can name the first. */
const applicationName = () => `boardwalk process ${process.pid} on ${os.hostname()}`.slice(0, 63);

const ACCESS_COLUMNS = 'edit_generation AS "editGeneration", view_generation AS "viewGeneration", history_for_viewers AS "historyForViewers"';

export interface PostgresOptions {
	/** Share the database with other cluster processes (shared writer lock) instead of owning it (exclusive). */
	cluster?: boolean;
}

export class PostgresStorage implements ClusterStorage, StorageAdmin {
	private closed = false;
	private readonly images: PostgresImages;
	private readonly versions: PostgresVersions;

	private constructor(
		private readonly pool: pg.Pool,
		private readonly store: string,
		private readonly connect: () => Promise<pg.Client>,
		/** The writer lock's mode, kept when the lock is taken again after its session was lost. */
		private readonly cluster: boolean,
		/** The session holding the writer lock; null once it was lost (taken again before the next write). */
		private lockSession: pg.Client | null
	) {
		this.images = new PostgresImages(pool, async (work) => {
			await this.writable();
			return this.transaction(work);
		});
		this.versions = new PostgresVersions(
			pool,
			async (work) => {
				await this.writable();
				return this.transaction(work);
			},
			() => this.writable()
		);
	}

	/** Connects, takes the writer lock in the mode asked (or throws StoreInUseError), and creates or migrates the schema. */
	static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
		const store = withoutCredentials(url);
		const cluster = options.cluster === true;
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
		const lock = await takeWriterLock(connect, store, cluster);
		const pool = new pg.Pool(settings);
		// An idle pooled connection that breaks (the database restarted) must not crash the process:
		// the pool drops it, and the next query on a new one reports whatever is still wrong.
		pool.on('error', () => {});
		const storage = new PostgresStorage(pool, store, connect, cluster, null);
		storage.holdLock(lock);
		try {
			await migrate(lock, store);
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

	/** Before any write: the writer lock is still ours, or taken again (same mode) on a new session. */
	private async writable(): Promise<void> {
		if (this.closed) throw new Error(`${this.store}: the store is closed`);
		if (this.lockSession === null) this.holdLock(await takeWriterLock(this.connect, this.store, this.cluster));
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

	/** One snapshot of the database, so a concurrent compaction or append cannot be seen half done. */
	private consistentRead<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		return this.transaction(work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
	}

	async load(room: string): Promise<StoredRoom> {
		return this.consistentRead(async (client) => {
			const row = await roomRow(client, room);
			const rows = (await client.query<{ data: Buffer }>('SELECT data FROM log WHERE room = $1 ORDER BY seq', [room])).rows;
			return { snapshot: row.snapshot, updates: rows.map((r) => asBytes(r.data)), lastSeq: row.lastSeq };
		});
	}

	async readSince(room: string, afterSeq: number): Promise<{ snapshot: Uint8Array | null; snapshotSeq: number; updates: LoggedUpdate[]; lastSeq: number }> {
		return this.consistentRead(async (client) => {
			const row = await roomRow(client, room);
			// Compaction dropped the rows up to snapshotSeq: past afterSeq, the snapshot stands in for them.
			const compactedPast = row.snapshot !== null && row.snapshotSeq > afterSeq;
			const from = compactedPast ? row.snapshotSeq : afterSeq;
			const rows = (await client.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM log WHERE room = $1 AND seq > $2 ORDER BY seq', [room, from]))
				.rows;
			return {
				snapshot: compactedPast ? row.snapshot : null,
				snapshotSeq: row.snapshotSeq,
				updates: rows.map((r) => ({ seq: Number(r.seq), data: asBytes(r.data) })),
				lastSeq: row.lastSeq
			};
		});
	}

	async heads(rooms: readonly string[]): Promise<Map<string, number>> {
		const result = await this.pool.query<{ name: string; last_seq: string }>('SELECT name, last_seq FROM rooms WHERE name = ANY($1::text[])', [rooms]);
		const heads = new Map(rooms.map((room) => [room, 0]));
		for (const row of result.rows) heads.set(row.name, Number(row.last_seq));
		return heads;
	}

	async append(room: string, updates: readonly Uint8Array[]): Promise<number> {
		await this.writable();
		if (updates.length === 0) {
			const row = (await this.pool.query<{ last_seq: string }>('SELECT last_seq FROM rooms WHERE name = $1', [room])).rows[0];
			return Number(row?.last_seq ?? 0);
		}
		try {
			// One statement: the counter's row lock (held to COMMIT) makes concurrent appenders, from any
			// process, take turns, and this batch gets the seqs last_seq - n + 1 … last_seq; all rows or none.
			const result = await this.pool.query<{ last_seq: string }>(
				`WITH counter AS (
					INSERT INTO rooms (name, snapshot_seq, updated_at, last_seq) VALUES ($1, 0, $2, $3)
					ON CONFLICT (name) DO UPDATE SET last_seq = rooms.last_seq + EXCLUDED.last_seq, updated_at = EXCLUDED.updated_at
					RETURNING last_seq
				), logged AS (
					INSERT INTO log (room, seq, at, data)
					SELECT $1, counter.last_seq - $3 + t.ord, $2, t.data FROM counter, unnest($4::bytea[]) WITH ORDINALITY AS t(data, ord)
				)
				SELECT last_seq FROM counter`,
				[room, Date.now(), updates.length, updates.map(asBuffer)]
			);
			return Number(result.rows[0]!.last_seq);
		} catch (error) {
			// A seq the counter handed us is taken: something wrote the log bypassing the counter.
			// Appending after it would interleave updates no process applied in this order.
			if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
			throw new Error(`room ${room}: a seq allocated to this append was already stored by another writer of ${this.store}, bypassing the seq counter; refusing to interleave`, {
				cause: error
			});
		}
	}

	async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		await this.writable();
		await this.transaction(async (client) => {
			await storeSnapshot(client, room, snapshot, throughSeq);
			await client.query('DELETE FROM log WHERE room = $1 AND seq <= $2', [room, throughSeq]);
		});
	}

	async leaseCompaction(room: string, holder: string, ttlMs: number): Promise<number | null> {
		await this.writable();
		// The WHERE leaves another holder's live lease alone (no row returned); a lease taken (new, or
		// expired) moves the fence on, so whoever held it before is fenced off.
		const result = await this.pool.query<{ fence: string }>(
			`INSERT INTO compaction_leases AS l (room, holder, fence, expires_at) VALUES ($1, $2, 1, now() + $3::double precision * interval '1 millisecond')
			ON CONFLICT (room) DO UPDATE SET
				fence = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.fence ELSE l.fence + 1 END,
				holder = EXCLUDED.holder,
				expires_at = EXCLUDED.expires_at
			WHERE l.holder = EXCLUDED.holder OR l.expires_at <= now()
			RETURNING fence`,
			[room, holder, ttlMs]
		);
		const row = result.rows[0];
		return row ? Number(row.fence) : null;
	}

	async compactFenced(room: string, snapshot: Uint8Array, throughSeq: number, fence: number): Promise<boolean> {
		await this.writable();
		return this.transaction(async (client) => {
			// The lease row stays locked to COMMIT: nobody takes the lease over while this writes.
			const lease = (await client.query<{ fence: string }>('SELECT fence FROM compaction_leases WHERE room = $1 FOR UPDATE', [room])).rows[0];
			if (!lease || Number(lease.fence) !== fence) return false;
			// An older snapshot must never replace a newer one (nor its log rows be dropped under it).
			if (!(await storeSnapshot(client, room, snapshot, throughSeq, 'newer only'))) return false;
			await client.query('DELETE FROM log WHERE room = $1 AND seq <= $2', [room, throughSeq]);
			return true;
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
		await this.transaction(async (client) => {
			await client.query('DELETE FROM log WHERE room = $1', [room]);
			await client.query('DELETE FROM rooms WHERE name = $1', [room]);
			await client.query('DELETE FROM access WHERE board = $1', [room]);
			await this.images.deleteBoard(client, room);
			await this.versions.deleteBoard(client, room);
		});
	}

	putImage(board: string, hash: string, image: StoredImage, now: number): Promise<'created' | 'existing'> {
		return this.images.putImage(board, hash, image, now);
	}

	getImage(board: string, hash: string): Promise<StoredImage | null> {
		return this.images.getImage(board, hash);
	}

	boardImageBytes(board: string): Promise<number> {
		return this.images.boardImageBytes(board);
	}

	touchImageRefs(board: string, hashes: Iterable<string>, now: number): Promise<void> {
		return this.images.touchImageRefs(board, hashes, now);
	}

	collectImages(olderThan: number): Promise<{ boardImages: number; images: number }> {
		return this.images.collectImages(olderThan);
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

	async setHistoryForViewers(board: string, allowed: boolean): Promise<AccessRecord | null> {
		await this.writable();
		const result = await this.pool.query<AccessRecord>(`UPDATE access SET history_for_viewers = $2 WHERE board = $1 RETURNING ${ACCESS_COLUMNS}`, [board, allowed]);
		return result.rows[0] ?? null;
	}

	addVersion(board: string, info: VersionInfo, content: Uint8Array): Promise<void> {
		return this.versions.addVersion(board, info, content);
	}

	listVersions(board: string): Promise<VersionInfo[]> {
		return this.versions.listVersions(board);
	}

	getVersion(board: string, id: string): Promise<{ info: VersionInfo; content: Uint8Array } | null> {
		return this.versions.getVersion(board, id);
	}

	renameVersion(board: string, id: string, name: string | null): Promise<VersionInfo | null> {
		return this.versions.renameVersion(board, id, name);
	}

	deleteVersion(board: string, id: string): Promise<boolean> {
		return this.versions.deleteVersion(board, id);
	}

	thinVersions(board: string, now: number, policy: RetentionPolicy): Promise<number> {
		return this.versions.thinVersions(board, now, policy);
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

/** The room's row as stored; an unknown room (no row) is empty at seq 0. */
async function roomRow(client: pg.PoolClient, room: string): Promise<{ snapshot: Uint8Array | null; snapshotSeq: number; lastSeq: number }> {
	const row = (
		await client.query<{ snapshot: Buffer | null; snapshot_seq: string; last_seq: string }>('SELECT snapshot, snapshot_seq, last_seq FROM rooms WHERE name = $1', [room])
	).rows[0];
	return { snapshot: row?.snapshot ? asBytes(row.snapshot) : null, snapshotSeq: Number(row?.snapshot_seq ?? 0), lastSeq: Number(row?.last_seq ?? 0) };
}

/**
 * Stores the room's snapshot through `throughSeq` (the counter never falls behind it). `newer only`:
 * leaves a snapshot at throughSeq or later in place and resolves false.
 */
async function storeSnapshot(client: pg.PoolClient, room: string, snapshot: Uint8Array, throughSeq: number, only?: 'newer only'): Promise<boolean> {
	const result = await client.query(
		`INSERT INTO rooms AS r (name, snapshot, snapshot_seq, updated_at, last_seq) VALUES ($1, $2, $3, $4, $3)
		ON CONFLICT (name) DO UPDATE SET snapshot = EXCLUDED.snapshot,
			snapshot_seq = GREATEST(r.snapshot_seq, EXCLUDED.snapshot_seq), updated_at = EXCLUDED.updated_at,
			last_seq = GREATEST(r.last_seq, EXCLUDED.snapshot_seq)
		${only ? 'WHERE r.snapshot_seq < EXCLUDED.snapshot_seq' : ''}`,
		[room, asBuffer(snapshot), throughSeq, Date.now()]
	);
	return result.rowCount === 1;
}

export function openPostgresStorage(url: string, options?: PostgresOptions): Promise<PostgresStorage> {
	return PostgresStorage.open(url, options);
}

/**
 * For an operator's tool beside running servers (`npm run links`): the board's access record, claimed
 * first when `claim` and nobody has. One atomic statement each, so it needs no writer lock; the
 * servers' caches are told by the caller (the bus, or the server's own API).
 */
export async function accessRecordAt(url: string, board: string, claim: boolean): Promise<{ record: AccessRecord | null; claimed: boolean }> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
	try {
		await client.connect();
	} catch (error) {
		throw new StoreUnreachableError(withoutCredentials(url), reason(error));
	}
	try {
		let claimed = false;
		if (claim) {
			const inserted = await client.query(
				'INSERT INTO access (board, edit_generation, view_generation, claimed_at) VALUES ($1, 0, 0, $2) ON CONFLICT (board) DO NOTHING',
				[board, Date.now()]
			);
			claimed = inserted.rowCount === 1;
		}
		const record = (await client.query<AccessRecord>(`SELECT ${ACCESS_COLUMNS} FROM access WHERE board = $1`, [board])).rows[0] ?? null;
		return { record, claimed };
	} finally {
		await client.end().catch(() => {});
	}
}

