/** Pen strokes: the smoothed outline polygon a renderer fills (via perfect-freehand), and point simplification for storage. */

import { getStroke, type StrokeOptions } from 'perfect-freehand';
import { PEN_THINNING } from '../shared/model/geometry.ts';
import type { PenShape } from '../shared/model/schema.ts';
/** Default simplification tolerance in board units; pass 0.5 / zoom to keep it half a screen pixel. */
export const PEN_SIMPLIFY_TOLERANCE = 0.5;

/** Shortest gap between live writes of a stroke being drawn: one frame, so peers see the pen move as smoothly as the author. */
export const STROKE_MIN_WRITE_INTERVAL_MS = 16;
/** Extra gap per stored point: each write resends the whole array, so writes thin out as it grows. */
export const STROKE_WRITE_INTERVAL_MS_PER_POINT = 0.25;

/**
 * How long the editor should wait after writing a stroke of `pointCount` points before
 * writing it again. Growing the gap with the size keeps the bytes sent per second of
 * drawing bounded (about 40 KB/s at ~10 bytes a point), so a long stroke costs linear,
 * not quadratic, traffic; strokes up to 64 points go out every frame.
 */
export function strokeWriteIntervalMs(pointCount: number): number {
	return Math.max(STROKE_MIN_WRITE_INTERVAL_MS, pointCount * STROKE_WRITE_INTERVAL_MS_PER_POINT);
}

/** Options shared by everyone who draws a stroke, so a stroke looks the same on every screen. */
export function penStrokeOptions(shape: Pick<PenShape, 'strokeWidth' | 'pressures'>, last = true): StrokeOptions {
	return {
		size: shape.strokeWidth,
		thinning: PEN_THINNING,
		smoothing: 0.5,
		streamline: 0.5,
		// Mice and touchpads report no pressure: simulate it from speed instead.
		simulatePressure: shape.pressures === undefined,
		last
	};
}

/**
 * A pen's pressures if they were measured: a pen without a pressure sensor reports 0.5 throughout (as
 * a mouse does), and a stroke drawn with it is better simulated from speed. Once a value differs, the
 * stroke's pressures are real from then on.
 */
export function measuredPressures(pressures: readonly number[] | undefined): number[] | undefined {
	return pressures?.some((p) => p !== 0.5 && p !== 0) ? [...pressures] : undefined;
}

/**
 * The filled outline of a pen stroke as a flat [x0, y0, x1, y1, …] polygon in the shape's
 * local frame (relative to x, y), ready for a closed, filled Konva.Line in the stroke colour.
 * Pass `last = false` while the stroke is still being drawn (its end is not capped yet).
 */
export function penOutline(shape: Pick<PenShape, 'points' | 'pressures' | 'strokeWidth'>, last = true): number[] {
	const input: number[][] = [];
	for (let i = 0; i + 1 < shape.points.length; i += 2) {
		const pressure = shape.pressures?.[i / 2];
		input.push(pressure === undefined ? [shape.points[i]!, shape.points[i + 1]!] : [shape.points[i]!, shape.points[i + 1]!, pressure]);
	}
	const outline = getStroke(input, penStrokeOptions(shape, last));
	return outline.flat();
}

export interface StrokeSample {
	points: number[];
	pressures?: number[];
}

/**
 * Drops points that lie within `tolerance` of the line through their neighbours
 * (Ramer–Douglas–Peucker), keeping the first and last. Pressures follow their points.
 * It typically removes most points of a slow stroke.
 */
export function simplifyStroke(stroke: StrokeSample, tolerance = PEN_SIMPLIFY_TOLERANCE): StrokeSample {
	const count = Math.floor(stroke.points.length / 2);
	if (count <= 2 || tolerance <= 0) return stroke;
	return pick(stroke, keptPoints(stroke.points, 0, count - 1, tolerance));
}

/**
 * Simplifies a stroke while it is drawn, for live writes. Points that a simplification kept before
 * the last kept one are settled: later points cannot change them. So each call simplifies only the
 * tail since the last settled point, and a long stroke costs its new points, not all of them again.
 */
export class GrowingStrokeSimplifier {
	/** Indices (into the raw stroke) of settled points; the last one starts the tail. */
	#settled: number[] = [0];

	constructor(readonly tolerance = PEN_SIMPLIFY_TOLERANCE) {}

	/** `stroke` is the raw stroke so far; it only ever grows between calls. */
	update(stroke: StrokeSample): StrokeSample {
		const last = Math.floor(stroke.points.length / 2) - 1;
		const from = this.#settled[this.#settled.length - 1]!;
		if (last <= from) return pick(stroke, this.#settled.slice(0, last + 1));
		const tail = keptPoints(stroke.points, from, last, this.tolerance);
		// Everything the tail kept before its end is final; the end moves on with the pen.
		for (let i = 1; i < tail.length - 1; i++) this.#settled.push(tail[i]!);
		return pick(stroke, [...this.#settled, last]);
	}
}

/** Indices of the points RDP keeps between `first` and `last` (both kept), in order. */
function keptPoints(points: readonly number[], first: number, last: number, tolerance: number): number[] {
	const x = (i: number) => points[2 * i]!;
	const y = (i: number) => points[2 * i + 1]!;
	const keep = new Uint8Array(last - first + 1);
	keep[0] = 1;
	keep[last - first] = 1;
	// An explicit stack rather than recursion: long strokes must not overflow the call stack.
	const stack: Array<[number, number]> = last - first > 1 ? [[first, last]] : [];
	while (stack.length > 0) {
		const [a, b] = stack.pop()!;
		let farthest = -1;
		let farthestDistance = tolerance;
		for (let i = a + 1; i < b; i++) {
			const d = segmentDistance(x(i), y(i), x(a), y(a), x(b), y(b));
			if (d > farthestDistance) {
				farthest = i;
				farthestDistance = d;
			}
		}
		if (farthest >= 0) {
			keep[farthest - first] = 1;
			stack.push([a, farthest], [farthest, b]);
		}
	}
	const kept: number[] = [];
	for (let i = 0; i < keep.length; i++) if (keep[i]) kept.push(first + i);
	return kept;
}

/** The stroke's points (and pressures) at `indices`. */
function pick(stroke: StrokeSample, indices: readonly number[]): StrokeSample {
	const points: number[] = [];
	const pressures: number[] = [];
	for (const i of indices) {
		points.push(stroke.points[2 * i]!, stroke.points[2 * i + 1]!);
		if (stroke.pressures) pressures.push(stroke.pressures[i] ?? 0.5);
	}
	return stroke.pressures ? { points, pressures } : { points };
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
	const dx = bx - ax;
	const dy = by - ay;
	const lengthSquared = dx * dx + dy * dy;
	const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
	return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
