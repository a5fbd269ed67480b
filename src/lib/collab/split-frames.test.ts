import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { syncMessage } from '$lib/collab/messages';
import { splitSyncFrame, splitUpdateByClient } from '$lib/collab/split-frames';
import { SYNC_STEP2 } from '$lib/shared/wire';

/** One doc holding changes of `clients` separate client ids, like a tab that was offline across reloads. */
function docOfClients(clients: number, bytesEach: number): Y.Doc {
	const doc = new Y.Doc();
	for (let i = 0; i < clients; i++) {
		const author = new Y.Doc();
		author.getMap('shapes').set(`s${i}`, 'x'.repeat(bytesEach));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(author));
	}
	return doc;
}

describe('splitUpdateByClient', () => {
	it('gives one part per client id that together rebuild the doc in any order, deletes included', () => {
		const doc = docOfClients(3, 100);
		doc.getMap('shapes').delete('s1');
		const parts = splitUpdateByClient(Y.encodeStateAsUpdate(doc));
		expect(parts).toHaveLength(3); // a map delete adds no struct, only a delete-set entry (in every part)
		for (const order of [parts, [...parts].reverse()]) {
			const copy = new Y.Doc();
			for (const part of order) Y.applyUpdate(copy, part);
			expect(copy.getMap('shapes').toJSON()).toEqual(doc.getMap('shapes').toJSON());
			expect(Object.keys(copy.getMap('shapes').toJSON()).sort()).toEqual(['s0', 's2']);
		}
	});

	it('leaves a single-client update as is', () => {
		const update = Y.encodeStateAsUpdate(docOfClients(1, 10));
		expect(splitUpdateByClient(update)).toEqual([update]);
	});
});

describe('splitSyncFrame', () => {
	it('splits only sync step 2 / update frames over the limit, each part under it', () => {
		const update = Y.encodeStateAsUpdate(docOfClients(3, 1000));
		const frame = syncMessage(SYNC_STEP2, update);
		const parts = splitSyncFrame(frame, 2000);
		expect(parts).toHaveLength(3);
		for (const part of parts) {
			expect(part.byteLength).toBeLessThan(2000);
			expect([...part.slice(0, 2)]).toEqual([0, 1]);
		}
		expect(splitSyncFrame(frame, 10_000)).toEqual([frame]);
		const awareness = new Uint8Array([1, ...frame.slice(1)]);
		expect(splitSyncFrame(awareness, 2000)).toEqual([awareness]);
	});
});
