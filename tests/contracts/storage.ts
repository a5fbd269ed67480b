/** The contract tests every storage engine must pass; an engine's test file calls `storageContract` with a factory. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { VersionInfo } from '../../src/lib/shared/history.ts';
import { StoreInUseError, type RoomStorage, type StorageAdmin, type StoredImage } from '../../server/storage/types.ts';

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

export interface ContractStore<S extends RoomStorage = RoomStorage> {
	storage: S;
	/** Opens the same store again once `storage` is closed; engines that keep nothing leave it out. */
	reopen?: () => Promise<S>;
	/**
	 * What a second writer gets when it opens this same store while `storage` is open (RoomStorage's
	 * one-writer rule). `refused`: the store can be shared (a folder, a database server), so the second
	 * open must fail with StoreInUseError, and succeed once `storage` is closed. `separate`: nobody else
	 * can reach the store (in memory), so a second open is a store of its own and cannot interleave.
	 */
	secondWriter: { kind: 'refused' | 'separate'; open: () => Promise<S> };
}

export function storageContract(name: string, open: () => Promise<ContractStore>) {
	describe(`storage contract: ${name}`, () => {
		let storage: RoomStorage;
		let reopen: (() => Promise<RoomStorage>) | undefined;
		let secondWriter: ContractStore['secondWriter'];

		beforeEach(async () => {
			({ storage, reopen, secondWriter } = await open());
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

		it('has one writer: a second writer of the same store is refused, and cannot drop what the first stored', async () => {
			const doc = new Y.Doc();
			const through = await storage.append('r', [updateSetting('a', 1, doc)]);
			if (secondWriter.kind === 'refused') {
				await expect(secondWriter.open()).rejects.toBeInstanceOf(StoreInUseError);
			} else {
				const other = await secondWriter.open();
				expect(await other.load('r')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
				await other.append('r', [updateSetting('other', 1)]);
				await other.close();
			}
			// The first writer goes on; its compaction keeps everything it stored, nothing else is in the log.
			await storage.append('r', [updateSetting('b', 2, doc)]);
			await storage.compact('r', Y.encodeStateAsUpdate(doc), through);
			expect(materialise(await storage.load('r'))).toEqual({ a: 1, b: 2 });
			if (secondWriter.kind === 'refused') {
				// The right to write goes with the first writer's close, so a restart can take over.
				await storage.close();
				storage = await secondWriter.open();
				expect(materialise(await storage.load('r'))).toEqual({ a: 1, b: 2 });
			}
		});

		it('keeps everything after close and reopen', async () => {
			if (!reopen) return;
			const doc = new Y.Doc();
			const through = await storage.append('r', [updateSetting('a', 1, doc)]);
			await storage.compact('r', Y.encodeStateAsUpdate(doc), through);
			await storage.append('r', [updateSetting('b', 2, doc)]);
			await storage.claimAccess('r');
			await storage.resetAccess('r', 'view');
			await storage.close();
			storage = await reopen();
			expect(materialise(await storage.load('r'))).toEqual({ a: 1, b: 2 });
			expect(await storage.loadAccess('r')).toEqual({ editGeneration: 0, viewGeneration: 1, historyForViewers: false });
		});

		it('has no access record for a board nobody claimed, and none to reset', async () => {
			await storage.append('r', [updateSetting('a', 1)]);
			expect(await storage.loadAccess('r')).toBeNull();
			expect(await storage.resetAccess('r', 'edit')).toBeNull();
			expect(await storage.loadAccess('r')).toBeNull();
		});

		it('claims a board once: the first claim creates generation 0 of both rights, a second changes nothing', async () => {
			expect(await storage.claimAccess('b')).toBe(true);
			expect(await storage.loadAccess('b')).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: false });
			await storage.resetAccess('b', 'edit');
			expect(await storage.claimAccess('b')).toBe(false);
			expect(await storage.loadAccess('b')).toEqual({ editGeneration: 1, viewGeneration: 0, historyForViewers: false });
			expect(await storage.loadAccess('other')).toBeNull();
		});

		it('bumps one right at a time on reset, and answers with the record as it now is', async () => {
			await storage.claimAccess('b');
			expect(await storage.resetAccess('b', 'view')).toEqual({ editGeneration: 0, viewGeneration: 1, historyForViewers: false });
			expect(await storage.resetAccess('b', 'view')).toEqual({ editGeneration: 0, viewGeneration: 2, historyForViewers: false });
			expect(await storage.resetAccess('b', 'edit')).toEqual({ editGeneration: 1, viewGeneration: 2, historyForViewers: false });
			expect(await storage.loadAccess('b')).toEqual({ editGeneration: 1, viewGeneration: 2, historyForViewers: false });
		});

		it('lets viewers browse history only once an editor allows it, and only on a claimed board', async () => {
			expect(await storage.setHistoryForViewers('u', true)).toBeNull();
			await storage.claimAccess('b');
			expect(await storage.setHistoryForViewers('b', true)).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: true });
			expect(await storage.resetAccess('b', 'view')).toEqual({ editGeneration: 0, viewGeneration: 1, historyForViewers: true });
			expect(await storage.setHistoryForViewers('b', false)).toEqual({ editGeneration: 0, viewGeneration: 1, historyForViewers: false });
			expect(await storage.loadAccess('b')).toEqual({ editGeneration: 0, viewGeneration: 1, historyForViewers: false });
		});

		imageContract(() => storage);
		versionContract(() => storage);

		it('keeps versions after close and reopen', async () => {
			if (!reopen) return;
			await storage.addVersion('b', version('v1', 5), new Uint8Array([1, 2, 3]));
			await storage.close();
			storage = await reopen();
			expect(await storage.getVersion('b', 'v1')).toEqual({ info: version('v1', 5), content: new Uint8Array([1, 2, 3]) });
		});

		it('keeps images after close and reopen', async () => {
			if (!reopen) return;
			await storage.putImage('b', 'a'.repeat(64), { mime: 'image/webp', bytes: new Uint8Array([9, 8]) }, 0);
			await storage.touchImageRefs('b', ['a'.repeat(64)], 1);
			await storage.close();
			storage = await reopen();
			expect(await storage.getImage('b', 'a'.repeat(64))).toEqual({ mime: 'image/webp', bytes: new Uint8Array([9, 8]) });
			expect(await storage.collectImages(1000)).toEqual({ boardImages: 0, images: 0 });
		});
	});
}

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const png = (size: number, fill = 1): StoredImage => ({ mime: 'image/png', bytes: new Uint8Array(size).fill(fill) });
const DAY_MS = 24 * 60 * 60 * 1000;

