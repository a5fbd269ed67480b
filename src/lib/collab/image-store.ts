/**
 * This browser's copy of image files, in IndexedDB (database `boardwalk:images`, one for every board):
 * `files` holds bytes by hash (images added here until uploaded, and images copied for a paste into
 * another board), `pending` the uploads each board still owes the server (key `<board> <hash>`).
 */
import { openDatabase } from '$lib/collab/idb';
import type { PendingStore } from '$lib/collab/upload-queue';

const DATABASE = 'boardwalk:images';
const FILES = 'files';
const PENDING = 'pending';
/** Files kept for a paste are forgotten after this long (a pending upload keeps its file until it is done). */
export const KEPT_FILE_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export interface KeptFile {
	blob: Blob;
	keptAt: number;
}

function request<T>(run: (db: IDBDatabase) => IDBRequest<T>, db: IDBDatabase): Promise<T> {
	return new Promise((resolve, reject) => {
		try {
			const req = run(db);
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		} catch (error) {
			reject(error);
		}
	});
}

export class ImageFileStore {
	readonly #db: Promise<IDBDatabase | null>;

	constructor() {
		// Where there is no IndexedDB, files live in memory only.
		this.#db = openDatabase(DATABASE, [FILES, PENDING]);
	}

	async #run<T>(store: string, mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
		const db = await this.#db;
		if (!db) return undefined;
		return request((d) => run(d.transaction([store], mode).objectStore(store)), db);
	}

	async getFile(hash: string): Promise<Blob | null> {
		const kept = (await this.#run(FILES, 'readonly', (s) => s.get(hash)).catch(() => undefined)) as KeptFile | undefined;
		return kept?.blob ?? null;
	}

	async putFile(hash: string, blob: Blob): Promise<void> {
		const kept: KeptFile = { blob, keptAt: Date.now() };
		await this.#run(FILES, 'readwrite', (s) => s.put(kept, hash));
	}

	/** A board's pending uploads, kept across reloads. */
	pendingFor(board: string): PendingStore {
		const key = (hash: string) => `${board} ${hash}`;
		return {
			list: async () => {
				// The range is made inside the transaction: where there is no IndexedDB (Node), neither is IDBKeyRange.
				const keys = ((await this.#run(PENDING, 'readonly', (s) => s.getAllKeys(IDBKeyRange.bound(`${board} `, `${board} \uffff`))).catch(() => [])) ?? []) as string[];
				return keys.map((k) => k.slice(board.length + 1));
			},
			put: async (hash) => void (await this.#run(PENDING, 'readwrite', (s) => s.put(Date.now(), key(hash)))),
			remove: async (hash) => void (await this.#run(PENDING, 'readwrite', (s) => s.delete(key(hash))))
		};
	}

	/** Forgets files kept longer than KEPT_FILE_MAX_AGE_MS that no board still has to upload. */
	async prune(now = Date.now()): Promise<void> {
		const db = await this.#db;
		if (!db) return;
		const pendingKeys = ((await this.#run(PENDING, 'readonly', (s) => s.getAllKeys()).catch(() => [])) ?? []) as string[];
		const needed = new Set(pendingKeys.map((k) => k.slice(k.indexOf(' ') + 1)));
		try {
			const tx = db.transaction([FILES], 'readwrite');
			const cursor = tx.objectStore(FILES).openCursor();
			cursor.onsuccess = () => {
				const c = cursor.result;
				if (!c) return;
				const kept = c.value as KeptFile;
				if (!needed.has(String(c.key)) && now - kept.keptAt > KEPT_FILE_MAX_AGE_MS) c.delete();
				c.continue();
			};
		} catch {
			// Closing: pruned another time.
		}
	}

	async close(): Promise<void> {
		(await this.#db)?.close();
	}
}
