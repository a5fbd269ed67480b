// An exported picture stays within what a browser can draw: the asked scale when it fits, less when it would not.
import { describe, expect, it } from 'vitest';
import { MAX_EXPORT_PIXELS, MAX_EXPORT_SIDE, fitPixelRatio } from '$lib/canvas/export';

describe('fitPixelRatio', () => {
	it('keeps the asked scale for a picture that fits', () => {
		expect(fitPixelRatio({ w: 1200, h: 800 }, 2)).toBe(2);
	});

	it('lowers it so the picture holds at most MAX_EXPORT_PIXELS and no side passes MAX_EXPORT_SIDE', () => {
		const huge = { w: 12_000, h: 12_000 };
		const ratio = fitPixelRatio(huge, 2);
		expect(ratio).toBeLessThan(1);
		expect(huge.w * ratio * huge.h * ratio).toBeLessThanOrEqual(MAX_EXPORT_PIXELS + 1);
		expect(fitPixelRatio({ w: 100_000, h: 10 }, 1) * 100_000).toBeLessThanOrEqual(MAX_EXPORT_SIDE + 1e-6);
	});
});