/** Images by hash: stored once, readable only by the boards that have them, collected when unreferenced past the grace. */
function imageContract(current: () => RoomStorage) {
	it('stores an image once per board: created the first time, existing after, and only the board that has it reads it', async () => {
		const storage = current();
		expect(await storage.putImage('one', HASH_A, png(3), 1)).toBe('created');
		expect(await storage.putImage('one', HASH_A, png(3), 2)).toBe('existing');
		expect(await storage.getImage('one', HASH_A)).toEqual(png(3));
		expect(await storage.getImage('two', HASH_A)).toBeNull();
		expect(await storage.getImage('one', HASH_B)).toBeNull();
		// Another board uploading the same bytes gets it too.
		expect(await storage.putImage('two', HASH_A, png(3), 3)).toBe('created');
		expect(await storage.getImage('two', HASH_A)).toEqual({ mime: 'image/png', bytes: new Uint8Array([1, 1, 1]) });
	});

	it('stores byte-exact copies of images', async () => {
		const storage = current();
		const image = png(4, 7);
		await storage.putImage('b', HASH_A, image, 0);
		image.bytes.fill(0);
		expect((await storage.getImage('b', HASH_A))!.bytes).toEqual(new Uint8Array([7, 7, 7, 7]));
	});

	it('counts the bytes of each board\'s images for its quota', async () => {
		const storage = current();
		expect(await storage.boardImageBytes('b')).toBe(0);
		await storage.putImage('b', HASH_A, png(10), 0);
		await storage.putImage('b', HASH_B, png(5), 0);
		await storage.putImage('b', HASH_B, png(5), 0);
		await storage.putImage('other', HASH_A, png(10), 0);
		expect(await storage.boardImageBytes('b')).toBe(15);
		expect(await storage.boardImageBytes('other')).toBe(10);
	});

	it('collects an image whose shapes are gone once the grace has passed, and keeps referenced ones and ones within the grace', async () => {
		const storage = current();
		await storage.putImage('b', HASH_A, png(1), 0);
		await storage.putImage('b', HASH_B, png(2), 0);
		// Both are used, then A's shape is deleted on day 10.
		await storage.touchImageRefs('b', [HASH_A, HASH_B], 1);
		await storage.touchImageRefs('b', [HASH_B], 10 * DAY_MS);
		// A later touch that still lacks A does not restart its grace.
		await storage.touchImageRefs('b', [HASH_B], 20 * DAY_MS);
		expect(await storage.collectImages(10 * DAY_MS)).toEqual({ boardImages: 0, images: 0 });
		expect(await storage.getImage('b', HASH_A)).not.toBeNull();
		expect(await storage.collectImages(40 * DAY_MS + 1)).toEqual({ boardImages: 1, images: 1 });
		expect(await storage.getImage('b', HASH_A)).toBeNull();
		expect(await storage.getImage('b', HASH_B)).toEqual(png(2));
		expect(await storage.boardImageBytes('b')).toBe(2);
		// Referenced images stay however old (a board nobody opened for a year still shows its pictures).
		expect(await storage.collectImages(1000 * DAY_MS)).toEqual({ boardImages: 0, images: 0 });
		expect(await storage.getImage('b', HASH_B)).not.toBeNull();
	});

	it('starts the grace of an uploaded image at its upload, and again when it is uploaded again', async () => {
		const storage = current();
		await storage.putImage('b', HASH_A, png(1), 5 * DAY_MS);
		expect((await storage.collectImages(5 * DAY_MS)).boardImages).toBe(0);
		await storage.putImage('b', HASH_A, png(1), 9 * DAY_MS);
		expect((await storage.collectImages(6 * DAY_MS)).boardImages).toBe(0);
		expect(await storage.getImage('b', HASH_A)).not.toBeNull();
		expect(await storage.collectImages(9 * DAY_MS + 1)).toEqual({ boardImages: 1, images: 1 });
	});

	it('keeps the bytes while another board still has the image, and brings back a reference undone within the grace', async () => {
		const storage = current();
		await storage.putImage('one', HASH_A, png(1), 0);
		await storage.putImage('two', HASH_A, png(1), 0);
		await storage.touchImageRefs('two', [HASH_A], 1);
		await storage.touchImageRefs('one', [], 2);
		expect(await storage.collectImages(3)).toEqual({ boardImages: 1, images: 0 });
		expect(await storage.getImage('one', HASH_A)).toBeNull();
		expect(await storage.getImage('two', HASH_A)).not.toBeNull();
		// Deleted, then undone before the collector's cutoff: referenced again, kept.
		await storage.touchImageRefs('two', [], 10);
		await storage.touchImageRefs('two', [HASH_A, HASH_B], 11);
		expect(await storage.collectImages(100)).toEqual({ boardImages: 0, images: 0 });
		expect(await storage.getImage('two', HASH_A)).not.toBeNull();
		// A hash the board never had is not given to it by a touch.
		expect(await storage.getImage('two', HASH_B)).toBeNull();
	});

}

