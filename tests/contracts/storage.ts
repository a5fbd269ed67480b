/** The contract tests every storage engine must pass; an engine's test file calls `storageContract` with a factory. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomStorage } from '../../server/storage/types.ts';

function updateSetting(key: string, value: unknown, doc = new Y.Doc()): Uint8Array {
	const before = Y.encodeStateVector(doc);
	doc.getMap('shapes').set(key, value);
	return Y.encodeStateAsUpdate(doc, before);
}

function materialise(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Record<string, unknown> {
	const doc = new Y.Doc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc.getMap('shapes').toJSON();
}

export function storageContract(name: string, open: () => Promise<{ storage: RoomStorage; reopen?: () => Promise<RoomStorage> }>) {
	describe(`storage contract: ${name}`, () => {
		let storage: RoomStorage;
		let reopen: (() => Promise<RoomStorage>) | undefined;

		beforeEach(async () => {
			({ storage, reopen } = await open());
		});
		afterEach(async () => {
			await storage.close();
		});

		it('loads an unknown room as empty', async () => {
			expect(await storage.load('nobody')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
		});

		it('returns appended updates in order with increasing sequence numbers', async () => {
			const doc = new Y.Doc();
			const first = await storage.append('r', [updateSetting('a', 1, doc), updateSetting('b', 2, doc)]);
			const second = await storage.append('r', [updateSetting('c', 3, doc)]);
			expect(second).toBeGreaterThan(first);
			const stored = await storage.load('r');
			expect(stored.updates).toHaveLength(3);
			expect(stored.lastSeq).toBe(second);
			expect(materialise(stored)).toEqual({ a: 1, b: 2, c: 3 });
		});

		it('keeps rooms apart', async () => {
			await storage.append('one', [updateSetting('x', 1)]);
			await storage.append('two', [updateSetting('y', 2)]);
			expect(materialise(await storage.load('one'))).toEqual({ x: 1 });
			expect(materialise(await storage.load('two'))).toEqual({ y: 2 });
		});

		it('compacts into a snapshot and keeps updates appended after the compaction point', async () => {
			const doc = new Y.Doc();
			const through = await storage.append('r', [updateSetting('a', 1, doc), updateSetting('b', 2, doc)]);
			const snapshot = Y.encodeStateAsUpdate(doc);
			await storage.append('r', [updateSetting('late', 3, doc)]);
			await storage.compact('r', snapshot, through);
			const stored = await storage.load('r');
			expect(stored.snapshot).not.toBeNull();
			expect(stored.updates).toHaveLength(1);
			expect(materialise(stored)).toEqual({ a: 1, b: 2, late: 3 });
		});

		it('keeps sequence numbers growing after a compaction emptied the log', async () => {
			const doc = new Y.Doc();
			const first = await storage.append('r', [updateSetting('a', 1, doc)]);
			await storage.compact('r', Y.encodeStateAsUpdate(doc), first);
			expect((await storage.load('r')).lastSeq).toBe(first);
			const second = await storage.append('r', [updateSetting('b', 2, doc)]);
			expect(second).toBeGreaterThan(first);
			// A late compaction up to the old point must not drop the newer update.
			await storage.compact('r', Y.encodeStateAsUpdate(doc), first);
			expect((await storage.load('r')).updates).toHaveLength(1);
			expect(materialise(await storage.load('r'))).toEqual({ a: 1, b: 2 });
		});

		it('stores byte-exact copies (no aliasing of the caller buffers)', async () => {
			const update = updateSetting('k', 'v');
			const copy = update.slice();
			await storage.append('r', [update]);
			update.fill(0);
			expect((await storage.load('r')).updates[0]).toEqual(copy);
		});

		it('lists and deletes rooms', async () => {
			await storage.append('keep', [updateSetting('a', 1)]);
			await storage.append('drop', [updateSetting('b', 2)]);
			expect((await storage.listRooms()).map((r) => r.name)).toEqual(['drop', 'keep']);
			const keep = (await storage.listRooms()).find((r) => r.name === 'keep')!;
			expect(keep.bytes).toBeGreaterThan(0);
			expect(keep.pendingUpdates).toBe(1);
			await storage.deleteRoom('drop');
			expect((await storage.listRooms()).map((r) => r.name)).toEqual(['keep']);
			expect(await storage.load('drop')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
		});

		it('keeps everything after close and reopen', async () => {
			if (!reopen) return;
			const doc = new Y.Doc();
			const through = await storage.append('r', [updateSetting('a', 1, doc)]);
			await storage.compact('r', Y.encodeStateAsUpdate(doc), through);
			await storage.append('r', [updateSetting('b', 2, doc)]);
			await storage.close();
			storage = await reopen();
			expect(materialise(await storage.load('r'))).toEqual({ a: 1, b: 2 });
		});
	});
}
