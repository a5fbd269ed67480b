/** The SQLite engine's images (ImageStorage): bytes once per hash in `images`, which board has which in `board_images`. */
import type Database from 'better-sqlite3';
import type { ImageMimeType } from '../../src/lib/shared/model/index.ts';
import type { ImageStorage, StoredImage } from './types.ts';

/**
 * Schema version 4. `board_images.unreferenced_since`: NULL while the board's stored shapes reference the
 * image, else since when they do not (ms; an upload starts it, as nothing references a new image yet).
 */
export const IMAGE_TABLES = `
CREATE TABLE IF NOT EXISTS images (
	hash TEXT PRIMARY KEY,
	mime TEXT NOT NULL,
	size INTEGER NOT NULL,
	data BLOB NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS board_images (
	board TEXT NOT NULL,
	hash TEXT NOT NULL REFERENCES images (hash),
	added_at INTEGER NOT NULL,
	unreferenced_since INTEGER,
	PRIMARY KEY (board, hash)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS board_images_by_hash ON board_images (hash);`;

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** Statements on an open database; every write is one transaction, and every one is idempotent. */
export class SqliteImages implements ImageStorage {
	private readonly statements;
	private readonly put: (board: string, hash: string, image: StoredImage, now: number) => 'created' | 'existing';
	private readonly touch: (board: string, hashes: string[], now: number) => void;
	private readonly collect: (olderThan: number) => { boardImages: number; images: number };

	constructor(db: Database.Database) {
		this.statements = {
			insertImage: db.prepare<[string, string, number, Uint8Array, number]>(
				'INSERT INTO images (hash, mime, size, data, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING'
			),
			insertPair: db.prepare<[string, string, number, number]>(
				'INSERT INTO board_images (board, hash, added_at, unreferenced_since) VALUES (?, ?, ?, ?) ON CONFLICT (board, hash) DO NOTHING'
			),
			restartGrace: db.prepare<[number, string, string]>(
				'UPDATE board_images SET unreferenced_since = ? WHERE board = ? AND hash = ? AND unreferenced_since IS NOT NULL'
			),
			get: db.prepare<[string, string], { mime: string; data: Buffer }>(
				'SELECT i.mime, i.data FROM board_images b JOIN images i ON i.hash = b.hash WHERE b.board = ? AND b.hash = ?'
			),
			boardBytes: db
				.prepare<[string], number>('SELECT COALESCE(SUM(i.size), 0) FROM board_images b JOIN images i ON i.hash = b.hash WHERE b.board = ?')
				.pluck(),
			pairs: db.prepare<[string], { hash: string; unreferencedSince: number | null }>(
				'SELECT hash, unreferenced_since AS unreferencedSince FROM board_images WHERE board = ?'
			),
			setUnreferenced: db.prepare<[number | null, string, string]>('UPDATE board_images SET unreferenced_since = ? WHERE board = ? AND hash = ?'),
			dropPairs: db.prepare<[number]>('DELETE FROM board_images WHERE unreferenced_since < ?'),
			dropBoard: db.prepare<[string]>('DELETE FROM board_images WHERE board = ?'),
			dropUnowned: db.prepare<[]>('DELETE FROM images WHERE NOT EXISTS (SELECT 1 FROM board_images b WHERE b.hash = images.hash)')
		};
		const s = this.statements;
		this.put = db.transaction((board: string, hash: string, image: StoredImage, now: number) => {
			s.insertImage.run(hash, image.mime, image.bytes.byteLength, image.bytes, now);
			if (s.insertPair.run(board, hash, now, now).changes === 1) return 'created' as const;
			s.restartGrace.run(now, board, hash);
			return 'existing' as const;
		});
		this.touch = db.transaction((board: string, hashes: string[], now: number) => {
			const referenced = new Set(hashes);
			for (const pair of s.pairs.all(board)) {
				if (referenced.has(pair.hash)) {
					if (pair.unreferencedSince !== null) s.setUnreferenced.run(null, board, pair.hash);
				} else if (pair.unreferencedSince === null) {
					s.setUnreferenced.run(now, board, pair.hash);
				}
			}
		});
		this.collect = db.transaction((olderThan: number) => ({
			boardImages: s.dropPairs.run(olderThan).changes,
			images: s.dropUnowned.run().changes
		}));
	}

	async putImage(board: string, hash: string, image: StoredImage, now: number): Promise<'created' | 'existing'> {
		return this.put(board, hash, image, now);
	}

	async getImage(board: string, hash: string): Promise<StoredImage | null> {
		const row = this.statements.get.get(board, hash);
		return row ? { mime: row.mime as ImageMimeType, bytes: asBytes(row.data) } : null;
	}

	async boardImageBytes(board: string): Promise<number> {
		return this.statements.boardBytes.get(board)!;
	}

	async touchImageRefs(board: string, hashes: Iterable<string>, now: number): Promise<void> {
		this.touch(board, [...hashes], now);
	}

	async collectImages(olderThan: number): Promise<{ boardImages: number; images: number }> {
		return this.collect(olderThan);
	}

	/** Within the caller's transaction (deleteRoom): the board's images go, and the bytes nobody else has. */
	deleteBoard(board: string): void {
		this.statements.dropBoard.run(board);
		this.statements.dropUnowned.run();
	}
}
