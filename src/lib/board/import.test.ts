/** Importing shapes from a file: new ids, on top, layout kept or centred, one undo step. */
import { describe, expect, it } from 'vitest';
import { getShape, listShapes } from '../shared/model/board.ts';
import { boundsOfShapes } from '../shared/model/geometry.ts';
import { createHistory } from './history.ts';
import { importShapes, placeShapes } from './import.ts';
import { createShape } from './ops.ts';
import { makeBoard } from '../shared/model/test-helpers.ts';

function sourceShapes() {
	const { board } = makeBoard();
	createShape(board, 'rect', { x: 10, y: 10, w: 20, h: 20 });
	createShape(board, 'ellipse', { x: 100, y: 50, w: 40, h: 40 });
	createShape(board, 'text', { x: 0, y: 200, text: 'hi' });
	return listShapes(board);
}

describe('importShapes', () => {
	it('adds the shapes under new ids, on top of the board, in their order', () => {
		const shapes = sourceShapes();
		const { board } = makeBoard();
		const existing = createShape(board, 'rect', { x: 500 });
		const ids = importShapes(board, shapes);
		expect(ids).toHaveLength(3);
		for (const id of ids) expect(shapes.map((s) => s.id)).not.toContain(id);
		const order = listShapes(board).map((s) => s.id);
		expect(order).toEqual([existing, ...ids]);
		expect(listShapes(board).slice(1).map((s) => s.type)).toEqual(['rect', 'ellipse', 'text']);
		expect(getShape(board, ids[0]!)).toMatchObject({ x: 10, y: 10 });
	});

	it('imports the same file twice as two sets of shapes', () => {
		const shapes = sourceShapes();
		const { board } = makeBoard();
		importShapes(board, shapes);
		importShapes(board, shapes);
		expect(listShapes(board)).toHaveLength(6);
	});

	it('centres the group on a point, keeping its layout', () => {
		const shapes = sourceShapes();
		const placed = placeShapes(shapes, { x: 1000, y: 1000 });
		const before = boundsOfShapes(shapes)!;
		const { board } = makeBoard();
		const ids = importShapes(board, shapes, { x: 1000, y: 1000 });
		const after = boundsOfShapes(ids.map((id) => getShape(board, id)!))!;
		expect(after.x + after.w / 2).toBeCloseTo(1000);
		expect(after.y + after.h / 2).toBeCloseTo(1000);
		expect(after.w).toBeCloseTo(before.w);
		expect(placed[1]!.x - placed[0]!.x).toBeCloseTo(shapes[1]!.x - shapes[0]!.x);
	});

	it('is one undo step, however many shapes', () => {
		const shapes = sourceShapes();
		const { board } = makeBoard();
		const history = createHistory(board);
		const mine = createShape(board, 'rect');
		importShapes(board, shapes);
		expect(listShapes(board)).toHaveLength(4);
		history.undo();
		expect(listShapes(board).map((s) => s.id)).toEqual([mine]);
		history.redo();
		expect(listShapes(board)).toHaveLength(4);
	});

	it('drops a shape the move would push past the coordinate limits, and keeps the others', () => {
		const { board: source } = makeBoard();
		createShape(source, 'rect', { x: -9_999_000, y: 0 });
		createShape(source, 'rect', { x: 9_999_000, y: 0 });
		const { board } = makeBoard();
		const ids = importShapes(board, listShapes(source), { x: 5_000_000, y: 0 });
		expect(ids).toHaveLength(1);
	});
});
