/**
 * The board's copy in this browser: IndexedDB in y-indexeddb's format, so copies written before still
 * open (database `boardwalk:<board>`, store `updates` of Yjs updates under auto-increment keys, store
 * `custom` unused), knowing from each write's own transaction when it committed.
 */
import * as Y from 'yjs';

/** One IndexedDB database per board. */
export const localDatabaseName = (roomId: string): string => `boardwalk:${roomId}`;

const UPDATES = 'updates';
const CUSTOM = 'custom';
/** y-indexeddb's PREFERRED_TRIM_SIZE: past this many stored updates the copy is rewritten as one. */
export const COMPACT_AFTER_UPDATES = 500;
/** Longest wait for an idle moment before a whole-doc write runs anyway. */
const WHOLE_DOC_MAX_DELAY_MS = 1_000;

function openDatabase(name: string): Promise<IDBDatabase | null> {
	return new Promise((resolve) => {
		let request: IDBOpenDBRequest;
		try {
			request = indexedDB.open(name);
		} catch {
			return resolve(null); // no IndexedDB here (blocked storage, or not a browser)
		}
		request.onupgradeneeded = () => {
			const db = request.result;
			if (!db.objectStoreNames.contains(UPDATES)) db.createObjectStore(UPDATES, { autoIncrement: true });
			if (!db.objectStoreNames.contains(CUSTOM)) db.createObjectStore(CUSTOM);
		};
		request.onsuccess = () => {
			const db = request.result;
			// Another tab upgrading or deleting the database (the person cleared site data) must not wait on us.
			db.onversionchange = () => db.close();
			resolve(db);
		};
		request.onerror = () => resolve(null);
	});
}

/** Runs `task` when the page is next idle (after the frame being drawn), or within a second; returns a cancel function. */
function whenIdle(task: () => void): () => void {
	if (typeof requestIdleCallback === 'function') {
		const handle = requestIdleCallback(task, { timeout: WHOLE_DOC_MAX_DELAY_MS });
		return () => cancelIdleCallback(handle);
	}
	const timer = setTimeout(task, 0);
	return () => clearTimeout(timer);
}

/**
 * Writes go one transaction at a time, in order, so a transaction's `complete` proves everything asked
 * before it is on disk. A change asked while one is running joins the next.
 */
export class LocalStore {
	readonly #db: Promise<IDBDatabase | null>;
	#open: IDBDatabase | null = null;
	#loaded = false;
	#closed = false;
	/** Updates waiting for the next transaction. */
	#queue: Uint8Array[] = [];
	#writing = false;
	/** Updates asked to be written, and how many of them a committed transaction holds. */
	#asked = 0;
	#stored = 0;
	/** Whole-doc writes asked (storeWholeDoc) and done; a compaction is not counted, it adds nothing. */
	#wholeAsked = 0;
	#wholeStored = 0;
	#wholeDue: 'write' | 'compact' | null = null;
	#idle = false;
	#cancelIdle: (() => void) | null = null;
	/** Records in the store, to know when to compact. */
	#records = 0;
	readonly #listeners = new Set<() => void>();

	constructor(
		readonly name: string,
		private readonly doc: Y.Doc
	) {
		this.#db = openDatabase(name).then((db) => (this.#open = db));
	}