const HOUR_MS = 60 * 60 * 1000;
const POLICY = { keepAllMs: DAY_MS, keepHourlyMs: 7 * DAY_MS, maxBoardBytes: 1_000_000 };

function version(id: string, createdAt: number, extra: Partial<VersionInfo> = {}): VersionInfo {
	return {
		id,
		createdAt,
		kind: 'auto',
		name: null,
		editors: [{ name: 'Ada', color: '#ff0000' }],
		summary: { added: 1, deleted: 2, changed: 3 },
		shapes: 4,
		bytes: 3,
		...extra
	};
}

/** Versions: stored whole with their content, listed newest first without it, renamed, deleted, thinned by the retention rule. */
function versionContract(store: () => RoomStorage) {
	it('stores versions per board and lists them newest first, without their content', async () => {
		const storage = store();
		expect(await storage.listVersions('b')).toEqual([]);
		await storage.addVersion('b', version('old', 1000), new Uint8Array([1, 2, 3]));
		await storage.addVersion('b', version('new', 2000, { kind: 'before-delete', editors: [] }), new Uint8Array([4, 5, 6]));
		await storage.addVersion('other', version('x', 1500), new Uint8Array([7, 8, 9]));
		expect(await storage.listVersions('b')).toEqual([version('new', 2000, { kind: 'before-delete', editors: [] }), version('old', 1000)]);
		expect(await storage.getVersion('b', 'old')).toEqual({ info: version('old', 1000), content: new Uint8Array([1, 2, 3]) });
		expect(await storage.getVersion('b', 'x')).toBeNull();
		expect(await storage.getVersion('other', 'x')).not.toBeNull();
	});

	it('names, unnames and deletes a version, and says when there is none', async () => {
		const storage = store();
		await storage.addVersion('b', version('v', 1000), new Uint8Array([1, 2, 3]));
		expect(await storage.renameVersion('b', 'v', 'Before the demo')).toEqual(version('v', 1000, { name: 'Before the demo' }));
		expect((await storage.listVersions('b'))[0]!.name).toBe('Before the demo');
		expect(await storage.renameVersion('b', 'v', null)).toEqual(version('v', 1000));
		expect(await storage.renameVersion('b', 'none', 'x')).toBeNull();
		expect(await storage.deleteVersion('b', 'v')).toBe(true);
		expect(await storage.deleteVersion('b', 'v')).toBe(false);
		expect(await storage.listVersions('b')).toEqual([]);
	});

	it('thins versions by the retention rule, keeping named ones, and only the board asked', async () => {
		const storage = store();
		const now = 100 * DAY_MS;
		const noonTenDaysAgo = now - 10 * DAY_MS + 12 * HOUR_MS;
		await storage.addVersion('b', version('recent-1', now - HOUR_MS), new Uint8Array([1, 2, 3]));
		await storage.addVersion('b', version('recent-2', now - 2 * HOUR_MS), new Uint8Array([1, 2, 3]));
		await storage.addVersion('b', version('day-newest', noonTenDaysAgo), new Uint8Array([1, 2, 3]));
		await storage.addVersion('b', version('day-older', noonTenDaysAgo - HOUR_MS), new Uint8Array([1, 2, 3]));
		await storage.addVersion('b', version('day-named', noonTenDaysAgo - 2 * HOUR_MS, { kind: 'named', name: 'kept' }), new Uint8Array([1, 2, 3]));
		await storage.addVersion('other', version('o-1', noonTenDaysAgo), new Uint8Array([1, 2, 3]));
		await storage.addVersion('other', version('o-2', noonTenDaysAgo - HOUR_MS), new Uint8Array([1, 2, 3]));
		expect(await storage.thinVersions('b', now, POLICY)).toBe(1);
		expect((await storage.listVersions('b')).map((v) => v.id)).toEqual(['recent-1', 'recent-2', 'day-newest', 'day-named']);
		expect((await storage.listVersions('other')).map((v) => v.id)).toEqual(['o-1', 'o-2']);
		expect(await storage.thinVersions('b', now, { ...POLICY, maxBoardBytes: 7 })).toBe(2);
		expect((await storage.listVersions('b')).map((v) => v.id)).toEqual(['recent-1', 'day-named']);
	});
}

