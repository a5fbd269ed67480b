// The doc's one 'update' listener: a withheld transaction is neither encoded nor handed on, everything else is, writes nested in its observers included.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocUpdates, changedDoc, itemsAdded } from '$lib/collab/doc-updates';

const REMOTE = Symbol('remote');

/** An update from another doc with `count` map entries, applied as the server's sync would be. */
function remoteUpdate(count: number): Uint8Array {
	const other = new Y.Doc();
	const map = other.getMap('shapes');
	other.transact(() => {
		for (let i = 0; i < count; i++) map.set(`s${i}`, i);
	});
	return Y.encodeStateAsUpdate(other);
}

/**
 * Whether Yjs will encode the transaction being cleaned up: it does when an 'update' listener is subscribed
 * once the 'afterTransactionCleanup' listeners have run. Yjs offers no public way to ask, so the test reads
 * the listener table itself (the code under test only subscribes and unsubscribes).
 */
function watchEncoding(doc: Y.Doc): boolean[] {
	const encoded: boolean[] = [];
	doc.on('afterTransactionCleanup', () => encoded.push(doc._observers.has('update')));
	return encoded;
}

function tap(doc: Y.Doc) {
	const updates: Array<{ update: Uint8Array; origin: unknown }> = [];
	const withheld: number[] = [];
	const feed = new DocUpdates(doc, {
		withhold: (tr) => tr.origin === REMOTE,
		update: (update, origin) => updates.push({ update, origin }),
		withheld: (tr) => withheld.push(itemsAdded(tr))
	});
	return { feed, updates, withheld };
}

describe('DocUpdates', () => {
	it('lets a withheld transaction through unencoded and reports it; the next one is encoded and handed on', () => {
		const doc = new Y.Doc();
		const { updates, withheld } = tap(doc);
		const encoded = watchEncoding(doc);

		Y.applyUpdate(doc, remoteUpdate(20), REMOTE);
		expect(doc.getMap('shapes').size).toBe(20);
		expect(updates).toEqual([]);
		expect(withheld).toEqual([20]);
		expect(encoded).toEqual([false]);

		doc.getMap('shapes').set('local', 1);
		expect(encoded).toEqual([false, true]);
		expect(updates).toHaveLength(1);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, updates[0]!.update);
		expect(copy.getMap('shapes').toJSON()).toEqual({ local: 1 });
	});

	it('hands on a write made by an observer of the withheld transaction', () => {
		const doc = new Y.Doc();
		const shapes = doc.getMap('shapes');
		const meta = doc.getMap('meta');
		shapes.observe((event) => {
			if (event.transaction.origin === REMOTE) meta.set('seen', shapes.size);
		});
		const { updates } = tap(doc);

		Y.applyUpdate(doc, remoteUpdate(5), REMOTE);
		expect(updates).toHaveLength(1);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, updates[0]!.update);
		expect(copy.getMap('meta').get('seen')).toBe(5);
		expect(copy.getMap('shapes').size).toBe(0);
	});

	it('stops listening when destroyed', () => {
		const doc = new Y.Doc();
		const { feed, updates } = tap(doc);
		const encoded = watchEncoding(doc);
		feed.destroy();
		doc.getMap('shapes').set('a', 1);
		expect(updates).toEqual([]);
		expect(encoded).toEqual([false]);
	});
});

describe('itemsAdded and changedDoc', () => {
	it('count the Yjs items a transaction added over every client, and tell a transaction that changed nothing', () => {
		const doc = new Y.Doc();
		const seen: Array<[number, boolean]> = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => seen.push([itemsAdded(tr), changedDoc(tr)]));
		doc.transact(() => {
			const map = doc.getMap('m');
			map.set('a', 1);
			map.set('b', 2);
			doc.getArray('points').push([1, 2, 3]);
		});
		Y.applyUpdate(doc, remoteUpdate(7));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(doc)); // nothing new
		doc.getMap('m').delete('a');
		expect(seen).toEqual([
			[5, true],
			[7, true],
			[0, false],
			[0, true]
		]);
	});
});
