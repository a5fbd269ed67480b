/** The SQLite engine's versions (VersionStorage): one row per version, its content gzip'd JSON, each write one statement or transaction. */
import type Database from 'better-sqlite3';
import type { VersionEditor, VersionInfo, VersionKind, VersionSummary } from '../../src/lib/shared/history.ts';
import type { VersionStorage } from './types.ts';
import { versionsToThin, type RetentionPolicy } from './version-retention.ts';

/** Schema version 5: versions, apart from the live rooms (loading a board never reads them). */
export const VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS versions (
	board TEXT NOT NULL,
	id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	kind TEXT NOT NULL,
	name TEXT,
	editors TEXT NOT NULL,
	summary TEXT NOT NULL,
	shape_count INTEGER NOT NULL,
	bytes INTEGER NOT NULL,
	content BLOB NOT NULL,
	PRIMARY KEY (board, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS versions_by_time ON versions (board, created_at);`;

/** Version 4 → 5: versions, and the access record's history-for-viewers switch (off). */
export const MIGRATE_VERSIONS = `${VERSION_TABLE}
ALTER TABLE access ADD COLUMN history_for_viewers INTEGER NOT NULL DEFAULT 0;`;

interface InfoRow {
	id: string;
	createdAt: number;
	kind: string;
	name: string | null;
	editors: string;
	summary: string;
	shapes: number;
	bytes: number;
}

const INFO_COLUMNS = 'id, created_at AS createdAt, kind, name, editors, summary, shape_count AS shapes, bytes';

function infoOf(row: InfoRow): VersionInfo {
	return {
		id: row.id,
		createdAt: row.createdAt,
		kind: row.kind as VersionKind,
		name: row.name,
		editors: JSON.parse(row.editors) as VersionEditor[],
		summary: JSON.parse(row.summary) as VersionSummary,
		shapes: row.shapes,
		bytes: row.bytes
	};
}

export class SqliteVersions implements VersionStorage {
	private readonly statements;
	private readonly thin: (board: string, now: number, policy: RetentionPolicy) => number;

	constructor(db: Database.Database) {
		this.statements = {
			insert: db.prepare<[string, string, number, string, string | null, string, string, number, number, Uint8Array]>(
				`INSERT INTO versions (board, id, created_at, kind, name, editors, summary, shape_count, bytes, content)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			),
			list: db.prepare<[string], InfoRow>(`SELECT ${INFO_COLUMNS} FROM versions WHERE board = ? ORDER BY created_at DESC, id DESC`),
			get: db.prepare<[string, string], InfoRow & { content: Buffer }>(`SELECT ${INFO_COLUMNS}, content FROM versions WHERE board = ? AND id = ?`),
			rename: db.prepare<[string | null, string, string], InfoRow>(`UPDATE versions SET name = ? WHERE board = ? AND id = ? RETURNING ${INFO_COLUMNS}`),
			delete: db.prepare<[string, string]>('DELETE FROM versions WHERE board = ? AND id = ?'),
			deleteBoard: db.prepare<[string]>('DELETE FROM versions WHERE board = ?'),
			retained: db.prepare<[string], { id: string; createdAt: number; name: string | null; bytes: number }>(
				'SELECT id, created_at AS createdAt, name, bytes FROM versions WHERE board = ?'
			)
		};
		this.thin = db.transaction((board: string, now: number, policy: RetentionPolicy) => {
			const dropped = versionsToThin(this.statements.retained.all(board), now, policy);
			for (const id of dropped) this.statements.delete.run(board, id);
			return dropped.length;
		});
	}

	async addVersion(board: string, info: VersionInfo, content: Uint8Array): Promise<void> {
		// One INSERT: a crash leaves the whole row or none.
		this.statements.insert.run(
			board,
			info.id,
			info.createdAt,
			info.kind,
			info.name,
			JSON.stringify(info.editors),
			JSON.stringify(info.summary),
			info.shapes,
			content.byteLength,
			content
		);
	}

	async listVersions(board: string): Promise<VersionInfo[]> {
		return this.statements.list.all(board).map(infoOf);
	}

	async getVersion(board: string, id: string): Promise<{ info: VersionInfo; content: Uint8Array } | null> {
		const row = this.statements.get.get(board, id);
		if (!row) return null;
		return { info: infoOf(row), content: new Uint8Array(row.content.buffer, row.content.byteOffset, row.content.byteLength) };
	}

	async renameVersion(board: string, id: string, name: string | null): Promise<VersionInfo | null> {
		const row = this.statements.rename.get(name, board, id);
		return row ? infoOf(row) : null;
	}

	async deleteVersion(board: string, id: string): Promise<boolean> {
		return this.statements.delete.run(board, id).changes === 1;
	}

	async thinVersions(board: string, now: number, policy: RetentionPolicy): Promise<number> {
		return this.thin(board, now, policy);
	}

	/** Inside the caller's transaction (deleteRoom). */
	deleteBoard(board: string): void {
		this.statements.deleteBoard.run(board);
	}
}
