import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { PRESENCE_COLORS, Presence, resolveColor } from '$lib/collab/presence.svelte';
import { CURSOR_INTERVAL_MS, MAX_SHARED_SELECTION_IDS } from '$lib/collab/presence-state';
import { MAX_ABS_COORD } from '$lib/shared/model/schema';
import { MAX_AWARENESS_FRAME_BYTES } from '$lib/shared/wire';

const noBounds = () => null;
/** `count` distinct shape ids of the longest valid length (64 characters). */
const ids = (count: number) => Array.from({ length: count }, (_, i) => `${i}`.padStart(64, 'x'));
/** What one person's presence may cost at most, encoded: a fixed budget well inside the server's limit. */
const MAX_PRESENCE_BYTES = 8 * 1024;

/** Two people whose awareness updates reach each other at once, as the server relays them. */
function twoPeople(colors: [string, string] = ['#1971c2', '#e03131'], ids?: [number, number]) {
	const docWithId = (id?: number) => {
		const doc = new Y.Doc();
		if (id !== undefined) doc.clientID = id;
		return doc;
	};
	const a = new Awareness(docWithId(ids?.[0]));
	const b = new Awareness(docWithId(ids?.[1]));
	const relay = (from: Awareness, to: Awareness) =>
		from.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
			applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added!, ...updated!, ...removed!]), 'relay');
		});
	relay(a, b);
	relay(b, a);
	return {
		a: new Presence(a, { name: 'Ada', color: colors[0] }),
		b: new Presence(b, { name: 'Bob', color: colors[1] }),
		rawA: a
	};
}

