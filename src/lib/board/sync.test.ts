/** Two docs syncing by Yjs updates: concurrent edits of one shape merge per field, and all clients converge. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, getShape, listShapes } from '../shared/model/board.ts';
import { createShape, deleteShapes, updateShape } from './ops.ts';
import { connect, sync } from '../shared/model/test-helpers.ts';

function twoClients() {
	const docA = new Y.Doc();
	const docB = new Y.Doc();
	return { docA, docB, a: new Board(docA), b: new Board(docB) };
}

describe('two clients editing one board', () => {
	it('concurrent edits of different properties of one shape both survive', () => {
		const { docA, docB, a, b } = twoClients();
		const id = createShape(a, 'rect', { x: 0, y: 0 });
		sync(docA, docB);
		// Offline edits: A recolours, B moves.
		updateShape(a, id, { fill: '#ff0000', stroke: '#00ff00' });
		updateShape(b, id, { x: 120, y: 80 });
		sync(docA, docB);
		for (const board of [a, b]) {
			expect(getShape(board, id)).toMatchObject({ fill: '#ff0000', stroke: '#00ff00', x: 120, y: 80 });
		}
	});

	it('concurrent edits of the same property converge to one value', () => {
		const { docA, docB, a, b } = twoClients();
		const id = createShape(a, 'text', { fontSize: 10 });
		sync(docA, docB);
		updateShape(a, id, { fontSize: 30 });
		updateShape(b, id, { fontSize: 40 });
		sync(docA, docB);
		expect(getShape(a, id, 'text')!.fontSize).toBe(getShape(b, id, 'text')!.fontSize);
		expect([30, 40]).toContain(getShape(a, id, 'text')!.fontSize);
	});

	it('a shape deleted on one client while moved on the other ends up deleted on both', () => {
		const { docA, docB, a, b } = twoClients();
		const id = createShape(a, 'ellipse');
		sync(docA, docB);
		deleteShapes(a, [id]);
		updateShape(b, id, { x: 5 });
		sync(docA, docB);
		expect(getShape(a, id)).toBeNull();
		expect(getShape(b, id)).toBeNull();
	});

	it('shapes created concurrently all appear, in the same order everywhere', () => {
		const { docA, docB, a, b } = twoClients();
		const fromA = [createShape(a, 'rect'), createShape(a, 'pen')];
		const fromB = [createShape(b, 'line'), createShape(b, 'sticky')];
		sync(docA, docB);
		const orderA = listShapes(a).map((s) => s.id);
		expect(orderA).toEqual(listShapes(b).map((s) => s.id));
		expect(new Set(orderA)).toEqual(new Set([...fromA, ...fromB]));
	});

	it('live-connected clients see each stroke update as it is written', () => {
		const { docA, docB, a, b } = twoClients();
		connect(docA, docB);
		const id = createShape(a, 'pen', { points: [0, 0] });
		for (let i = 1; i <= 5; i++) {
			const points = Array.from({ length: (i + 1) * 2 }, (_, k) => k);
			updateShape(a, id, { points });
			expect(getShape(b, id, 'pen')!.points).toHaveLength((i + 1) * 2);
		}
	});
});
