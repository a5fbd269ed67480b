/** The PostgreSQL engine's versions (VersionStorage), on the engine's pool (schema 4, postgres-schema.ts): each write one statement or transaction. */
import type pg from 'pg';
import type { VersionEditor, VersionInfo, VersionKind, VersionSummary } from '../../src/lib/shared/history.ts';
import type { VersionStorage } from './types.ts';
import { versionsToThin, type RetentionPolicy } from './version-retention.ts';

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface InfoRow {
	id: string;
	created_at: string;
	kind: string;
	name: string | null;
	editors: VersionEditor[];
	summary: VersionSummary;
	shape_count: number;
	bytes: number;
}

const INFO_COLUMNS = 'id, created_at, kind, name, editors, summary, shape_count, bytes';

function infoOf(row: InfoRow): VersionInfo {
	return {
		id: row.id,
		createdAt: Number(row.created_at),
		kind: row.kind as VersionKind,
		name: row.name,
		editors: row.editors,
		summary: row.summary,
		shapes: row.shape_count,
		bytes: row.bytes
	};
}

export class PostgresVersions implements VersionStorage {
	constructor(
		private readonly pool: pg.Pool,
		/** Runs `work` in one write transaction (after checking the writer lock). */
		private readonly writeTransaction: <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
		/** Checks the writer lock before a single-statement write. */
		private readonly writable: () => Promise<void>
	) {}

	async addVersion(board: string, info: VersionInfo, content: Uint8Array): Promise<void> {
		await this.writable();
		await this.pool.query(
			`INSERT INTO versions (board, id, created_at, kind, name, editors, summary, shape_count, bytes, content)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			[board, info.id, info.createdAt, info.kind, info.name, JSON.stringify(info.editors), JSON.stringify(info.summary), info.shapes, content.byteLength, asBuffer(content)]
		);
	}

	async listVersions(board: string): Promise<VersionInfo[]> {
		const result = await this.pool.query<InfoRow>(`SELECT ${INFO_COLUMNS} FROM versions WHERE board = $1 ORDER BY created_at DESC, id DESC`, [board]);
		return result.rows.map(infoOf);
	}

	async getVersion(board: string, id: string): Promise<{ info: VersionInfo; content: Uint8Array } | null> {
		const row = (await this.pool.query<InfoRow & { content: Buffer }>(`SELECT ${INFO_COLUMNS}, content FROM versions WHERE board = $1 AND id = $2`, [board, id])).rows[0];
		return row ? { info: infoOf(row), content: asBytes(row.content) } : null;
	}

	async renameVersion(board: string, id: string, name: string | null): Promise<VersionInfo | null> {
		await this.writable();
		const row = (await this.pool.query<InfoRow>(`UPDATE versions SET name = $3 WHERE board = $1 AND id = $2 RETURNING ${INFO_COLUMNS}`, [board, id, name])).rows[0];
		return row ? infoOf(row) : null;
	}

	async deleteVersion(board: string, id: string): Promise<boolean> {
		await this.writable();
		return (await this.pool.query('DELETE FROM versions WHERE board = $1 AND id = $2', [board, id])).rowCount === 1;
	}

	async thinVersions(board: string, now: number, policy: RetentionPolicy): Promise<number> {
		return this.writeTransaction(async (client) => {
			const rows = (
				await client.query<{ id: string; created_at: string; name: string | null; bytes: number }>(
					'SELECT id, created_at, name, bytes FROM versions WHERE board = $1 FOR UPDATE',
					[board]
				)
			).rows;
			const dropped = versionsToThin(
				rows.map((r) => ({ id: r.id, createdAt: Number(r.created_at), name: r.name, bytes: r.bytes })),
				now,
				policy
			);
			if (dropped.length > 0) await client.query('DELETE FROM versions WHERE board = $1 AND id = ANY($2::text[])', [board, dropped]);
			return dropped.length;
		});
	}

	/** Inside the caller's transaction (deleteRoom). */
	async deleteBoard(client: pg.PoolClient, board: string): Promise<void> {
		await client.query('DELETE FROM versions WHERE board = $1', [board]);
	}
}
