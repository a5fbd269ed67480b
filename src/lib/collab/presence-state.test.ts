import { describe, expect, it } from 'vitest';
import { cleanName, parsePeerState, shareSelection, MAX_NAME_LENGTH, MAX_SHARED_SELECTION_IDS } from '$lib/collab/presence-state';

const valid = {
	user: { name: 'Ada', color: '#1971c2' },
	cursor: { x: 10, y: -20.5 },
	selection: ['abc', 'def_-1'],
	selectionBox: null,
	viewport: { x: 100, y: 50, zoom: 1.5 },
	editing: { id: 'abc', caret: 'AQKQnrPfBgIA' }
};

describe('parsePeerState', () => {
	it('accepts a complete state as documented', () => {
		expect(parsePeerState(7, valid)).toEqual({ clientId: 7, ...valid });
	});

	it.each([
		['null', null],
		['a string', 'hello'],
		['an array', [1, 2]],
		['an empty object (a peer that left)', {}],
		['no user', { cursor: { x: 1, y: 2 } }],
		['a user that is a string', { user: 'Ada' }],
		['a name that is not a string', { user: { name: 42, color: '#fff' } }],
		['a blank name', { user: { name: '   ', color: '#fff' } }],
		['a colour that is not hex', { user: { name: 'Ada', color: 'red; background: url(x)' } }],
		['a missing colour', { user: { name: 'Ada' } }]
	])('ignores a peer whose state is %s', (_, state) => {
		expect(parsePeerState(1, state)).toBeNull();
	});

	it.each([
		['a string', 'here'],
		['NaN', { x: Number.NaN, y: 0 }],
		['Infinity', { x: 0, y: Number.POSITIVE_INFINITY }],
		['a missing y', { x: 3 }],
		['strings', { x: '1', y: '2' }],
		['a coordinate past the board', { x: 1e12, y: 0 }]
	])('treats a cursor given as %s as no cursor', (_, cursor) => {
		expect(parsePeerState(1, { ...valid, cursor })?.cursor).toBeNull();
	});

	it.each([
		['a string', 'abc', null],
		['a bad shape id', { id: 'a b', caret: null }, null],
		['no caret', { id: 'abc' }, { id: 'abc', caret: null }],
		['a caret that is not base64', { id: 'abc', caret: '<b>' }, { id: 'abc', caret: null }],
		['a caret too long to be one', { id: 'abc', caret: 'A'.repeat(65) }, { id: 'abc', caret: null }]
	])('reads an editing field that is %s as %j', (_, editing, expected) => {
		expect(parsePeerState(1, { ...valid, editing })!.editing).toEqual(expected);
	});

	it('keeps only well-formed shape ids of a selection, once each', () => {
		const selection = ['ok', 'ok', 42, null, '', 'has space', 'x'.repeat(65), { id: 'a' }, 'fine_1'];
		expect(parsePeerState(1, { ...valid, selection })?.selection).toEqual(['ok', 'fine_1']);
		expect(parsePeerState(1, { ...valid, selection: 'ok' })?.selection).toEqual([]);
		expect(parsePeerState(1, { ...valid, selection: undefined })?.selection).toEqual([]);
	});

	it('accepts a selection shared as a box, and treats a malformed box as none', () => {
		const box = { x: -10, y: 5.5, w: 300, h: 0, count: 3000 };
		expect(parsePeerState(1, { ...valid, selectionBox: box })?.selectionBox).toEqual(box);
		for (const bad of [
			'box',
			{ ...box, w: -1 },
			{ ...box, x: Number.NaN },
			{ ...box, y: 1e12 },
			{ ...box, count: 1.5 },
			{ ...box, count: undefined },
			[1, 2, 3, 4]
		]) {
			expect(parsePeerState(1, { ...valid, selectionBox: bad })?.selectionBox).toBeNull();
		}
	});

	it.each([
		['no zoom', { x: 0, y: 0 }],
		['zero zoom', { x: 0, y: 0, zoom: 0 }],
		['negative zoom', { x: 0, y: 0, zoom: -1 }],
		['NaN zoom', { x: 0, y: 0, zoom: Number.NaN }],
		['a non-finite centre', { x: Number.NaN, y: 0, zoom: 1 }],
		['null', null]
	])('treats a viewport with %s as no viewport', (_, viewport) => {
		expect(parsePeerState(1, { ...valid, viewport })?.viewport).toBeNull();
	});

	it('shortens and tidies names', () => {
		const peer = parsePeerState(1, { ...valid, user: { name: `  A\nvery\tlong ${'x'.repeat(100)}`, color: '#abc' } });
		expect(peer?.user.name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
		expect(peer?.user.name.startsWith('A very long x')).toBe(true);
	});

	it('never throws, whatever the peer sent', () => {
		const hostile = [
			{ user: { get name() { throw new Error('boom'); }, color: '#fff' } },
			Object.create(null),
			{ user: { name: 'A', color: '#fff' }, cursor: { x: 1n, y: 2 }, selection: new Array(100_000).fill('id') }
		];
		expect(parsePeerState(1, hostile[0])).toBeNull();
		expect(parsePeerState(1, hostile[1])).toBeNull();
		expect(parsePeerState(1, hostile[2])?.selection).toEqual(['id']);
	});
});

describe('shareSelection', () => {
	const ids = (count: number) => Array.from({ length: count }, (_, i) => `s${i}`);
	const box = { x: 1, y: 2, w: 3, h: 4 };

	it('shares up to the cap as ids, without asking for bounds', () => {
		const boundsOf = () => {
			throw new Error('not needed');
		};
		expect(shareSelection([], boundsOf)).toEqual({ selection: [], selectionBox: null });
		expect(shareSelection(ids(MAX_SHARED_SELECTION_IDS), boundsOf)).toEqual({ selection: ids(MAX_SHARED_SELECTION_IDS), selectionBox: null });
	});

	it('shares a bigger selection as the box around it all and its count, without ids', () => {
		expect(shareSelection(ids(MAX_SHARED_SELECTION_IDS + 1), () => box)).toEqual({
			selection: [],
			selectionBox: { ...box, count: MAX_SHARED_SELECTION_IDS + 1 }
		});
		const shared = shareSelection(ids(10_000), () => box);
		expect(JSON.stringify(shared).length).toBeLessThan(200);
		// None of the shapes is on the board (yet): nothing to draw.
		expect(shareSelection(ids(10_000), () => null)).toEqual({ selection: [], selectionBox: null });
	});
});

describe('cleanName', () => {
	it('makes one trimmed line', () => {
		expect(cleanName('  Grace \n Hopper  ')).toBe('Grace Hopper');
		expect(cleanName('\u0000\u0007')).toBe('');
	});
});
