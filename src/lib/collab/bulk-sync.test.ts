import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemsAdded, withholdUpdates } from '$lib/collab/bulk-sync';

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

describe('withholdUpdates', () => {
	it('keeps the update event of a selected transaction from every listener, and reports it instead', () => {
		const doc = new Y.Doc();
		const seen: string[] = [];
		doc.on('update', (_u, origin) => seen.push(`first:${String(origin === REMOTE)}`));
		doc.on('update', (_u, origin) => seen.push(`second:${String(origin === REMOTE)}`));
		const skipped: number[] = [];
		withholdUpdates(
			doc,
			(tr) => tr.origin === REMOTE,
			(tr) => skipped.push(itemsAdded(tr))
		);

		Y.applyUpdate(doc, remoteUpdate(20), REMOTE);
		expect(seen).toEqual([]);
		expect(skipped).toEqual([20]);
		expect(doc.getMap('shapes').size).toBe(20);

		// Later transactions reach the listeners again, in their original order.
		doc.getMap('shapes').set('local', 1);
		expect(seen).toEqual(['first:false', 'second:false']);
	});

	it('lets a write made by an observer of the withheld transaction reach the listeners', () => {
		const doc = new Y.Doc();
		const shapes = doc.getMap('shapes');
		const meta = doc.getMap('meta');
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		shapes.observe((event) => {
			if (event.transaction.origin === REMOTE) meta.set('seen', shapes.size);
		});
		withholdUpdates(doc, (tr) => tr.origin === REMOTE, () => {});

		Y.applyUpdate(doc, remoteUpdate(5), REMOTE);
		expect(updates).toHaveLength(1);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, updates[0]!);
		expect(copy.getMap('meta').get('seen')).toBe(5);
		expect(copy.getMap('shapes').size).toBe(0);
	});

	it('keeps a listener added while the event was withheld, and stops withholding when asked', () => {
		const doc = new Y.Doc();
		const calls: string[] = [];
		doc.on('update', () => calls.push('old'));
		const stop = withholdUpdates(
			doc,
			(tr) => tr.origin === REMOTE,
			() => doc.on('update', () => calls.push('new'))
		);
		Y.applyUpdate(doc, remoteUpdate(3), REMOTE);
		doc.getMap('shapes').set('a', 1);
		expect(calls).toEqual(['old', 'new']);

		stop();
		calls.length = 0;
		Y.applyUpdate(doc, remoteUpdate(4), REMOTE);
		expect(calls).toEqual(['old', 'new']);
	});
});

describe('itemsAdded', () => {
	it('counts the Yjs items a transaction added over every client', () => {
		const doc = new Y.Doc();
		let added = -1;
		doc.on('afterTransaction', (tr: Y.Transaction) => (added = itemsAdded(tr)));
		doc.transact(() => {
			const map = doc.getMap('m');
			map.set('a', 1);
			map.set('b', 2);
			doc.getArray('points').push([1, 2, 3]);
		});
		expect(added).toBe(5);
		Y.applyUpdate(doc, remoteUpdate(7));
		expect(added).toBe(7);
	});
});
