/**
 * The PostgreSQL engine's images (ImageStorage), on the engine's pool: bytes once per hash in `images`,
 * which board has which in `board_images` (schema 3, postgres-schema.ts).
 *
 * Every statement is idempotent, so every process of a cluster may run the collector at once: two
 * collectors delete the same rows, and the second finds nothing left. An upload racing a collection
 * is kept safe by the foreign key board_images → images: the upload's INSERT into board_images locks
 * the image row (KEY SHARE) until its COMMIT, so a concurrent DELETE of that image waits and then fails
 * on the key (the collector logs it and tries again at its next run) rather than leaving a board with
 * an image whose bytes are gone.
 */
import type pg from 'pg';
import type { ImageMimeType } from '../../src/lib/shared/model/index.ts';
import type { ImageStorage, StoredImage } from './types.ts';

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const DROP_UNOWNED = 'DELETE FROM images i WHERE NOT EXISTS (SELECT 1 FROM board_images b WHERE b.hash = i.hash)';

export class PostgresImages implements ImageStorage {
	constructor(
		private readonly pool: pg.Pool,
		/** Runs `work` in one transaction (the engine's own, after checking it may write). */
		private readonly transaction: <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>
	) {}

	putImage(board: string, hash: string, image: StoredImage, now: number): Promise<'created' | 'existing'> {
		return this.transaction(async (client) => {
			await client.query(
				'INSERT INTO images (hash, mime, size, data, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING',
				[hash, image.mime, image.bytes.byteLength, asBuffer(image.bytes), now]
			);
			const inserted = await client.query(
				'INSERT INTO board_images (board, hash, added_at, unreferenced_since) VALUES ($1, $2, $3, $3) ON CONFLICT (board, hash) DO NOTHING',
				[board, hash, now]
			);
			if (inserted.rowCount === 1) return 'created';
			await client.query('UPDATE board_images SET unreferenced_since = $3 WHERE board = $1 AND hash = $2 AND unreferenced_since IS NOT NULL', [
				board,
				hash,
				now
			]);
			return 'existing';
		});
	}

	async getImage(board: string, hash: string): Promise<StoredImage | null> {
		const row = (
			await this.pool.query<{ mime: string; data: Buffer }>(
				'SELECT i.mime, i.data FROM board_images b JOIN images i ON i.hash = b.hash WHERE b.board = $1 AND b.hash = $2',
				[board, hash]
			)
		).rows[0];
		return row ? { mime: row.mime as ImageMimeType, bytes: asBytes(row.data) } : null;
	}

	async boardImageBytes(board: string): Promise<number> {
		const result = await this.pool.query<{ total: string }>(
			'SELECT COALESCE(SUM(i.size), 0) AS total FROM board_images b JOIN images i ON i.hash = b.hash WHERE b.board = $1',
			[board]
		);
		return Number(result.rows[0]!.total);
	}

	async touchImageRefs(board: string, hashes: Iterable<string>, now: number): Promise<void> {
		// One statement: referenced pairs lose their date, the others that had none get `now`.
		await this.transaction((client) =>
			client.query(
				`UPDATE board_images SET unreferenced_since = CASE WHEN hash = ANY($2::text[]) THEN NULL ELSE $3::bigint END
				WHERE board = $1 AND ((hash = ANY($2::text[])) <> (unreferenced_since IS NULL))`,
				[board, [...hashes], now]
			)
		);
	}

	collectImages(olderThan: number): Promise<{ boardImages: number; images: number }> {
		return this.transaction(async (client) => {
			const pairs = await client.query('DELETE FROM board_images WHERE unreferenced_since < $1', [olderThan]);
			const images = await client.query(DROP_UNOWNED);
			return { boardImages: pairs.rowCount ?? 0, images: images.rowCount ?? 0 };
		});
	}

	/** Within the caller's transaction (deleteRoom): the board's images go, and the bytes nobody else has. */
	async deleteBoard(client: pg.PoolClient, board: string): Promise<void> {
		await client.query('DELETE FROM board_images WHERE board = $1', [board]);
		await client.query(DROP_UNOWNED);
	}
}
