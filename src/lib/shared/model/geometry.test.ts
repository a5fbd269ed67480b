/** Bounds, hit-tests and marquee tests of each shape kind, rotation included. */

import { describe, expect, it } from 'vitest';
import {
	boundsOfShapes,
	hitTest,
	intersectsBox,
	containedInBox,
	shapeBounds,
	shapesInBox,
	toLocal,
	toWorld,
	topShapeAt,
	arrowHeadSize,
	PEN_MAX_RADIUS_FACTOR
} from './geometry.ts';
import { SHAPE_DEFAULTS, type Shape, type ShapeOf, type ShapeProps, type ShapeType } from './schema.ts';

let counter = 0;
function make<T extends ShapeType>(type: T, props: Partial<ShapeProps<T>> = {}): ShapeOf<T> {
	counter++;
	return { ...SHAPE_DEFAULTS[type], ...props, type, id: `s${counter}`, index: `a${counter % 10}` } as unknown as ShapeOf<T>;
}

function expectBox(actual: { x: number; y: number; w: number; h: number }, expected: { x: number; y: number; w: number; h: number }) {
	for (const key of ['x', 'y', 'w', 'h'] as const) expect(actual[key], key).toBeCloseTo(expected[key], 6);
}

describe('transforms', () => {
	it('rotates clockwise about the origin (y down), and toLocal inverts toWorld', () => {
		const shape = make('rect', { x: 10, y: 20, rotation: 90 });
		const world = toWorld(shape, { x: 5, y: 0 });
		expect(world.x).toBeCloseTo(10);
		expect(world.y).toBeCloseTo(25);
		const back = toLocal(shape, world);
		expect(back.x).toBeCloseTo(5);
		expect(back.y).toBeCloseTo(0);
	});
});

describe('shapeBounds', () => {
	it('boxes: geometry plus half the stroke', () => {
		expectBox(shapeBounds(make('rect', { x: 10, y: 20, w: 100, h: 50, strokeWidth: 4 })), { x: 8, y: 18, w: 104, h: 54 });
		expectBox(shapeBounds(make('sticky', { x: 0, y: 0, w: 200, h: 200, strokeWidth: 6 })), { x: 0, y: 0, w: 200, h: 200 });
	});

	it('takes rotation into account', () => {
		// A 100×50 box rotated 90° about its top-left corner swings to the left of it.
		expectBox(shapeBounds(make('rect', { x: 0, y: 0, w: 100, h: 50, rotation: 90, strokeWidth: 0 })), { x: -50, y: 0, w: 50, h: 100 });
		const diagonal = shapeBounds(make('rect', { x: 0, y: 0, w: 100, h: 100, rotation: 45, strokeWidth: 0 }));
		expect(diagonal.w).toBeCloseTo(100 * Math.SQRT2);
	});

	it('rotated ellipses get their exact (tight) extent', () => {
		const b = shapeBounds(make('ellipse', { x: 0, y: 0, w: 200, h: 100, rotation: 90, strokeWidth: 0 }));
		expectBox(b, { x: -100, y: 0, w: 100, h: 200 }); // centre (100, 50) swings to (-50, 100)
		// A circle's bounds do not grow with rotation.
		const circle = shapeBounds(make('ellipse', { w: 100, h: 100, rotation: 30, strokeWidth: 0 }));
		expect(circle.w).toBeCloseTo(100);
	});

	it('lines use their points relative to x, y; arrows include the head; pens the widest stroke', () => {
		expectBox(shapeBounds(make('line', { x: 100, y: 100, points: [0, 0, 50, -20], strokeWidth: 2 })), { x: 99, y: 79, w: 52, h: 22 });
		const head = arrowHeadSize(2).width / 2;
		expectBox(shapeBounds(make('arrow', { x: 0, y: 0, points: [0, 0, 100, 0], strokeWidth: 2 })), { x: -head, y: -head, w: 100 + 2 * head, h: 2 * head });
		const r = 4 * PEN_MAX_RADIUS_FACTOR;
		expectBox(shapeBounds(make('pen', { x: 5, y: 5, points: [0, 0], strokeWidth: 4 })), { x: 5 - r, y: 5 - r, w: 2 * r, h: 2 * r });
	});

	it('boundsOfShapes unions them, or is null for none', () => {
		expect(boundsOfShapes([])).toBeNull();
		const shapes = [make('rect', { x: 0, y: 0, w: 10, h: 10, strokeWidth: 0 }), make('rect', { x: 90, y: -5, w: 10, h: 10, strokeWidth: 0 })];
		expectBox(boundsOfShapes(shapes)!, { x: 0, y: -5, w: 100, h: 15 });
	});
});

