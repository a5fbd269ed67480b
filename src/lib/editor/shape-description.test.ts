import { describe, expect, it } from 'vitest';
import { SHAPE_DEFAULTS, type Shape } from '$lib/board';
import { DESCRIBED_TEXT_MAX_CHARS, describeShape, readingOrder } from '$lib/editor/shape-description';

let next = 0;
function shape<T extends Shape['type']>(type: T, props: Partial<Extract<Shape, { type: T }>> = {}): Shape {
	return { ...SHAPE_DEFAULTS[type], id: `s${next++}`, index: `a${next}`, type, ...props } as unknown as Shape;
}

describe('describeShape', () => {
	it('names the kind, then the text of notes and text', () => {
		expect(describeShape(shape('sticky', { text: 'Buy milk' }))).toBe('Sticky note: Buy milk');
		expect(describeShape(shape('text', { text: 'Hello\n  world ' }))).toBe('Text: Hello world');
		expect(describeShape(shape('sticky', { text: '  ' }))).toBe('Sticky note, empty');
	});

	it('gives boxes their size and lines their length, in whole board units', () => {
		expect(describeShape(shape('rect', { w: 120.4, h: 79.6 }))).toBe('Rectangle 120 by 80');
		expect(describeShape(shape('ellipse', { w: 50, h: 30 }))).toBe('Ellipse 50 by 30');
		expect(describeShape(shape('image', { w: 640, h: 480 }))).toBe('Image 640 by 480');
		expect(describeShape(shape('arrow', { points: [0, 0, 30, 40] }))).toBe('Arrow, 50 long');
		expect(describeShape(shape('line', { points: [10, 10, 110, 10] }))).toBe('Line, 100 long');
		expect(describeShape(shape('pen', { points: [0, 0, 5, 5] }))).toBe('Drawing');
	});

	it('shortens long text', () => {
		const said = describeShape(shape('text', { text: 'a'.repeat(5000) }));
		expect(said).toBe(`Text: ${'a'.repeat(DESCRIBED_TEXT_MAX_CHARS)}…`);
	});
});

describe('readingOrder', () => {
	const box = (id: string, x: number, y: number, w = 100, h = 100) => ({ ...shape('rect', { x, y, w, h, strokeWidth: 0 }), id });

	it('reads rows from top to bottom, each left to right, whatever the stacking order', () => {
		// Stacked in the order they were drawn: bottom right first.
		const shapes = [box('d', 300, 400), box('b', 300, 10), box('c', 0, 400), box('a', 0, 0)];
		expect(readingOrder(shapes)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('keeps shapes a little higher or lower in the same row', () => {
		const shapes = [box('right', 400, -30), box('left', 0, 0), box('middle', 200, 40)];
		expect(readingOrder(shapes)).toEqual(['left', 'middle', 'right']);
	});

	it('starts a new row below the middle of the row’s first shape', () => {
		const shapes = [box('second', 0, 60), box('first', 200, 0)];
		expect(readingOrder(shapes)).toEqual(['first', 'second']);
	});

	it('orders shapes at the same place by stacking order', () => {
		expect(readingOrder([box('under', 0, 0), box('over', 0, 0)])).toEqual(['under', 'over']);
		expect(readingOrder([])).toEqual([]);
	});
});
