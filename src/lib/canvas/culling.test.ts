import { describe, expect, it } from 'vitest';
import type { Box } from '$lib/shared/model/geometry';
import { CELL_SIZE, MAX_CELLS_PER_SHAPE, SpatialIndex, VisibleSet } from '$lib/canvas/culling';

function found(index: SpatialIndex, box: Box): string[] {
	const ids: string[] = [];
	index.query(box, (id) => ids.push(id));
	return ids.sort();
}

/** The answer without an index: every shape whose bounds touch the box. */
function bruteForce(shapes: Map<string, Box>, box: Box): string[] {
	return [...shapes]
		.filter(([, b]) => b.x <= box.x + box.w && box.x <= b.x + b.w && b.y <= box.y + box.h && box.y <= b.y + b.h)
		.map(([id]) => id)
		.sort();
}

describe('SpatialIndex', () => {
	it('finds the shapes intersecting a box, each once, also when they span several cells', () => {
		const index = new SpatialIndex();
		index.set('small', { x: 10, y: 10, w: 20, h: 20 });
		index.set('across', { x: CELL_SIZE - 10, y: CELL_SIZE - 10, w: 2 * CELL_SIZE, h: 40 });
		index.set('far', { x: 10 * CELL_SIZE, y: 0, w: 10, h: 10 });
		expect(found(index, { x: 0, y: 0, w: 3 * CELL_SIZE, h: 3 * CELL_SIZE })).toEqual(['across', 'small']);
		expect(found(index, { x: 2 * CELL_SIZE, y: CELL_SIZE, w: 5, h: 5 })).toEqual(['across']);
		expect(found(index, { x: 100, y: 100, w: 5, h: 5 })).toEqual([]);
	});

	it('handles negative coordinates and shapes too big or too far out for the grid', () => {
		const index = new SpatialIndex();
		index.set('negative', { x: -700, y: -300, w: 50, h: 50 });
		const huge = (MAX_CELLS_PER_SHAPE + 1) * CELL_SIZE;
		index.set('huge', { x: -huge / 2, y: 0, w: huge, h: CELL_SIZE });
		index.set('remote', { x: 1e12, y: 1e12, w: 1, h: 1 });
		expect(found(index, { x: -680, y: -280, w: 1, h: 1 })).toEqual(['negative']);
		expect(found(index, { x: 0, y: 10, w: 1, h: 1 })).toEqual(['huge']);
		expect(found(index, { x: 1e12, y: 1e12, w: 5, h: 5 })).toEqual(['remote']);
	});

	it('follows moves and deletes', () => {
		const index = new SpatialIndex();
		index.set('a', { x: 0, y: 0, w: 10, h: 10 });
		index.set('a', { x: 5000, y: 5000, w: 10, h: 10 });
		expect(found(index, { x: 0, y: 0, w: 100, h: 100 })).toEqual([]);
		expect(found(index, { x: 4990, y: 4990, w: 100, h: 100 })).toEqual(['a']);
		index.delete('a');
		expect(found(index, { x: 4990, y: 4990, w: 100, h: 100 })).toEqual([]);
		expect(index.size).toBe(0);
	});

	it('agrees with a brute-force scan on random boards and views', () => {
		let seed = 7;
		const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		const shapes = new Map<string, Box>();
		const index = new SpatialIndex();
		for (let i = 0; i < 500; i++) {
			const box = { x: random() * 20000 - 10000, y: random() * 20000 - 10000, w: random() * (i % 50 === 0 ? 40000 : 800), h: random() * 800 };
			shapes.set(`s${i}`, box);
			index.set(`s${i}`, box);
		}
		for (let i = 0; i < 100; i += 3) {
			shapes.delete(`s${i}`);
			index.delete(`s${i}`);
		}
		for (let q = 0; q < 50; q++) {
			const view = { x: random() * 20000 - 10000, y: random() * 20000 - 10000, w: random() * 6000, h: random() * 4000 };
			expect(found(index, view)).toEqual(bruteForce(shapes, view));
		}
		const everything = { x: -1e6, y: -1e6, w: 2e6, h: 2e6 };
		expect(found(index, everything)).toEqual(bruteForce(shapes, everything));
	});
});

describe('VisibleSet', () => {
	it('reports the shapes that enter and leave as the view moves', () => {
		const visible = new VisibleSet();
		visible.set('left', { x: 0, y: 0, w: 100, h: 100 });
		visible.set('right', { x: 2000, y: 0, w: 100, h: 100 });
		expect(visible.setView({ x: 0, y: 0, w: 1280, h: 800 })).toEqual({ entered: ['left'], left: [] });
		expect(visible.setView({ x: 1000, y: 0, w: 1280, h: 800 })).toEqual({ entered: ['right'], left: ['left'] });
		expect(visible.has('right')).toBe(true);
		expect(visible.has('left')).toBe(false);
	});

	it('says whether a changed shape is in view, and forgets deleted ones', () => {
		const visible = new VisibleSet();
		expect(visible.set('a', { x: 0, y: 0, w: 10, h: 10 })).toBe(false);
		visible.setView({ x: 0, y: 0, w: 100, h: 100 });
		expect(visible.has('a')).toBe(true);
		expect(visible.set('a', { x: 500, y: 0, w: 10, h: 10 })).toBe(false);
		expect(visible.has('a')).toBe(false);
		expect(visible.set('a', { x: 50, y: 50, w: 10, h: 10 })).toBe(true);
		visible.delete('a');
		expect(visible.size).toBe(0);
		expect(visible.setView({ x: 0, y: 0, w: 100, h: 100 })).toEqual({ entered: [], left: [] });
	});
});
