/** The recent-boards list: most recent first, bounded, removable, and deaf to whatever else is in localStorage. */
import { describe, expect, it } from 'vitest';
import {
	MAX_RECENT_BOARDS,
	MAX_THUMBNAIL_CHARS,
	RECENT_BOARDS_KEY,
	forgetBoard,
	listRecentBoards,
	recordVisit,
	updateRecentBoard,
	type KeyValueStore
} from '$lib/collab/recent-boards';

function memoryStore(initial?: string): KeyValueStore & { items: Map<string, string> } {
	const items = new Map<string, string>();
	if (initial !== undefined) items.set(RECENT_BOARDS_KEY, initial);
	return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const visit = (id: string, at: number, title = '') => ({ id, title, link: `/b/${id}#t=e${id}`, at });
const THUMB = 'data:image/png;base64,iVBORw0KGgo=';

describe('recent boards', () => {
	it('lists the boards most recently opened first, a reopened board moving to the top', () => {
		const store = memoryStore();
		recordVisit(store, visit('one', 1));
		recordVisit(store, visit('two', 2, 'Second'));
		expect(listRecentBoards(store).map((b) => b.id)).toEqual(['two', 'one']);
		recordVisit(store, visit('one', 3));
		expect(listRecentBoards(store).map((b) => b.id)).toEqual(['one', 'two']);
		expect(listRecentBoards(store)[1]).toEqual({ id: 'two', title: 'Second', openedAt: 2, link: '/b/two#t=etwo', thumbnail: null });
	});

	it('refreshes title, link and thumbnail in place, and keeps the thumbnail across visits', () => {
		const store = memoryStore();
		recordVisit(store, visit('one', 1));
		recordVisit(store, visit('two', 2));
		updateRecentBoard(store, 'one', { title: 'Plans', thumbnail: THUMB });
		expect(listRecentBoards(store).map((b) => b.id)).toEqual(['two', 'one']);
		recordVisit(store, visit('one', 3, 'Plans'));
		expect(listRecentBoards(store)[0]).toMatchObject({ id: 'one', title: 'Plans', thumbnail: THUMB });
	});

	it(`keeps at most ${MAX_RECENT_BOARDS} boards, dropping the oldest`, () => {
		const store = memoryStore();
		for (let i = 0; i < MAX_RECENT_BOARDS + 5; i++) recordVisit(store, visit(`b${i}`, i));
		const ids = listRecentBoards(store).map((b) => b.id);
		expect(ids).toHaveLength(MAX_RECENT_BOARDS);
		expect(ids[0]).toBe(`b${MAX_RECENT_BOARDS + 4}`);
		expect(ids).not.toContain('b4');
		expect(ids).toContain('b5');
	});

	it('refuses thumbnails over the size limit and anything that is not an image data URL', () => {
		const store = memoryStore();
		recordVisit(store, visit('one', 1));
		updateRecentBoard(store, 'one', { thumbnail: 'data:image/png;base64,' + 'A'.repeat(MAX_THUMBNAIL_CHARS) });
		expect(listRecentBoards(store)[0]!.thumbnail).toBeNull();
		updateRecentBoard(store, 'one', { thumbnail: 'javascript:alert(1)' });
		expect(listRecentBoards(store)[0]!.thumbnail).toBeNull();
	});

	it('removes a board from the list, and a later refresh of it does not bring it back', () => {
		const store = memoryStore();
		recordVisit(store, visit('one', 1));
		recordVisit(store, visit('two', 2));
		forgetBoard(store, 'one');
		expect(listRecentBoards(store).map((b) => b.id)).toEqual(['two']);
		updateRecentBoard(store, 'one', { title: 'Ghost' });
		expect(listRecentBoards(store).map((b) => b.id)).toEqual(['two']);
	});

	it('ignores bad JSON and malformed entries, and starts over on the next visit', () => {
		for (const junk of ['{not json', '42', '{"id":"x"}', 'null']) {
			const store = memoryStore(junk);
			expect(listRecentBoards(store)).toEqual([]);
			recordVisit(store, visit('one', 1));
			expect(listRecentBoards(store).map((b) => b.id)).toEqual(['one']);
		}
		const mixed = [
			{ id: 'good', title: 'Fine', openedAt: 5, link: '/b/good', thumbnail: null },
			{ id: 'a.b', title: '', openedAt: 4, link: '/b/a.b', thumbnail: null },
			{ id: 'evil', title: '', openedAt: 3, link: 'https://example.com/b/evil', thumbnail: null },
			{ id: 'nan', title: '', openedAt: 'soon', link: '/b/nan', thumbnail: null },
			'string'
		];
		expect(listRecentBoards(memoryStore(JSON.stringify(mixed))).map((b) => b.id)).toEqual(['good']);
	});

	it('drops the oldest thumbnails when storage is full instead of losing the visit', () => {
		const store = memoryStore();
		recordVisit(store, visit('one', 1));
		updateRecentBoard(store, 'one', { thumbnail: THUMB });
		const full: KeyValueStore = {
			getItem: store.getItem,
			setItem: (key, value) => {
				if (value.includes(THUMB)) throw new DOMException('full', 'QuotaExceededError');
				store.setItem(key, value);
			}
		};
		recordVisit(full, visit('two', 2));
		expect(listRecentBoards(store).map((b) => [b.id, b.thumbnail])).toEqual([
			['two', null],
			['one', null]
		]);
	});
});
