// Access records are read from storage once per board, however many ask, and claims and resets keep the cache true.
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory.ts';
import { AccessRecords } from './access.ts';

function counted() {
	const storage = new MemoryStorage();
	const reads: string[] = [];
	const loadAccess = storage.loadAccess.bind(storage);
	storage.loadAccess = (board) => {
		reads.push(board);
		return loadAccess(board);
	};
	return { storage, reads, records: new AccessRecords(storage) };
}

describe('AccessRecords', () => {
	it('reads a board once for many concurrent and later asks, unclaimed boards included', async () => {
		const { reads, records } = counted();
		expect(await Promise.all([records.get('a'), records.get('a'), records.get('a')])).toEqual([null, null, null]);
		expect(await records.get('a')).toBeNull();
		expect(reads).toEqual(['a']);
	});

	it('knows its own claims and resets without reading again', async () => {
		const { reads, records } = counted();
		await records.get('b');
		expect(await records.claim('b')).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: false });
		expect(await records.get('b')).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: false });
		await records.reset('b', 'edit');
		expect(await records.get('b')).toEqual({ editGeneration: 1, viewGeneration: 0, historyForViewers: false });
		expect(records.peek('b')).toEqual({ editGeneration: 1, viewGeneration: 0, historyForViewers: false });
		expect(await records.claim('b')).toBeNull();
		expect(await records.get('b')).toEqual({ editGeneration: 1, viewGeneration: 0, historyForViewers: false });
		expect(reads).toEqual(['b', 'b']);
	});

	it('keeps a claim that finished while a read of the board was still out', async () => {
		const storage = new MemoryStorage();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const loadAccess = storage.loadAccess.bind(storage);
		storage.loadAccess = async (board) => {
			const record = await loadAccess(board);
			await gate;
			return record;
		};
		const records = new AccessRecords(storage);
		const stale = records.get('c');
		await records.claim('c');
		release();
		expect(await stale).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: false });
		expect(await records.get('c')).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: false });
	});
});
