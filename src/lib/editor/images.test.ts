import { describe, expect, it } from 'vitest';
import { IMAGE_FIT_VIEWPORT_FRACTION, fittedImageSize, imageShapeAt } from '$lib/editor/images';
import { validateShape, FIRST_INDEX } from '$lib/board';

const viewport = { width: 1000, height: 800 };

describe('the size of a new image', () => {
	it('keeps a small image at its natural size at zoom 1 (never upscaled)', () => {
		expect(fittedImageSize({ width: 200, height: 100 }, viewport, 1)).toEqual({ w: 200, h: 100 });
	});

	it('fits a large image within 60 % of the viewport, aspect kept', () => {
		const { w, h } = fittedImageSize({ width: 4000, height: 2000 }, viewport, 1);
		expect(w).toBeCloseTo(viewport.width * IMAGE_FIT_VIEWPORT_FRACTION);
		expect(w / h).toBeCloseTo(2);
		const tall = fittedImageSize({ width: 1000, height: 3000 }, viewport, 1);
		expect(tall.h).toBeCloseTo(viewport.height * IMAGE_FIT_VIEWPORT_FRACTION);
		expect(tall.w / tall.h).toBeCloseTo(1 / 3);
	});

	it('fits the viewport as zoomed: at zoom 2 the box is half as many board units', () => {
		const { w } = fittedImageSize({ width: 4000, height: 2000 }, viewport, 2);
		expect(w).toBeCloseTo((viewport.width * IMAGE_FIT_VIEWPORT_FRACTION) / 2);
		// Zoomed out, the limit grows, but never past the natural size.
		expect(fittedImageSize({ width: 300, height: 300 }, viewport, 0.25)).toEqual({ w: 300, h: 300 });
	});

	it('makes a valid image shape centred where asked', () => {
		const shape = imageShapeAt({ hash: 'a'.repeat(64), mime: 'image/png', width: 200, height: 100 }, { x: 50, y: 50 }, viewport, 1);
		expect(shape).toMatchObject({ type: 'image', x: -50, y: 0, w: 200, h: 100, naturalW: 200, naturalH: 100 });
		expect(() => validateShape({ ...shape, id: 'x', index: FIRST_INDEX })).not.toThrow();
	});
});
