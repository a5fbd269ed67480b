import { describe, expect, it } from 'vitest';
import { SHAPE_DEFAULTS, type Shape } from '$lib/board';
import { MAX_OUTLINES_DRAWN, outlineCorners, outlineOf, outlinesInView, type Outline } from '$lib/view/outlines';

const rect = (id: string, x: number, y: number, extra: Partial<Shape> = {}): Shape =>
	({ ...SHAPE_DEFAULTS.rect, type: 'rect', id, index: 'a0', x, y, w: 10, h: 20, ...extra }) as Shape;

describe('outlineOf', () => {
	it('is the shape box, corner by corner, and a gap further out when asked', () => {
		expect(outlineCorners(outlineOf(rect('a', 5, 7)), 2)).toEqual([
			{ x: 3, y: 5 },
			{ x: 17, y: 5 },
			{ x: 17, y: 29 },
			{ x: 3, y: 29 }
		]);
		expect(outlineCorners(outlineOf(rect('a', 5, 7)))).toEqual([
			{ x: 5, y: 7 },
			{ x: 15, y: 7 },
			{ x: 15, y: 27 },
			{ x: 5, y: 27 }
		]);
	});

	it('turns with the shape about its origin, as Konva draws it', () => {
		const outline = outlineOf(rect('a', 0, 0, { rotation: 90 }));
		const { bounds } = outline;
		const corners = outlineCorners(outline);
		const rounded = corners.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
		expect(rounded).toEqual([
			{ x: 0, y: 0 },
			{ x: 0, y: 10 },
			{ x: -20, y: 10 },
			{ x: -20, y: 0 }
		]);
		expect(Math.round(bounds.x)).toBe(-20);
		expect(Math.round(bounds.w)).toBe(20);
	});
});

describe('outlinesInView', () => {
	const view = { x: 0, y: 0, w: 100, h: 100 };

	it('outlines only the shapes that meet the view', () => {
		const shapes = [rect('in', 10, 10), rect('edge', 95, 95), rect('out', 200, 10)];
		const drawn = outlinesInView(shapes, view, new WeakMap());
		expect(drawn.map((o) => o.shape.id)).toEqual(['in', 'edge']);
	});

	it('draws none rather than some when more than the cap are in view, and ignores any number out of view', () => {
		const many = Array.from({ length: MAX_OUTLINES_DRAWN + 1 }, (_, i) => rect(`s${i}`, i % 90, 10));
		expect(outlinesInView(many, view, new WeakMap())).toHaveLength(0);
		const away = Array.from({ length: 10_000 }, (_, i) => rect(`f${i}`, 1_000 + i, 10));
		expect(outlinesInView([...away, rect('in', 1, 1)], view, new WeakMap())).toHaveLength(1);
	});

	it('computes a shape object’s outline once', () => {
		const cache = new WeakMap<Shape, Outline>();
		const shape = rect('a', 1, 1);
		const [first] = outlinesInView([shape], view, cache);
		const [again] = outlinesInView([shape], { x: -50, y: -50, w: 200, h: 200 }, cache);
		expect(again).toBe(first);
		expect(cache.get(shape)).toBe(first);
	});
});
