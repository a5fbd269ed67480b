/**
 * Withholds the doc's 'update' event from a transaction nobody needs it for: Yjs encodes every
 * transaction again for its 'update' listeners, and for the first sync of a 10,000-shape board that is
 * the whole 2.5 MB (~230 ms, on the way to the first paint).
 */
import type * as Y from 'yjs';

/**
 * Below this many new Yjs items a transaction's 'update' event is emitted as usual: encoding it is cheap
 * (a rect is ~11 items, so this is ~450 rects), and one stored update is cheaper than storing the whole doc.
 */
export const BULK_SYNC_MIN_ITEMS = 5_000;

/** Yjs items (clock ticks, over every client) the transaction added. Valid once the transaction is being cleaned up. */
export function itemsAdded(transaction: Y.Transaction): number {
	let added = 0;
	for (const [client, clock] of transaction.afterState) added += clock - (transaction.beforeState.get(client) ?? 0);
	return added;
}

/**
 * For each transaction `skip` selects, Yjs neither encodes it nor calls the doc's 'update' listeners;
 * `onSkipped` runs instead (right after), so the caller can make up for what those listeners would have done.
 * Transactions nested in its observers, and every later one, reach the listeners as usual.
 * Returns a function that stops withholding.
 */
export function withholdUpdates(
	doc: Y.Doc,
	skip: (transaction: Y.Transaction) => boolean,
	onSkipped: (transaction: Y.Transaction) => void
): () => void {
	// Yjs encodes a transaction only if an 'update' listener exists at the moment it would emit the event,
	// right after 'afterTransactionCleanup', so the listener set is taken out for that moment and put back at
	// the next event (the next transaction's cleanup, or the end of the batch), in the same order.
	const observers = doc._observers;
	let withheld: { transaction: Y.Transaction; listeners: Set<unknown> | undefined } | null = null;
	const restore = () => {
		if (!withheld) return;
		const { transaction, listeners } = withheld;
		withheld = null;
		if (listeners) {
			const added = observers.get('update');
			observers.set('update', added ? new Set([...listeners, ...added]) : listeners);
		}
		// Only now: a listener it adds must not receive the withheld event.
		onSkipped(transaction);
	};
	const onCleanup = (transaction: Y.Transaction) => {
		restore();
		if (!skip(transaction)) return;
		withheld = { transaction, listeners: observers.get('update') };
		observers.delete('update');
	};
	doc.on('afterTransactionCleanup', onCleanup);
	doc.on('afterAllTransactions', restore);
	return () => {
		restore();
		doc.off('afterTransactionCleanup', onCleanup);
		doc.off('afterAllTransactions', restore);
	};
}
