/** The board's copy in this browser (y-indexeddb), and whether it already holds every change made here. */
import type * as Y from 'yjs';
import { IndexeddbPersistence, storeState } from 'y-indexeddb';

/** Longest wait for an idle moment before a whole-doc write (storeWholeDoc) runs anyway. */
const WHOLE_DOC_STORE_MAX_DELAY_MS = 1_000;

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
	/** Withheld changes (see storeWholeDoc): requested, and covered by a whole-doc write that completed. */
	private wholeDocRequested = 0;
	private wholeDocStored = 0;
	private wholeDocBusy = false;
	private cancelWholeDoc: (() => void) | null = null;
	private readonly listeners = new Set<() => void>();
	/** Settles once the stored copy is loaded, or once the database turns out not to open (blocked storage). */
	readonly settled: Promise<void>;

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
		this.settled = new Promise<void>((resolve) => {
			void this.persistence.whenSynced.then(() => resolve());
			this.persistence._db.catch(() => resolve());
		});
	}

	/** The stored copy has been read into the doc (the board shows what this browser kept). */
	get isLoaded(): boolean {
		return this.loaded;
	}

	/** Every change this tab has seen is written to IndexedDB (so closing the tab loses nothing). */
	get upToDate(): boolean {
		return this.loaded && this.wholeDocStored >= this.wholeDocRequested && this.stored >= this.seen;
	}

	/**
	 * For a change whose 'update' event was withheld (bulk-sync.ts), so y-indexeddb never saw it: writes the
	 * whole doc once, when the page is next idle, since encoding it takes as long as the event would have.
	 * Such changes came from the server, so until then nothing typed here is at risk.
	 */
	storeWholeDoc(): void {
		// Not loaded yet: y-indexeddb writes the whole doc as it is at load time, which includes this change.
		if (!this.persistence.synced) return;
		const wasUpToDate = this.upToDate;
		this.wholeDocRequested++;
		if (wasUpToDate) this.notify();
		this.scheduleWholeDoc();
	}

	private scheduleWholeDoc(): void {
		if (this.wholeDocBusy || this.wholeDocStored >= this.wholeDocRequested) return;
		this.wholeDocBusy = true;
		this.cancelWholeDoc = whenIdle(() => {
			this.cancelWholeDoc = null;
			// Requests made until the write encodes the doc are covered by it; counting from here is on the safe side.
			const covers = this.wholeDocRequested;
			// storeState throws rather than rejects once the database is closed.
			Promise.resolve(this.persistence)
				.then((persistence) => storeState(persistence, true))
				.then(
					() => {
						this.wholeDocBusy = false;
						this.wholeDocStored = covers;
						// Counted as one more change, so the check below proves the write committed.
						this.seen++;
						this.check();
						this.scheduleWholeDoc();
					},
					() => (this.wholeDocBusy = false) // the database is closing: the tab is going away
				);
		});
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	destroy(): void {
		this.cancelWholeDoc?.();
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

/** Runs `task` when the page is next idle (after the frame being drawn), or within a second; returns a cancel function. */
function whenIdle(task: () => void): () => void {
	if (typeof requestIdleCallback === 'function') {
		const handle = requestIdleCallback(task, { timeout: WHOLE_DOC_STORE_MAX_DELAY_MS });
		return () => cancelIdleCallback(handle);
	}
	const timer = setTimeout(task, 0);
	return () => clearTimeout(timer);
}
