/** Pen strokes: outline polygons from perfect-freehand, simplification, and the live write cadence. */

import { describe, expect, it } from 'vitest';
import { boxOfPoints, pairs } from '../shared/model/geometry.ts';
import { GrowingStrokeSimplifier, STROKE_MIN_WRITE_INTERVAL_MS, penOutline, simplifyStroke, strokeWriteIntervalMs } from './stroke.ts';

describe('penOutline', () => {
	it('returns a closed polygon around the stroke, about strokeWidth wide', () => {
		const points = Array.from({ length: 50 }, (_, i) => [i * 4, 0]).flat();
		const outline = penOutline({ points, strokeWidth: 8 });
		expect(outline.length % 2).toBe(0);
		expect(outline.length).toBeGreaterThan(20);
		const box = boxOfPoints(pairs(outline))!;
		expect(box.x).toBeLessThan(1);
		expect(box.x + box.w).toBeGreaterThan(190);
		expect(box.h).toBeGreaterThan(3);
		expect(box.h).toBeLessThanOrEqual(8 * 1.5 + 0.01);
	});

	it('uses recorded pressures: a harder stroke is wider', () => {
		const points = Array.from({ length: 30 }, (_, i) => [i * 5, 0]).flat();
		const soft = boxOfPoints(pairs(penOutline({ points, strokeWidth: 10, pressures: new Array(30).fill(0.1) })))!;
		const hard = boxOfPoints(pairs(penOutline({ points, strokeWidth: 10, pressures: new Array(30).fill(1) })))!;
		expect(hard.h).toBeGreaterThan(soft.h * 1.5);
	});

	it('draws a single point as a dot', () => {
		const outline = penOutline({ points: [10, 10], strokeWidth: 6 });
		const box = boxOfPoints(pairs(outline))!;
		expect(box.w).toBeGreaterThan(2);
		expect(box.x + box.w / 2).toBeCloseTo(10, 0);
	});
});

describe('simplifyStroke', () => {
	it('drops points on a straight run and keeps the corners', () => {
		const points = [...Array.from({ length: 11 }, (_, i) => [i * 10, 0]).flat(), 100, 50, 100, 100];
		const simplified = simplifyStroke({ points }, 0.5);
		expect(simplified.points).toEqual([0, 0, 100, 0, 100, 100]);
	});

	it('keeps pressures aligned with the kept points', () => {
		const points = [0, 0, 5, 0, 10, 0, 10, 10];
		const pressures = [0.1, 0.2, 0.3, 0.4];
		expect(simplifyStroke({ points, pressures }, 0.5)).toEqual({ points: [0, 0, 10, 0, 10, 10], pressures: [0.1, 0.3, 0.4] });
	});

	it('keeps detail above the tolerance and handles long strokes without recursion', () => {
		// A zigzag is the worst case (every split peels off one point): 12,000 levels would overflow a recursive version.
		const wiggle = Array.from({ length: 12_000 }, (_, i) => [i, i % 2 === 0 ? 0 : 3]).flat();
		expect(simplifyStroke({ points: wiggle }, 0.5).points).toHaveLength(wiggle.length);
		const straight = Array.from({ length: 20_000 }, (_, i) => [i, 0]).flat();
		expect(simplifyStroke({ points: straight }, 0.5).points).toEqual([0, 0, 19_999, 0]);
	});

	it('leaves tiny strokes alone', () => {
		expect(simplifyStroke({ points: [0, 0, 1, 1] })).toEqual({ points: [0, 0, 1, 1] });
	});
});

describe('GrowingStrokeSimplifier', () => {
	/** Distance from (px, py) to the polyline `points`. */
	const distanceToPolyline = (px: number, py: number, points: number[]) => {
		let best = Infinity;
		for (let i = 0; i + 3 < points.length; i += 2) {
			const [ax, ay, bx, by] = points.slice(i, i + 4) as [number, number, number, number];
			const dx = bx - ax;
			const dy = by - ay;
			const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
			best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)));
		}
		return best;
	};

	it('keeps a straight stroke at its two ends however it grows', () => {
		const simplifier = new GrowingStrokeSimplifier(0.5);
		const raw: number[] = [];
		for (let i = 0; i < 200; i++) {
			raw.push(i, 0);
			expect(simplifier.update({ points: raw }).points).toEqual(i === 0 ? [0, 0] : [0, 0, i, 0]);
		}
	});

	it('stays within the tolerance of every drawn point, never changes settled points, and keeps pressures aligned', () => {
		const simplifier = new GrowingStrokeSimplifier(0.5);
		const raw: number[] = [];
		const pressures: number[] = [];
		let previous: number[] = [];
		for (let i = 0; i < 600; i++) {
			raw.push(i, 30 * Math.sin(i / 15) + (i % 7) * 0.1);
			pressures.push((i % 10) / 10);
			if (i % 5 !== 4) continue;
			const result = simplifier.update({ points: raw, pressures });
			expect(result.pressures).toHaveLength(result.points.length / 2);
			// Everything before the previous result's moving end is still there, unchanged.
			if (previous.length > 0) expect(result.points.slice(0, previous.length - 2)).toEqual(previous.slice(0, -2));
			previous = result.points;
		}
		for (let i = 0; i < raw.length; i += 2) expect(distanceToPolyline(raw[i]!, raw[i + 1]!, previous)).toBeLessThanOrEqual(0.5 + 1e-9);
		expect(previous.length).toBeLessThan(raw.length / 3);
		expect(previous.slice(-2)).toEqual(raw.slice(-2));
	});
});

describe('strokeWriteIntervalMs', () => {
	it('writes short strokes often and long ones less often, so bytes per second stay bounded', () => {
		expect(strokeWriteIntervalMs(1)).toBe(STROKE_MIN_WRITE_INTERVAL_MS);
		expect(strokeWriteIntervalMs(1000)).toBeGreaterThan(strokeWriteIntervalMs(100));
		// Bytes per second ~ points / interval: the same for 500 and 5,000 points.
		expect(500 / strokeWriteIntervalMs(500)).toBeCloseTo(5000 / strokeWriteIntervalMs(5000));
	});
});
