/** Default storage engine: one SQLite file (better-sqlite3, WAL) holding each room's snapshot and update log. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RoomStorage, RoomSummary, StoredRoom } from './types.ts';

const SCHEMA_VERSION = 1;
export const SQLITE_FILE_NAME = 'boardwalk.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
	name TEXT PRIMARY KEY,
	snapshot BLOB,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS updates (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	room TEXT NOT NULL,
	data BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, seq);
`;

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

export class SqliteStorage implements RoomStorage {
	private readonly db: Database.Database;
	private readonly statements;
	private readonly appendAll: (room: string, updates: readonly Uint8Array[]) => number;
	private readonly compactRoom: (room: string, snapshot: Uint8Array, throughSeq: number) => void;

	/** `file` is a path, or ':memory:' for a throwaway database. */
	constructor(file: string) {
		if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
		this.db = new Database(file);
		// WAL + NORMAL: a committed transaction survives a process crash (kill -9); only an OS crash
		// or power loss can lose the newest transactions, which FULL would also cover at a large cost.
		this.db.pragma('journal_mode = WAL');
		this.db.pragma('synchronous = NORMAL');
		this.db.pragma('busy_timeout = 5000');
		const version = this.db.pragma('user_version', { simple: true }) as number;
		if (version > SCHEMA_VERSION) {
			throw new Error(`${file} was written by a newer Boardwalk (schema ${version}); refusing to open it`);
		}
		this.db.exec(SCHEMA);
		this.db.pragma(`user_version = ${SCHEMA_VERSION}`);

		this.statements = {
			snapshot: this.db.prepare<[string], { snapshot: Buffer | null }>('SELECT snapshot FROM rooms WHERE name = ?'),
			updates: this.db.prepare<[string], { seq: number; data: Buffer }>(
				'SELECT seq, data FROM updates WHERE room = ? ORDER BY seq'
			),
			insertUpdate: this.db.prepare<[string, Uint8Array]>('INSERT INTO updates (room, data) VALUES (?, ?)'),
			touchRoom: this.db.prepare<[{ name: string; at: number }]>(
				'INSERT INTO rooms (name, snapshot, updated_at) VALUES (@name, NULL, @at) ON CONFLICT (name) DO UPDATE SET updated_at = @at'
			),
			putSnapshot: this.db.prepare<[{ name: string; snapshot: Uint8Array; at: number }]>(
				'INSERT INTO rooms (name, snapshot, updated_at) VALUES (@name, @snapshot, @at) ON CONFLICT (name) DO UPDATE SET snapshot = @snapshot, updated_at = @at'
			),
			dropUpdates: this.db.prepare<[string, number]>('DELETE FROM updates WHERE room = ? AND seq <= ?'),
			deleteUpdates: this.db.prepare<[string]>('DELETE FROM updates WHERE room = ?'),
			deleteRoom: this.db.prepare<[string]>('DELETE FROM rooms WHERE name = ?'),
			list: this.db.prepare<[], { name: string; snapshotBytes: number; logBytes: number; logCount: number; updatedAt: number }>(
				`SELECT r.name AS name, COALESCE(LENGTH(r.snapshot), 0) AS snapshotBytes,
					COALESCE(SUM(LENGTH(u.data)), 0) AS logBytes, COUNT(u.seq) AS logCount, r.updated_at AS updatedAt
				FROM rooms r LEFT JOIN updates u ON u.room = r.name GROUP BY r.name ORDER BY r.name`
			)
		};

		this.appendAll = this.db.transaction((room: string, updates: readonly Uint8Array[]) => {
			let seq = 0;
			for (const update of updates) seq = Number(this.statements.insertUpdate.run(room, update).lastInsertRowid);
			this.statements.touchRoom.run({ name: room, at: Date.now() });
			return seq;
		});
		this.compactRoom = this.db.transaction((room: string, snapshot: Uint8Array, throughSeq: number) => {
			this.statements.putSnapshot.run({ name: room, snapshot, at: Date.now() });
			this.statements.dropUpdates.run(room, throughSeq);
		});
	}

	async load(room: string): Promise<StoredRoom> {
		// One read transaction so a concurrent compaction cannot be seen half done.
		return this.db.transaction((): StoredRoom => {
			const row = this.statements.snapshot.get(room);
			const rows = this.statements.updates.all(room);
			return {
				snapshot: row?.snapshot ? asBytes(row.snapshot) : null,
				updates: rows.map((r) => asBytes(r.data)),
				lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : 0
			};
		})();
	}

	async append(room: string, updates: readonly Uint8Array[]): Promise<number> {
		return this.appendAll(room, updates);
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
		this.db.transaction(() => {
			this.statements.deleteUpdates.run(room);
			this.statements.deleteRoom.run(room);
		})();
	}

	async close(): Promise<void> {
		if (this.db.open) this.db.close();
	}
}

export function openSqliteStorage(dataDir: string): SqliteStorage {
	return new SqliteStorage(path.join(dataDir, SQLITE_FILE_NAME));
}
