/** Default storage engine: one SQLite file (better-sqlite3, WAL) holding each room's snapshot and update log. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DataDirLock } from './dir-lock.ts';
import { IMAGE_TABLES, SqliteImages } from './sqlite-images.ts';
import { MIGRATE_VERSIONS, SqliteVersions, VERSION_TABLE } from './sqlite-versions.ts';
import type { RetentionPolicy } from './version-retention.ts';
import type { VersionInfo } from '../../src/lib/shared/history.ts';
import {
	StoreUnreadableError,
	type AccessRecord,
	type RoomStorage,
	type RoomSummary,
	type StorageAdmin,
	type StoredImage,
	type StoredRoom
} from './types.ts';

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses a file that exists but is no SQLite database before SQLite sees it: SQLite takes an empty
 * file as a new database (every board would look empty) and fails on a foreign one only later.
 */
function checkHeader(file: string): void {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // a new store
		throw error;
	}
	try {
		const header = Buffer.alloc(SQLITE_HEADER.length);
		const read = fs.readSync(fd, header, 0, header.length, 0);
		if (fs.fstatSync(fd).size === 0) throw new StoreUnreadableError(file, 'the file is empty (0 bytes)');
		if (read < header.length || !header.equals(SQLITE_HEADER)) throw new StoreUnreadableError(file, 'the file is not an SQLite database (its header is wrong)');
	} finally {
		fs.closeSync(fd);
	}
}

/** SQLite's own words for a damaged file: the error codes that mean the file, not the server, is at fault. */
const DAMAGED_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CANTOPEN']);

const SCHEMA_VERSION = 5;
export const SQLITE_FILE_NAME = 'boardwalk.sqlite';

// The log is keyed by (room, seq) WITHOUT ROWID, and an append touches nothing else: one committed
// append writes one B-tree page (bench/JOURNAL.md, "One page per append").
const LOG_TABLE = `
CREATE TABLE IF NOT EXISTS log (
	room TEXT NOT NULL,
	seq INTEGER NOT NULL,
	at INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (room, seq)
) STRICT, WITHOUT ROWID;`;

// Who may open a board (AccessRecord): one row per claimed board, none for an unclaimed one.
const ACCESS_TABLE = `
CREATE TABLE IF NOT EXISTS access (
	board TEXT PRIMARY KEY,
	edit_generation INTEGER NOT NULL,
	view_generation INTEGER NOT NULL,
	claimed_at INTEGER NOT NULL
) STRICT;`;

/** Since version 5 the access record also carries whether viewers may browse history (0/1; MIGRATE_VERSIONS adds it). */
const ACCESS_TABLE_5 = `
CREATE TABLE IF NOT EXISTS access (
	board TEXT PRIMARY KEY,
	edit_generation INTEGER NOT NULL,
	view_generation INTEGER NOT NULL,
	claimed_at INTEGER NOT NULL,
	history_for_viewers INTEGER NOT NULL DEFAULT 0
) STRICT;`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
	name TEXT PRIMARY KEY,
	snapshot BLOB,
	-- the seq of the last update folded into the snapshot, so seqs keep growing after the log empties
	snapshot_seq INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL
) STRICT;
${LOG_TABLE}
${ACCESS_TABLE_5}
${IMAGE_TABLES}
${VERSION_TABLE}
`;

/**
 * Version 1 → 2: the update log moves into the (room, seq)-keyed table, seqs and order unchanged.
 * Version 1 kept it in a rowid table with an index and wrote the room's row on every append.
 */
const MIGRATE_FROM_1 = `
ALTER TABLE rooms ADD COLUMN snapshot_seq INTEGER NOT NULL DEFAULT 0;
${LOG_TABLE}
INSERT INTO log (room, seq, at, data)
	SELECT u.room, u.seq, COALESCE(r.updated_at, 0), u.data FROM updates u LEFT JOIN rooms r ON r.name = u.room;
