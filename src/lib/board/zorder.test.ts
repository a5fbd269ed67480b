/** Z-order ops: step and jump semantics, minimal writes, and convergence of concurrent reorders. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, listShapes } from '../shared/model/board.ts';
import { bringForward, bringToFront, createShape, sendBackward, sendToBack } from './ops.ts';
import { makeBoard, sync } from '../shared/model/test-helpers.ts';

/** A board with shapes A..F bottom to top; returns a helper that reads the order as letters. */
function stack(options = {}) {
	const fixture = makeBoard(options);
	const ids: Record<string, string> = {};
	for (const name of 'ABCDEF') ids[name] = createShape(fixture.board, 'rect');
	const names = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
	const order = (board = fixture.board) => listShapes(board).map((s) => names.get(s.id)).join('');
	const pick = (letters: string) => [...letters].map((l) => ids[l]!);
	return { ...fixture, ids, order, pick };
}

describe('z-order', () => {
	it('bringToFront and sendToBack keep the relative order of the moved shapes', () => {
		const s = stack();
		bringToFront(s.board, s.pick('DB'));
		expect(s.order()).toBe('ACEFBD');
		sendToBack(s.board, s.pick('FE'));
		expect(s.order()).toBe('EFACBD');
	});

	it('bringToFront writes nothing when the shapes are already on top', () => {
		const s = stack();
		let updates = 0;
		s.doc.on('update', () => updates++);
		bringToFront(s.board, s.pick('EF'));
		sendToBack(s.board, s.pick('BA'));
		expect(updates).toBe(0);
	});

	it('bringForward moves each run of selected shapes one step up past the next unselected shape', () => {
		const s = stack();
		bringForward(s.board, s.pick('BCE'));
		expect(s.order()).toBe('ADBCFE');
		bringForward(s.board, s.pick('BCE'));
		expect(s.order()).toBe('ADFBCE');
		bringForward(s.board, s.pick('BCE'));
		expect(s.order()).toBe('ADFBCE'); // already on top
	});

	it('sendBackward mirrors bringForward', () => {
		const s = stack();
		sendBackward(s.board, s.pick('BDE'));
		expect(s.order()).toBe('BADECF');
		sendBackward(s.board, s.pick('BDE'));
		expect(s.order()).toBe('BDEACF');
	});

	it('writes only the indices of moved shapes', () => {
		const s = stack();
		const touched = new Set<string>();
		s.board.shapes.observeDeep((events) => events.forEach((e) => touched.add(String(e.path[0]))));
		bringForward(s.board, s.pick('B'));
		expect([...touched]).toEqual([s.ids.B]);
	});

	it('ignores unknown ids and empty selections', () => {
		const s = stack();
		bringForward(s.board, ['nope']);
		sendToBack(s.board, []);
		expect(s.order()).toBe('ABCDEF');
	});

	it('still moves shapes past neighbours that share an index', () => {
		const s = stack({ jitter: false });
		// Two peers created C and D at the same spot: force equal indices.
		const indexOfC = (s.board.shapes.get(s.ids.C!) as Y.Map<unknown>).get('index');
		(s.board.shapes.get(s.ids.D!) as Y.Map<unknown>).set('index', indexOfC);
		const before = s.order();
		bringForward(s.board, s.pick('B'));
		const after = s.order();
		expect(after.indexOf('B')).toBeGreaterThan(before.indexOf('B'));
		sendBackward(s.board, s.pick('E'));
		expect(s.order().indexOf('E')).toBeLessThan(after.indexOf('E'));
	});

	it('concurrent reorders on two clients converge to the same order', () => {
		const s = stack();
		const otherDoc = new Y.Doc();
		Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(s.doc));
		const other = new Board(otherDoc);
		// Offline at the same time: one sends B to front, the other sends F to back and raises A.
		bringToFront(s.board, s.pick('B'));
		sendToBack(other, s.pick('F'));
		bringForward(other, s.pick('A'));
		bringToFront(other, s.pick('C'));
		sync(s.doc, otherDoc);
		expect(s.order(other)).toBe(s.order());
		expect(s.order()).toMatch(/^F/);
	});

	it('concurrent moves of the same shape converge (last writer wins on its index)', () => {
		const s = stack();
		const otherDoc = new Y.Doc();
		Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(s.doc));
		const other = new Board(otherDoc);
		bringToFront(s.board, s.pick('C'));
		sendToBack(other, s.pick('C'));
		sync(s.doc, otherDoc);
		expect(s.order(other)).toBe(s.order());
		expect(['ABDEFC', 'CABDEF']).toContain(s.order());
	});
});
