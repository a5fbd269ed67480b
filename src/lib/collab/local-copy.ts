/** The board's copy in this browser (y-indexeddb), and whether it already holds every change made here. */
import type * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';

/** One IndexedDB database per board. */
export const localDatabaseName = (roomId: string): string => `boardwalk:${roomId}`;

/**
 * y-indexeddb writes each update in its own transaction but never says when one committed. A read-only
 * transaction on the same store that starts later waits for every earlier read-write one (IndexedDB
 * orders overlapping transactions), so its completion proves that everything written before is on disk.
 */
export class LocalCopy {
	readonly persistence: IndexeddbPersistence;
	/** Changes seen so far, and how many of them a completed check proved stored. */
	private seen = 0;
	private stored = 0;
	private checking = false;
	private loaded = false;
	private readonly listeners = new Set<() => void>();

	constructor(
		private readonly doc: Y.Doc,
		readonly name: string
	) {
		this.persistence = new IndexeddbPersistence(name, doc);
		// Registered after y-indexeddb's own listener, so its write is queued before our check.
		doc.on('update', this.onUpdate);
		void this.persistence.whenSynced.then(() => {
			this.loaded = true;
			this.check();
			this.notify();
		});
	}

	/** The stored copy has been read into the doc (the board shows what this browser kept). */
	get isLoaded(): boolean {
		return this.loaded;
	}

	/** Every change this tab has seen is written to IndexedDB (so closing the tab loses nothing). */
	get upToDate(): boolean {
		return this.loaded && this.stored >= this.seen;
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	destroy(): void {
		this.doc.off('update', this.onUpdate);
		this.listeners.clear();
		void this.persistence.destroy();
	}

	private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin === this.persistence) return; // read from the store itself
		const wasUpToDate = this.upToDate;
		this.seen++;
		this.check();
		if (wasUpToDate) this.notify();
	};

	/** One check in flight at a time; when it completes it covers everything seen before it started. */
	private check(): void {
		const db = this.persistence.db;
		if (!db || this.checking || this.stored >= this.seen) return;
		const target = this.seen;
		this.checking = true;
		let tx: IDBTransaction;
		try {
			tx = db.transaction(['updates'], 'readonly');
		} catch {
			this.checking = false; // the database is closing
			return;
		}
		const done = (ok: boolean) => {
			this.checking = false;
			if (!ok) return; // the next change checks again
			if (target > this.stored) {
				this.stored = target;
				this.notify();
			}
			this.check();
		};
		tx.oncomplete = () => done(true);
		tx.onabort = () => done(false);
		tx.objectStore('updates').count();
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}
}
