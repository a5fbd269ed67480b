/**
 * The doc's one 'update' listener, which hands each change made to the board to the outgoing stages
 * (the server, other tabs, this browser's copy), and lets through unencoded the transactions nobody
 * needs encoded. Imports nothing of the project, so tests in Node and Playwright can read its constant.
 */
import type * as Y from 'yjs';

/**
 * A first sync from the server adding at least this many Yjs items skips the 'update' event and is
 * written to this browser's copy whole, once the page is idle; below it the event is cheaper than
 * writing the whole doc. A rect is seven or more items (its map and its stored fields).
 */
export const BULK_SYNC_MIN_ITEMS = 5_000;

/** Yjs items (clock ticks, over every client) the transaction added. Valid once the transaction is being cleaned up. */
export function itemsAdded(transaction: Y.Transaction): number {
	let added = 0;
	for (const [client, clock] of transaction.afterState) added += clock - (transaction.beforeState.get(client) ?? 0);
	return added;
}

/** The transaction changed the doc: it added items or deleted some. */
export function changedDoc(transaction: Y.Transaction): boolean {
	return transaction.deleteSet.clients.size > 0 || itemsAdded(transaction) > 0;
}

export interface DocUpdateHandlers {
	/** Whether to let this transaction through without its 'update' event (asked once the transaction is being cleaned up). */
	withhold(transaction: Y.Transaction): boolean;
	/** A transaction's update, as Yjs encodes it for 'update' listeners. */
	update(update: Uint8Array, origin: unknown): void;
	/** A transaction let through without its update, so the caller can make up for what it skipped. */
	withheld(transaction: Y.Transaction): void;
}

/**
 * Yjs encodes a transaction again for its 'update' listeners only if one is subscribed at the moment it
 * would emit the event, right after 'afterTransactionCleanup'. So this listener, the only one in the app,
 * is subscribed or not at that moment, per transaction: a big board's first sync is not encoded a second
 * time when no stage needs it (bench/JOURNAL.md, "The first big sync is not re-encoded").
 */
export class DocUpdates {
	constructor(
		private readonly doc: Y.Doc,
		private readonly handlers: DocUpdateHandlers
	) {
		doc.on('update', this.#onUpdate);
		doc.on('afterTransactionCleanup', this.#onCleanup);
	}

	destroy(): void {
		this.doc.off('update', this.#onUpdate);
		this.doc.off('afterTransactionCleanup', this.#onCleanup);
	}

	readonly #onCleanup = (transaction: Y.Transaction) => {
		if (this.handlers.withhold(transaction)) {
			this.doc.off('update', this.#onUpdate);
			this.handlers.withheld(transaction);
		} else {
			this.doc.on('update', this.#onUpdate);
		}
	};

	readonly #onUpdate = (update: Uint8Array, origin: unknown) => this.handlers.update(update, origin);
}