	/**
	 * Reads the stored copy into the doc as one transaction whose origin is this store. Resolves true once
	 * it is in, false when the database cannot be opened (the board then opens from the server alone).
	 */
	async load(): Promise<boolean> {
		const db = await this.#db;
		if (!db || this.#closed) return false;
		const records = await new Promise<Uint8Array[] | null>((resolve) => {
			try {
				const request = db.transaction([UPDATES], 'readonly').objectStore(UPDATES).getAll();
				request.onsuccess = () => resolve(request.result as Uint8Array[]);
				request.onerror = () => resolve(null);
			} catch {
				resolve(null); // the database is closing
			}
		});
		if (!records || this.#closed) return false;
		// Not a local transaction: Yjs then checks that the copy does not hold this doc's own client id.
		Y.transact(this.doc, () => records.forEach((update) => Y.applyUpdate(this.doc, update)), this, false);
		this.#records = records.length;
		this.#loaded = true;
		this.#notify();
		this.#pump();
		return true;
	}

	/** The copy is loaded and every change handed to it has committed: closing the tab now loses nothing. */
	get upToDate(): boolean {
		return this.#loaded && this.#stored >= this.#asked && this.#wholeStored >= this.#wholeAsked;
	}

	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Writes one change (as the doc's 'update' event encoded it). */
	append(update: Uint8Array): void {
		const wasUpToDate = this.upToDate;
		this.#asked++;
		this.#queue.push(update);
		if (wasUpToDate) this.#notify();
		this.#pump();
	}

	/**
	 * For changes the doc took without an 'update' event (a big first sync): writes the whole doc once the
	 * page is next idle, in place of every stored update, since encoding it costs what the event would have.
	 */
	storeWholeDoc(): void {
		const wasUpToDate = this.upToDate;
		this.#wholeAsked++;
		this.#wholeDue = 'write';
		if (wasUpToDate) this.#notify();
		this.#waitForIdle();
	}

	destroy(): void {
		this.#closed = true;
		this.#cancelIdle?.();
		this.#listeners.clear();
		// close() lets the running transaction finish.
		void this.#db.then((db) => db?.close());
	}

	#waitForIdle(): void {
		if (this.#cancelIdle || this.#idle) return;
		this.#cancelIdle = whenIdle(() => {
			this.#cancelIdle = null;
			this.#idle = true;
			this.#pump();
		});
	}

	#pump(): void {
		const db = this.#open;
		if (!db || !this.#loaded || this.#closed || this.#writing) return;
		if (this.#wholeDue && this.#idle) return this.#writeWholeDoc(db);
		if (this.#queue.length > 0) this.#writeQueued(db);
		// A whole-doc write that failed is tried again at the next idle moment after a change.
		if (this.#wholeDue) this.#waitForIdle();
	}

	#writeQueued(db: IDBDatabase): void {
		const batch = this.#queue;
		this.#queue = [];
		const covers = this.#asked;
		this.#run(
			db,
			(store) => batch.forEach((update) => store.add(update)),
			() => {
				this.#stored = covers;
				this.#records += batch.length;
				if (this.#records >= COMPACT_AFTER_UPDATES && !this.#wholeDue) {
					this.#wholeDue = 'compact';
					this.#waitForIdle();
				}
			},
			() => (this.#queue = [...batch, ...this.#queue])
		);
	}

	#writeWholeDoc(db: IDBDatabase): void {
		const due = this.#wholeDue;
		this.#wholeDue = null;
		this.#idle = false;
		// The doc as it is now holds every change asked so far, so the queue is covered too.
		const whole = Y.encodeStateAsUpdate(this.doc);
		const dropped = this.#queue;
		this.#queue = [];
		const covers = this.#asked;
		const wholeCovers = this.#wholeAsked;
		this.#run(
			db,
			(store) => {
				const added = store.add(whole);
				// Everything stored before it, as y-indexeddb's own trim does.
				added.onsuccess = () => store.delete(IDBKeyRange.upperBound(added.result, true));
			},
			() => {
				this.#stored = covers;
				this.#wholeStored = wholeCovers;
				this.#records = 1;
			},
			() => {
				this.#queue = [...dropped, ...this.#queue];
				this.#wholeDue ??= due;
			}
		);
	}

	/** One read-write transaction; `done` once it committed, `failed` if it did not (storage full, database closing). */
	#run(db: IDBDatabase, write: (store: IDBObjectStore) => void, done: () => void, failed: () => void): void {
		let tx: IDBTransaction;
		try {
			tx = db.transaction([UPDATES], 'readwrite');
			write(tx.objectStore(UPDATES));
		} catch {
			failed();
			return;
		}
		this.#writing = true;
		tx.oncomplete = () => {
			this.#writing = false;
			done();
			this.#notify();
			this.#pump();
		};
		// Kept for the next write, which tries again; meanwhile the copy is not up to date.
		tx.onabort = () => {
			this.#writing = false;
			failed();
		};
	}

	#notify(): void {
		for (const listener of this.#listeners) listener();
	}
}