describe('hitTest', () => {
	const outlined = make('rect', { x: 0, y: 0, w: 100, h: 100, strokeWidth: 2, fill: 'transparent' });
	const filled = make('rect', { x: 0, y: 0, w: 100, h: 100, strokeWidth: 2, fill: '#ff0000' });

	it('grabs an unfilled box by its outline only', () => {
		expect(hitTest(outlined, { x: 0, y: 50 }, 0)).toBe(true);
		expect(hitTest(outlined, { x: 4, y: 50 }, 4)).toBe(true);
		expect(hitTest(outlined, { x: 50, y: 50 }, 4)).toBe(false);
		expect(hitTest(outlined, { x: -10, y: 50 }, 4)).toBe(false);
	});

	it('grabs a filled box anywhere in its body', () => {
		expect(hitTest(filled, { x: 50, y: 50 }, 0)).toBe(true);
		expect(hitTest(filled, { x: 103, y: 50 }, 3)).toBe(true);
		expect(hitTest(filled, { x: 110, y: 50 }, 3)).toBe(false);
	});

	it('respects rotation', () => {
		const rotated = make('rect', { x: 0, y: 0, w: 100, h: 20, rotation: 90, fill: '#000000' });
		expect(hitTest(rotated, { x: -10, y: 50 }, 0)).toBe(true);
		expect(hitTest(rotated, { x: 50, y: 10 }, 0)).toBe(false);
	});

	it('ellipses: outline when unfilled, body when filled, not the box corners', () => {
		const ring = make('ellipse', { x: 0, y: 0, w: 100, h: 50, fill: 'transparent', strokeWidth: 2 });
		expect(hitTest(ring, { x: 0, y: 25 }, 2)).toBe(true);
		expect(hitTest(ring, { x: 50, y: 25 }, 2)).toBe(false);
		const disc = make('ellipse', { x: 0, y: 0, w: 100, h: 50, fill: '#00ff00', strokeWidth: 2 });
		expect(hitTest(disc, { x: 50, y: 25 }, 0)).toBe(true);
		expect(hitTest(disc, { x: 3, y: 3 }, 1)).toBe(false);
	});

	it('lines, arrows and pens by distance to their segments', () => {
		const line = make('line', { x: 10, y: 10, points: [0, 0, 100, 0, 100, 100], strokeWidth: 2 });
		expect(hitTest(line, { x: 60, y: 14 }, 3)).toBe(true);
		expect(hitTest(line, { x: 60, y: 15 }, 3)).toBe(false); // 5 away: tolerance 3 + half stroke 1 = 4
		expect(hitTest(line, { x: 112, y: 60 }, 3)).toBe(true);
		expect(hitTest(line, { x: 60, y: 60 }, 3)).toBe(false); // inside the corner: lines have no body
		const dot = make('pen', { x: 0, y: 0, points: [0, 0], strokeWidth: 4 });
		expect(hitTest(dot, { x: 3, y: 0 }, 0)).toBe(true);
		expect(hitTest(dot, { x: 6, y: 0 }, 0)).toBe(false);
	});

	it('text and sticky notes by their whole box', () => {
		const note = make('sticky', { x: 0, y: 0, w: 200, h: 200 });
		expect(hitTest(note, { x: 100, y: 100 }, 0)).toBe(true);
		const text = make('text', { x: 0, y: 0, w: 200, h: 30, fill: 'transparent' });
		expect(hitTest(text, { x: 100, y: 15 }, 0)).toBe(true);
		expect(hitTest(text, { x: 100, y: 40 }, 0)).toBe(false);
	});

	it('topShapeAt returns the topmost hit', () => {
		const below = make('rect', { fill: '#ffffff' });
		const above = make('rect', { x: 50, y: 50, fill: '#000000' });
		expect(topShapeAt([below, above], { x: 60, y: 60 })?.id).toBe(above.id);
		expect(topShapeAt([below, above], { x: 10, y: 10 })?.id).toBe(below.id);
		expect(topShapeAt([below, above], { x: 500, y: 500 })).toBeNull();
	});
});

describe('marquee', () => {
	const line = make('line', { x: 0, y: 0, points: [0, 0, 100, 100], strokeWidth: 2 });
	const ring = make('ellipse', { x: 0, y: 0, w: 100, h: 100, fill: 'transparent' });
	const disc = make('ellipse', { x: 0, y: 0, w: 100, h: 100, fill: '#ff0000' });

	it('intersect: touching the drawn geometry, not just the bounds', () => {
		expect(intersectsBox(line, { x: 40, y: 40, w: 20, h: 20 })).toBe(true); // on the diagonal
		expect(intersectsBox(line, { x: 70, y: 0, w: 20, h: 20 })).toBe(false); // inside the bounds, off the line
		expect(intersectsBox(line, { x: 40, y: -10, w: 5, h: 200 })).toBe(true); // crossing it, no vertex inside
		expect(intersectsBox(ring, { x: 40, y: 40, w: 20, h: 20 })).toBe(false); // inside an unfilled ring
		expect(intersectsBox(disc, { x: 40, y: 40, w: 20, h: 20 })).toBe(true); // inside a filled disc
	});

	it('contain: the whole drawn shape must be inside', () => {
		expect(containedInBox(line, { x: -5, y: -5, w: 110, h: 110 })).toBe(true);
		expect(containedInBox(line, { x: 0, y: 0, w: 100, h: 100 })).toBe(false); // the stroke pokes out
	});

	it('shapesInBox filters by mode', () => {
		const far = make('rect', { x: 1000, y: 1000 });
		const box = { x: -10, y: -10, w: 60, h: 60 };
		expect(shapesInBox([line, ring, far], box, 'intersect').map((s: Shape) => s.id)).toEqual([line.id, ring.id]);
		expect(shapesInBox([line, ring, far], { x: -10, y: -10, w: 2000, h: 2000 }, 'contain')).toHaveLength(3);
		expect(shapesInBox([line, ring, far], box, 'contain')).toHaveLength(0);
	});
});
