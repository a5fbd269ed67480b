import { describe, expect, it } from 'vitest';
import { SHAPE_DEFAULTS, type Shape } from '$lib/board';
import { patchFromTransform } from '$lib/view/resize';

const base = { id: 's1', index: 'a0' };

describe('patchFromTransform', () => {
	it('bakes scale into a box shape and keeps the new origin and rotation', () => {
		const rect = { ...SHAPE_DEFAULTS.rect, ...base, type: 'rect', w: 100, h: 50 } as Shape;
		expect(patchFromTransform(rect, { x: 10, y: 20, rotation: 45, scaleX: 2, scaleY: 0.5 })).toEqual({
			x: 10,
			y: 20,
			rotation: 45,
			w: 200,
			h: 25
		});
	});

	it('scales the points of lines and strokes', () => {
		const line = { ...SHAPE_DEFAULTS.line, ...base, type: 'line', points: [0, 0, 100, 40] } as Shape;
		expect(patchFromTransform(line, { x: 0, y: 0, rotation: 0, scaleX: 1.5, scaleY: 2 })).toMatchObject({
			points: [0, 0, 150, 80]
		});
	});

	it('changes only the width of text (its height follows from wrapping)', () => {
		const text = { ...SHAPE_DEFAULTS.text, ...base, type: 'text', w: 100 } as Shape;
		const patch = patchFromTransform(text, { x: 0, y: 0, rotation: 0, scaleX: 2, scaleY: 3 });
		expect(patch).toMatchObject({ w: 200 });
		expect(patch).not.toHaveProperty('h');
	});

	it('ignores a non-finite scale from a zero-height box', () => {
		const line = { ...SHAPE_DEFAULTS.line, ...base, type: 'line', points: [0, 0, 100, 0] } as Shape;
		expect(patchFromTransform(line, { x: 0, y: 0, rotation: 0, scaleX: 2, scaleY: Infinity })).toMatchObject({
			points: [0, 0, 200, 0]
		});
	});
});
