/** The PostgreSQL engine's schema: its version, the migrations between versions, and applying them at open. */
import type pg from 'pg';

export const SCHEMA_VERSION = 4;

/**
 * Cluster processes open the same database at once (each holding the writer lock shared): this
 * transaction-level advisory lock makes them migrate one after the other ('bdwm' in ASCII).
 */
const MIGRATION_LOCK_KEY = 0x6264776d;

/**
 * `MIGRATIONS[v]` moves a database from version v to v + 1 (version 0: nothing there yet). The log is
 * keyed by (room, seq).
 */
const MIGRATIONS: readonly string[] = [
	// 1: a room's row exists once it was compacted, and keeps the compaction point so seqs go on
	// growing after the log empties.
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
	);`,
	// 2 (cluster mode): the database allocates seqs, so every room with log rows gets a rooms row whose
	// last_seq counter starts where its log (or its compaction point) ends; compaction_leases holds each
	// board's compaction lease and the fence that outlives it.
	`ALTER TABLE rooms ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
	INSERT INTO rooms (name, snapshot, snapshot_seq, updated_at)
		SELECT room, NULL, 0, MAX(at) FROM log GROUP BY room
		ON CONFLICT (name) DO NOTHING;
	UPDATE rooms SET last_seq = GREATEST(snapshot_seq, COALESCE((SELECT MAX(seq) FROM log WHERE log.room = rooms.name), 0));
	CREATE TABLE compaction_leases (
		room TEXT PRIMARY KEY,
		holder TEXT NOT NULL,
		fence BIGINT NOT NULL,
		expires_at TIMESTAMPTZ NOT NULL
	);`,
	// 3: images (postgres-images.ts): bytes once per hash, and which board has which. unreferenced_since is
	// NULL while the board's stored shapes reference the image, else since when they do not (ms).
	`CREATE TABLE images (
		hash TEXT PRIMARY KEY,
		mime TEXT NOT NULL,
		size INTEGER NOT NULL,
		data BYTEA NOT NULL,
		created_at BIGINT NOT NULL
	);
	CREATE TABLE board_images (
		board TEXT NOT NULL,
		hash TEXT NOT NULL REFERENCES images (hash),
		added_at BIGINT NOT NULL,
		unreferenced_since BIGINT,
		PRIMARY KEY (board, hash)
	);
	CREATE INDEX board_images_by_hash ON board_images (hash);`,
	// 4: versions (postgres-versions.ts), apart from the live rooms; the access record's history-for-viewers switch (off).
	`CREATE TABLE versions (
		board TEXT NOT NULL,
		id TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		kind TEXT NOT NULL,
		name TEXT,
		editors JSONB NOT NULL,
		summary JSONB NOT NULL,
		shape_count INTEGER NOT NULL,
		bytes INTEGER NOT NULL,
		content BYTEA NOT NULL,
		PRIMARY KEY (board, id)
	);
	CREATE INDEX versions_by_time ON versions (board, created_at);
	ALTER TABLE access ADD COLUMN history_for_viewers BOOLEAN NOT NULL DEFAULT FALSE;`
];

/** Creates or migrates the schema in one transaction on `session`; refuses a database of a newer schema. */
export async function migrate(session: pg.ClientBase, store: string): Promise<void> {
	await session.query('BEGIN');
	try {
		await session.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
		await session.query('CREATE TABLE IF NOT EXISTS boardwalk_schema (version INTEGER NOT NULL)');
		const rows = (await session.query<{ version: number }>('SELECT version FROM boardwalk_schema')).rows;
		const version = rows[0]?.version ?? 0;
		if (version > SCHEMA_VERSION) {
			throw new Error(`${store} was written by a newer Boardwalk (schema ${version}); refusing to open it`);
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