describe('Presence', () => {
	it('publishes the whole documented state from the start', () => {
		const { a, b } = twoPeople();
		expect(b.peers).toEqual([
			{ clientId: a.clientId, user: { name: 'Ada', color: '#1971c2' }, cursor: null, selection: [], selectionBox: null, viewport: null, editing: null }
		]);
	});

	it('pinned to the name a token gives: shown to everyone at once, and renaming is refused', () => {
		const { a, b } = twoPeople();
		a.pin({ name: '  Ann  Host ', color: '#2f9e44' });
		expect(a.pinned).toBe(true);
		expect(a.identity).toEqual({ name: 'Ann Host', color: '#2f9e44' });
		expect(b.peers[0]?.user).toEqual({ name: 'Ann Host', color: '#2f9e44' });
		expect(a.rename('Someone else')).toBe(false);
		expect(b.peers[0]?.user.name).toBe('Ann Host');
		// A colour that is not one keeps the one this browser had.
		b.pin({ name: 'Bo', color: 'red' });
		expect(b.identity).toEqual({ name: 'Bo', color: '#e03131' });
	});

	it('shares the shape being typed into at once, and caret moves throttled', () => {
		vi.useFakeTimers();
		try {
			const { a, b } = twoPeople();
			a.setEditing({ id: 'note1', caret: 'AAAA' });
			expect(b.peers[0]?.editing).toEqual({ id: 'note1', caret: 'AAAA' });
			a.setEditing({ id: 'note1', caret: 'BBBB' });
			a.setEditing({ id: 'note1', caret: 'CCCC' });
			expect(b.peers[0]?.editing?.caret).toBe('AAAA');
			vi.advanceTimersByTime(CURSOR_INTERVAL_MS);
			expect(b.peers[0]?.editing?.caret).toBe('CCCC');
			a.setEditing(null);
			expect(b.peers[0]?.editing).toBeNull();
		} finally {
			vi.useRealTimers();
		}
	});

	it('renames at once for everyone, and refuses a blank name', () => {
		const { a, b } = twoPeople();
		expect(a.rename('  Ada Lovelace ')).toBe(true);
		expect(b.peers[0]?.user.name).toBe('Ada Lovelace');
		expect(a.rename('   ')).toBe(false);
		expect(a.identity.name).toBe('Ada Lovelace');
	});

	it('sends cursor moves at most every CURSOR_INTERVAL_MS, keeping the latest, and leaving at once', () => {
		vi.useFakeTimers();
		try {
			const { a, b } = twoPeople();
			a.setCursor({ x: 1, y: 1 });
			a.setCursor({ x: 2, y: 2 });
			a.setCursor({ x: 3, y: 3 });
			expect(b.peers[0]?.cursor).toEqual({ x: 1, y: 1 });
			vi.advanceTimersByTime(CURSOR_INTERVAL_MS);
			expect(b.peers[0]?.cursor).toEqual({ x: 3, y: 3 });
			a.setCursor({ x: 4, y: 4 });
			a.setCursor(null);
			expect(b.peers[0]?.cursor).toBeNull();
		} finally {
			vi.useRealTimers();
		}
	});

	it('shares the selection only when it changes', () => {
		const { a, b, rawA } = twoPeople();
		const changes = vi.fn();
		rawA.on('change', changes);
		a.setSelection(['s1', 's2'], noBounds);
		a.setSelection(['s1', 's2'], noBounds);
		expect(b.peers[0]?.selection).toEqual(['s1', 's2']);
		expect(changes).toHaveBeenCalledTimes(1);
	});

	it('shares a selection past the cap as one box with its count, and the ids again once it is small', () => {
		const { a, b } = twoPeople();
		const many = ids(MAX_SHARED_SELECTION_IDS + 1);
		a.setSelection(many, (selected) => ({ x: -5, y: 10, w: selected.length, h: 20 }));
		expect(b.peers[0]?.selection).toEqual([]);
		expect(b.peers[0]?.selectionBox).toEqual({ x: -5, y: 10, w: many.length, h: 20, count: many.length });
		a.setSelection(many.slice(0, 3), noBounds);
		expect(b.peers[0]?.selection).toEqual(many.slice(0, 3));
		expect(b.peers[0]?.selectionBox).toBeNull();
	});

	it('keeps the encoded presence state under a fixed size whatever is selected (10,000 ids of the longest kind)', () => {
		const { a, rawA } = twoPeople();
		// Every other field at its largest: the longest name (in 3-byte characters), a pointer and a view at the board's edges.
		a.rename('\u2603'.repeat(200));
		a.setCursor({ x: -MAX_ABS_COORD + 0.123456789, y: MAX_ABS_COORD - 0.987654321 });
		a.setViewport({ x: -MAX_ABS_COORD + 0.1, y: -MAX_ABS_COORD + 0.1, zoom: 0.0123456789 });
		const sizes: number[] = [];
		for (const count of [MAX_SHARED_SELECTION_IDS, 10_000]) {
			a.setSelection(ids(count), (selected) => ({ x: -MAX_ABS_COORD / 3, y: -MAX_ABS_COORD / 7, w: selected.length / 3, h: MAX_ABS_COORD / 9 }));
			sizes.push(encodeAwarenessUpdate(rawA, [rawA.clientID]).byteLength);
		}
		expect(rawA.getLocalState()?.selectionBox?.count).toBe(10_000);
		for (const size of sizes) expect(size).toBeLessThan(MAX_PRESENCE_BYTES);
		expect(MAX_PRESENCE_BYTES).toBeLessThan(MAX_AWARENESS_FRAME_BYTES / 3);
	});

	it("ignores a peer's malformed state instead of failing", () => {
		const { a, b, rawA } = twoPeople();
		rawA.setLocalState({ user: { name: 7 }, cursor: 'nowhere' });
		expect(b.peers).toEqual([]);
		rawA.setLocalState({ user: { name: 'Ada', color: '#1971c2' }, cursor: { x: 'a' }, selection: 5, viewport: {} });
		expect(b.peers).toEqual([
			{ clientId: a.clientId, user: { name: 'Ada', color: '#1971c2' }, cursor: null, selection: [], selectionBox: null, viewport: null, editing: null }
		]);
	});

	it('removes itself for everyone when destroyed', () => {
		const { a, b } = twoPeople();
		a.destroy();
		expect(b.peers).toEqual([]);
	});

	it.each([
		['the first to join', [1, 2]],
		['the second to join', [2, 1]]
	] as const)('gives two people present at once different colours when %s has the lower client id', (_, ids) => {
		const { a, b } = twoPeople(['#2f9e44', '#2f9e44'], [...ids]);
		const [first, second] = a.clientId < b.clientId ? [a, b] : [b, a];
		expect(first.identity.color).toBe('#2f9e44');
		expect(second.identity.color).not.toBe('#2f9e44');
		expect(PRESENCE_COLORS).toContain(second.identity.color);
		expect(first.peers[0]?.user.color).toBe(second.identity.color);
		// When the earlier one leaves, the later one gets its own colour back.
		first.destroy();
		expect(second.identity.color).toBe('#2f9e44');
	});
});

describe('resolveColor', () => {
	const peer = (clientId: number, color: string) => ({
		clientId,
		user: { name: 'P', color },
		cursor: null,
		selection: [],
		selectionBox: null,
		viewport: null,
		editing: null
	});
	it('keeps the preferred colour unless an earlier peer shows in it', () => {
		expect(resolveColor('#e03131', 5, [peer(9, '#e03131')])).toBe('#e03131');
		expect(resolveColor('#e03131', 5, [peer(2, '#e03131')])).toBe(PRESENCE_COLORS[1]);
		const everyColour = PRESENCE_COLORS.map((c, i) => peer(i, c));
		expect(resolveColor('#e03131', 50, everyColour)).toBe('#e03131');
	});
});
