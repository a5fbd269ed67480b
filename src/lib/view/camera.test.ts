import { describe, expect, it } from 'vitest';
import {
	boardToScreen,
	cameraForView,
	viewCentre,
	fitBounds,
	MAX_ZOOM,
	MIN_ZOOM,
	panBy,
	screenToBoard,
	wheelZoomFactor,
	zoomAt
} from '$lib/view/camera';

describe('camera', () => {
	it('converts screen to board and back', () => {
		const cam = { x: 10, y: -20, zoom: 2 };
		const board = screenToBoard(cam, { x: 100, y: 60 });
		expect(board).toEqual({ x: 40, y: 50 });
		expect(boardToScreen(cam, board)).toEqual({ x: 100, y: 60 });
	});

	it('pans by screen pixels whatever the zoom', () => {
		const cam = panBy({ x: 0, y: 0, zoom: 2 }, 20, -10);
		expect(boardToScreen(cam, { x: 0, y: 0 })).toEqual({ x: 20, y: -10 });
	});

	it('keeps the point under the pointer fixed while zooming', () => {
		const cam = { x: 5, y: 7, zoom: 1 };
		const pointer = { x: 300, y: 200 };
		const before = screenToBoard(cam, pointer);
		const zoomed = zoomAt(cam, pointer, 3);
		expect(zoomed.zoom).toBe(3);
		const after = screenToBoard(zoomed, pointer);
		expect(after.x).toBeCloseTo(before.x);
		expect(after.y).toBeCloseTo(before.y);
	});

	it('clamps zoom to its limits', () => {
		expect(zoomAt({ x: 0, y: 0, zoom: 1 }, { x: 0, y: 0 }, 1000).zoom).toBe(MAX_ZOOM);
		expect(zoomAt({ x: 0, y: 0, zoom: 1 }, { x: 0, y: 0 }, 0).zoom).toBe(MIN_ZOOM);
	});

	it('zooms in for a wheel up and out for a wheel down', () => {
		expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
		expect(wheelZoomFactor(100)).toBeLessThan(1);
		expect(wheelZoomFactor(0)).toBe(1);
	});

	it('fits content in the centre of the viewport without zooming past 100 %', () => {
		const small = fitBounds({ x: 100, y: 100, w: 50, h: 50 }, { width: 800, height: 600 });
		expect(small.zoom).toBe(1);
		expect(boardToScreen(small, { x: 125, y: 125 })).toEqual({ x: 400, y: 300 });

		const big = fitBounds({ x: 0, y: 0, w: 4000, h: 1000 }, { width: 800, height: 600 });
		expect(big.zoom).toBeCloseTo((800 - 128) / 4000);
		const centre = boardToScreen(big, { x: 2000, y: 500 });
		expect(centre.x).toBeCloseTo(400);
		expect(centre.y).toBeCloseTo(300);
	});

	it("shows a followed person's view centre at the centre of a differently sized screen, at their zoom", () => {
		const theirs = { x: 120, y: -40, zoom: 2 };
		const view = viewCentre(theirs, { width: 1000, height: 600 });
		const mine = cameraForView(view, { width: 400, height: 300 });
		expect(mine.zoom).toBe(2);
		const centre = boardToScreen(mine, { x: view.x, y: view.y });
		expect(centre.x).toBeCloseTo(200);
		expect(centre.y).toBeCloseTo(150);
		expect(cameraForView({ x: 0, y: 0, zoom: 1000 }, { width: 400, height: 300 }).zoom).toBe(MAX_ZOOM);
	});
});
