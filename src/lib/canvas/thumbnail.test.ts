// The thumbnail's frame: on the drawing, 16:10 where the view allows, never outside the view.
import { describe, expect, it } from 'vitest';
import { thumbnailFrame } from '$lib/canvas/thumbnail';

describe('thumbnailFrame', () => {
	it('shows the whole view when nothing is drawn', () => {
		expect(thumbnailFrame({ x: 0, y: 0, width: 0, height: 0 }, 1280, 800)).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
	});

	it('frames the drawing at 16:10, at least half the view wide, inside the view', () => {
		const frame = thumbnailFrame({ x: 1000, y: 600, width: 100, height: 100 }, 1280, 800);
		expect(frame.width / frame.height).toBeCloseTo(1.6);
		expect(frame.width).toBe(640);
		expect(frame.x + frame.width).toBeLessThanOrEqual(1280);
		expect(frame.y + frame.height).toBeLessThanOrEqual(800);
		expect(frame.x).toBeLessThanOrEqual(1000);
	});

	it('in a portrait view, keeps to the view’s width and the whole drawing', () => {
		const frame = thumbnailFrame({ x: 50, y: 300, width: 300, height: 200 }, 390, 844);
		expect(frame.width).toBe(390);
		expect(frame.y).toBeLessThanOrEqual(300 - 32);
		expect(frame.y + frame.height).toBeGreaterThanOrEqual(500 + 32);
	});
});