/** The operator's part (StorageAdmin), for engines that offer it. */
export function storageAdminContract(name: string, open: () => Promise<RoomStorage & StorageAdmin>) {
	describe(`storage admin contract: ${name}`, () => {
		let storage: RoomStorage & StorageAdmin;

		beforeEach(async () => {
			storage = await open();
		});
		afterEach(async () => {
			await storage.close();
		});

		it('lists and deletes rooms', async () => {
			await storage.append('keep', [updateSetting('a', 1)]);
			await storage.append('drop', [updateSetting('b', 2)]);
			expect((await storage.listRooms()).map((r) => r.name)).toEqual(['drop', 'keep']);
			const keep = (await storage.listRooms()).find((r) => r.name === 'keep')!;
			expect(keep.bytes).toBeGreaterThan(0);
			expect(keep.pendingUpdates).toBe(1);
			await storage.claimAccess('drop');
			await storage.claimAccess('keep');
			await storage.putImage('drop', 'c'.repeat(64), { mime: 'image/gif', bytes: new Uint8Array([1]) }, 0);
			await storage.putImage('drop', 'd'.repeat(64), { mime: 'image/gif', bytes: new Uint8Array([2]) }, 0);
			await storage.putImage('keep', 'd'.repeat(64), { mime: 'image/gif', bytes: new Uint8Array([2]) }, 0);
			await storage.addVersion('drop', version('v', 1), new Uint8Array([1, 2, 3]));
			await storage.addVersion('keep', version('v', 1), new Uint8Array([1, 2, 3]));
			await storage.deleteRoom('drop');
			expect(await storage.listVersions('drop')).toEqual([]);
			expect(await storage.getVersion('drop', 'v')).toBeNull();
			expect(await storage.listVersions('keep')).toHaveLength(1);
			expect((await storage.listRooms()).map((r) => r.name)).toEqual(['keep']);
			expect(await storage.getImage('drop', 'c'.repeat(64))).toBeNull();
			expect(await storage.boardImageBytes('drop')).toBe(0);
			expect(await storage.getImage('keep', 'd'.repeat(64))).not.toBeNull();
			expect(await storage.load('drop')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
			expect(await storage.loadAccess('drop')).toBeNull();
			expect(await storage.loadAccess('keep')).not.toBeNull();
		});
	});
}
