import { describe, expect, it } from 'vitest';
import { GRID_UNIT, dotLayout } from '$lib/canvas/dot-grid';

describe('dotLayout', () => {
	it('spaces dots one grid unit apart at 100 % and keeps them 12 to 48 px apart at any zoom', () => {
		expect(dotLayout({ x: 0, y: 0, zoom: 1 }).spacing).toBe(GRID_UNIT);
		for (const zoom of [0.05, 0.1, 0.3, 0.5, 0.99, 1.5, 2, 3.7, 8, 30]) {
			const { spacing } = dotLayout({ x: 0, y: 0, zoom });
			expect(spacing).toBeGreaterThanOrEqual(12);
			expect(spacing).toBeLessThanOrEqual(48);
			// Still on the board's grid: a power-of-two multiple or fraction of the grid unit.
			expect(Math.log2(spacing / (GRID_UNIT * zoom)) % 1).toBeCloseTo(0);
		}
	});

	it('moves the dots with the board: the first dot sits at the camera offset modulo the spacing', () => {
		expect(dotLayout({ x: 100, y: 50, zoom: 1 })).toEqual({ spacing: 24, shiftX: 4 - 24, shiftY: 2 - 24 });
		expect(dotLayout({ x: -100, y: 0, zoom: 1 }).shiftX).toBe(20 - 24);
		// At 200 % the board offset is doubled on screen; 48 px apart.
		expect(dotLayout({ x: 10, y: 0, zoom: 2 })).toMatchObject({ spacing: 48, shiftX: 20 - 48 });
	});
});