DROP TABLE updates;
`;

/** Version 2 → 3: boards get access records (links); every existing board stays unclaimed until an editor opens it. */
const MIGRATE_FROM_2 = ACCESS_TABLE;

/** Version 3 → 4: images (sqlite-images.ts); boards had none before. */
const MIGRATE_FROM_3 = IMAGE_TABLES;

/** Version 4 → 5: versions (sqlite-versions.ts). */
const MIGRATE_FROM_4 = MIGRATE_VERSIONS;

const ACCESS_COLUMNS = 'edit_generation AS editGeneration, view_generation AS viewGeneration, history_for_viewers AS historyForViewers';
type StoredAccess = Omit<AccessRecord, 'historyForViewers'> & { historyForViewers: number };
const accessOf = (row: StoredAccess | undefined): AccessRecord | null => (row ? { ...row, historyForViewers: row.historyForViewers === 1 } : null);

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

export class SqliteStorage implements RoomStorage, StorageAdmin {
	private readonly db: Database.Database;
	/** The folder's lock (RoomStorage: one writer per store); none for ':memory:', which nobody else can open. */
	private readonly lock: DataDirLock | null;
	private readonly statements: ReturnType<SqliteStorage['prepare']>;
	private readonly insertAll: (room: string, lastSeq: number, at: number, updates: readonly Uint8Array[]) => number;
	/**
	 * The last seq appended per room, so an append is one INSERT and no query (~15% less CPU per
	 * single-update commit). Read from the file on a room's first load or append.
	 */
	private readonly lastSeqs = new Map<string, number>();
	private readonly compactRoom: (room: string, snapshot: Uint8Array, throughSeq: number) => void;
	private readonly images: SqliteImages;
	private readonly versions: SqliteVersions;

	/**
	 * `file` is a path, or ':memory:' for a throwaway database. Its folder is locked first, so a second
	 * writer is refused (StoreInUseError) before it reads or writes anything.
	 */
	constructor(file: string) {
		this.lock = file === ':memory:' ? null : DataDirLock.acquire(path.dirname(file));
		try {
			if (file !== ':memory:') checkHeader(file);
			this.db = new Database(file);
		} catch (error) {
			this.lock?.release();
			throw error;
		}
		try {
			this.statements = this.prepare(file);
		} catch (error) {
			this.db.close();
			this.lock?.release();
			const code = (error as { code?: unknown }).code;
			if (typeof code === 'string' && DAMAGED_CODES.has(code)) throw new StoreUnreadableError(file, `SQLite says: ${(error as Error).message}`);
			throw error;
		}
		this.images = new SqliteImages(this.db);
		this.versions = new SqliteVersions(this.db);
		this.insertAll = this.db.transaction((room: string, lastSeq: number, at: number, updates: readonly Uint8Array[]) => {
			let seq = lastSeq;
			for (const update of updates) this.statements.insertUpdate.run(room, ++seq, at, update);
			return seq;
		});
		this.compactRoom = this.db.transaction((room: string, snapshot: Uint8Array, throughSeq: number) => {
			this.statements.putSnapshot.run({ name: room, snapshot, seq: throughSeq, at: Date.now() });
			this.statements.dropUpdates.run(room, throughSeq);
		});
	}

	/** Sets the file up (pragmas, schema, migration) and prepares the statements. */
	private prepare(file: string) {
		// WAL + NORMAL: a committed transaction survives a process crash (kill -9); only an OS crash
		// or power loss can lose the newest transactions, which FULL would also cover at a large cost.
		this.db.pragma('journal_mode = WAL');
		this.db.pragma('synchronous = NORMAL');
		this.db.pragma('busy_timeout = 5000');
		// A truncated or damaged file opens fine and fails later, board by board: look at every page now.
		const check = this.db.pragma('quick_check', { simple: true }) as string;
		if (check !== 'ok') throw new StoreUnreadableError(file, `SQLite's quick_check found damage (${check})`);
		const version = this.db.pragma('user_version', { simple: true }) as number;
		if (version > SCHEMA_VERSION) {
			throw new Error(`${file} was written by a newer Boardwalk (schema ${version}); refusing to open it`);
		}
		this.db.transaction(() => {
			if (version === 1) this.db.exec(MIGRATE_FROM_1 + MIGRATE_FROM_2 + MIGRATE_FROM_3 + MIGRATE_FROM_4);
			else if (version === 2) this.db.exec(MIGRATE_FROM_2 + MIGRATE_FROM_3 + MIGRATE_FROM_4);
			else if (version === 3) this.db.exec(MIGRATE_FROM_3 + MIGRATE_FROM_4);
			else if (version === 4) this.db.exec(MIGRATE_FROM_4);
			else this.db.exec(SCHEMA);
			this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
		})();

		return {
			snapshot: this.db.prepare<[string], { snapshot: Buffer | null; snapshotSeq: number }>(
				'SELECT snapshot, snapshot_seq AS snapshotSeq FROM rooms WHERE name = ?'
			),
			updates: this.db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM log WHERE room = ? ORDER BY seq'),
			lastSeq: this.db
				.prepare<[string, string], number>(
					'SELECT COALESCE((SELECT MAX(seq) FROM log WHERE room = ?), (SELECT snapshot_seq FROM rooms WHERE name = ?), 0)'
				)
				.pluck(),
			insertUpdate: this.db.prepare<[string, number, number, Uint8Array]>('INSERT INTO log (room, seq, at, data) VALUES (?, ?, ?, ?)'),
			putSnapshot: this.db.prepare<[{ name: string; snapshot: Uint8Array; seq: number; at: number }]>(
				`INSERT INTO rooms (name, snapshot, snapshot_seq, updated_at) VALUES (@name, @snapshot, @seq, @at)
				ON CONFLICT (name) DO UPDATE SET snapshot = @snapshot, snapshot_seq = MAX(snapshot_seq, @seq), updated_at = @at`
			),
			dropUpdates: this.db.prepare<[string, number]>('DELETE FROM log WHERE room = ? AND seq <= ?'),
			deleteUpdates: this.db.prepare<[string]>('DELETE FROM log WHERE room = ?'),
			deleteRoom: this.db.prepare<[string]>('DELETE FROM rooms WHERE name = ?'),
			deleteAccess: this.db.prepare<[string]>('DELETE FROM access WHERE board = ?'),
			loadAccess: this.db.prepare<[string], StoredAccess>(`SELECT ${ACCESS_COLUMNS} FROM access WHERE board = ?`),
			claimAccess: this.db.prepare<[string, number]>(
				'INSERT INTO access (board, edit_generation, view_generation, claimed_at) VALUES (?, 0, 0, ?) ON CONFLICT (board) DO NOTHING'
			),
			resetEdit: this.db.prepare<[string], StoredAccess>(
				`UPDATE access SET edit_generation = edit_generation + 1 WHERE board = ? RETURNING ${ACCESS_COLUMNS}`
			),
			resetView: this.db.prepare<[string], StoredAccess>(
				`UPDATE access SET view_generation = view_generation + 1 WHERE board = ? RETURNING ${ACCESS_COLUMNS}`
			),
			setHistoryForViewers: this.db.prepare<[number, string], StoredAccess>(
				`UPDATE access SET history_for_viewers = ? WHERE board = ? RETURNING ${ACCESS_COLUMNS}`
			),
			// A room that never compacted has log rows but no rooms row: list both kinds.
			list: this.db.prepare<[], { name: string; snapshotBytes: number; logBytes: number; logCount: number; updatedAt: number }>(
				`SELECT name, SUM(snapshotBytes) AS snapshotBytes, SUM(logBytes) AS logBytes, SUM(logCount) AS logCount,
					MAX(updatedAt) AS updatedAt
				FROM (
					SELECT name, COALESCE(LENGTH(snapshot), 0) AS snapshotBytes, 0 AS logBytes, 0 AS logCount, updated_at AS updatedAt FROM rooms
					UNION ALL
					SELECT room, 0, SUM(LENGTH(data)), COUNT(*), MAX(at) FROM log GROUP BY room
				)
				GROUP BY name ORDER BY name`
			)
		};
	}

	async load(room: string): Promise<StoredRoom> {
		// One read transaction so a concurrent compaction cannot be seen half done.
		const stored = this.db.transaction((): StoredRoom => {
			const row = this.statements.snapshot.get(room);
			const rows = this.statements.updates.all(room);
			return {
				snapshot: row?.snapshot ? asBytes(row.snapshot) : null,
				updates: rows.map((r) => asBytes(r.data)),
				lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : (row?.snapshotSeq ?? 0)
			};
		})();
		this.lastSeqs.set(room, stored.lastSeq);
		return stored;
	}

	async append(room: string, updates: readonly Uint8Array[]): Promise<number> {
		try {
			return this.appendAfter(room, updates);
		} catch (error) {
			// Our next seq is taken: something else wrote this room, breaking the one-writer rule
			// (RoomStorage). Appending after it would interleave updates this process never applied.
			if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
			const taken = this.lastSeqOf(room) + 1;
			this.lastSeqs.delete(room);
			throw new Error(`room ${room}: seq ${taken} was already stored by another writer of this file; refusing to interleave`, { cause: error });
		}
	}

	private appendAfter(room: string, updates: readonly Uint8Array[]): number {
		const lastSeq = this.lastSeqOf(room);
		if (updates.length === 0) return lastSeq;
		let seq: number;
		if (updates.length === 1) {
			// One INSERT is a transaction of its own: no BEGIN and COMMIT statements around it.
			seq = lastSeq + 1;
			this.statements.insertUpdate.run(room, seq, Date.now(), updates[0]!);
		} else {
			seq = this.insertAll(room, lastSeq, Date.now(), updates);
		}
		this.lastSeqs.set(room, seq);
		return seq;
	}

	private lastSeqOf(room: string): number {
		let seq = this.lastSeqs.get(room);
		if (seq === undefined) this.lastSeqs.set(room, (seq = this.statements.lastSeq.get(room, room)!));
		return seq;
	}

	async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		this.compactRoom(room, snapshot, throughSeq);
	}

	async listRooms(): Promise<RoomSummary[]> {
		return this.statements.list.all().map((r) => ({
			name: r.name,
			bytes: r.snapshotBytes + r.logBytes,
			pendingUpdates: r.logCount,
			updatedAt: new Date(r.updatedAt)
		}));
	}

	async deleteRoom(room: string): Promise<void> {
		this.lastSeqs.delete(room);
		this.db.transaction(() => {
			this.statements.deleteUpdates.run(room);
			this.statements.deleteRoom.run(room);
			this.statements.deleteAccess.run(room);
			this.images.deleteBoard(room);
			this.versions.deleteBoard(room);
		})();
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
		return accessOf(this.statements.loadAccess.get(board));
	}

	async claimAccess(board: string): Promise<boolean> {
		return this.statements.claimAccess.run(board, Date.now()).changes === 1;
	}

	async resetAccess(board: string, right: 'edit' | 'view'): Promise<AccessRecord | null> {
		return accessOf((right === 'edit' ? this.statements.resetEdit : this.statements.resetView).get(board));
	}

	async setHistoryForViewers(board: string, allowed: boolean): Promise<AccessRecord | null> {
		return accessOf(this.statements.setHistoryForViewers.get(allowed ? 1 : 0, board));
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
		if (this.db.open) this.db.close();
		this.lock?.release();
	}
}

export function openSqliteStorage(dataDir: string): SqliteStorage {
	return new SqliteStorage(path.join(dataDir, SQLITE_FILE_NAME));
}

/**
 * The board's access record as stored in `dataDir`, read without taking the folder's lock (a reader,
 * beside a running server): for `npm run links`. null: unclaimed, or no store there yet.
 */
export function readStoredAccess(dataDir: string, board: string): AccessRecord | null {
	let db: Database.Database;
	try {
		db = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
	} catch {
		return null;
	}
	try {
		const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access'").get();
		if (!hasTable) return null;
		const record = db
			.prepare<[string], Omit<AccessRecord, 'historyForViewers'>>('SELECT edit_generation AS editGeneration, view_generation AS viewGeneration FROM access WHERE board = ?')
			.get(board);
		// A store of schema 4 or older has no history switch yet: it is off there.
		return record ? { ...record, historyForViewers: false } : null;
	} finally {
		db.close();
	}
}
