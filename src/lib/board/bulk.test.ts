/** Bulk writes (issue 19): deleting, duplicating, moving or restyling thousands of shapes is one transaction, one update and one undo step. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listShapes } from '../shared/model/board.ts';
import { SHAPE_DEFAULTS } from '../shared/model/schema.ts';
import { makeBoard } from '../shared/model/test-helpers.ts';
import { createHistory } from './history.ts';
import { deleteShapes, duplicateShapes, insertShapes, transact, translateShapes, updateShapes, type NewShape } from './ops.ts';

const COUNT = 2_000;

function bulkBoard() {
	const made = makeBoard({ jitter: false });
	const shapes: NewShape[] = Array.from({ length: COUNT }, (_, i) => ({ ...SHAPE_DEFAULTS.rect, type: 'rect', x: (i % 100) * 20, y: Math.floor(i / 100) * 20, w: 10, h: 10 }) as NewShape);
	const ids = insertShapes(made.board, shapes);
	const history = createHistory(made.board);
	const updates: unknown[] = [];
	made.doc.on('update', (_update: Uint8Array, origin: unknown) => updates.push(origin));
	const transactions: Y.Transaction[] = [];
	made.doc.on('afterTransaction', (transaction: Y.Transaction) => {
		if (transaction.changed.size > 0) transactions.push(transaction);
	});
	return { ...made, ids, history, updates, transactions };
}

describe('bulk operations', () => {
	it(`delete ${COUNT} shapes: one transaction with the local origin, one update, one undo step`, () => {
		const { board, ids, history, updates, transactions } = bulkBoard();
		expect(deleteShapes(board, ids)).toBe(COUNT);
		expect(listShapes(board)).toHaveLength(0);
		expect(transactions).toHaveLength(1);
		expect(transactions[0]!.origin).toBe(board.origin);
		expect(updates).toEqual([board.origin]);
		history.undo();
		expect(listShapes(board)).toHaveLength(COUNT);
		expect(history.canUndo()).toBe(false);
	});

	it(`duplicate ${COUNT} shapes: one transaction, one update, one undo step`, () => {
		const { board, ids, history, updates, transactions } = bulkBoard();
		const copies = duplicateShapes(board, ids);
		expect(copies).toHaveLength(COUNT);
		expect(listShapes(board)).toHaveLength(2 * COUNT);
		expect(transactions).toHaveLength(1);
		expect(updates).toEqual([board.origin]);
		history.undo();
		expect(listShapes(board).map((shape) => shape.id).sort()).toEqual([...ids].sort());
		expect(history.canUndo()).toBe(false);
	});

	it(`move ${COUNT} shapes: one transaction, one update, one undo step`, () => {
		const { board, ids, history, updates, transactions } = bulkBoard();
		expect(translateShapes(board, ids, 5, -3)).toBe(COUNT);
		expect(listShapes(board).every((shape, i) => shape.x === (i % 100) * 20 + 5 && shape.y === Math.floor(i / 100) * 20 - 3)).toBe(true);
		expect(transactions).toHaveLength(1);
		expect(updates).toEqual([board.origin]);
		history.undo();
		expect(listShapes(board).every((shape, i) => shape.x === (i % 100) * 20)).toBe(true);
		expect(history.canUndo()).toBe(false);
	});

	it(`restyle ${COUNT} shapes: one transaction, one update, one undo step`, () => {
		const { board, ids, history, updates, transactions } = bulkBoard();
		expect(updateShapes(board, ids.map((id) => ({ id, patch: { stroke: '#e03131', strokeWidth: 4 } })))).toBe(COUNT);
		expect(listShapes(board).every((shape) => shape.stroke === '#e03131')).toBe(true);
		expect(transactions).toHaveLength(1);
		expect(updates).toEqual([board.origin]);
		history.undo();
		expect(listShapes(board).every((shape) => shape.stroke !== '#e03131')).toBe(true);
		expect(history.canUndo()).toBe(false);
	});
});

describe('Board.read inside a transaction', () => {
	it('serves shapes the transaction has not written from the cache, and re-reads those it wrote', () => {
		const { board, doc, ids } = bulkBoard();
		const [a, b, c] = ids as [string, string, string];
		for (const id of [a, b, c]) board.read(id); // all three cached
		const before = board.read(b);
		transact(board, () => {
			updateShapes(board, [{ id: a, patch: { x: 999 } }]);
			expect(board.read(a)!.x).toBe(999);
			expect(board.read(b)).toBe(before); // untouched: the cached object itself
			deleteShapes(board, [c]);
			expect(board.read(c)).toBeNull();
			const [copy] = duplicateShapes(board, [b]);
			expect(board.read(copy!)).toMatchObject({ x: before!.x + 16 });
		});
		expect(board.read(a)!.x).toBe(999);
		expect(board.read(c)).toBeNull();
		expect(doc.getMap('shapes').size).toBe(COUNT);
	});
});
