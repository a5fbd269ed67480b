/** Pure geometry of validated shapes: local/world transforms, bounds, hit-tests and marquee tests. No drawing. */

import { TRANSPARENT, type ArrowShape, type LineShape, type Shape } from './schema.ts';

/** How much pressure narrows or widens a pen stroke (perfect-freehand's `thinning`, board/stroke.ts). */
export const PEN_THINNING = 0.5;
/**
 * Largest outline radius as a multiple of strokeWidth: perfect-freehand's radius is
 * size × (0.5 − thinning × (0.5 − pressure)), at most 0.75 × size at full pressure.
 * Geometry pads pen bounds and hits by this much.
 */
export const PEN_MAX_RADIUS_FACTOR = 0.5 + PEN_THINNING * 0.5;

export interface Point {
	x: number;
	y: number;
}

/** An axis-aligned box: top-left corner and size, in board units. */
export interface Box {
	x: number;
	y: number;
	w: number;
	h: number;
}

/** Sides of the polygon an ellipse is approximated by for hit-tests and marquee tests. */
export const ELLIPSE_SEGMENTS = 64;

/** Arrowhead size for a stroke width; the renderer uses the same numbers so hits match pixels. */
export function arrowHeadSize(strokeWidth: number): { length: number; width: number } {
	const length = Math.max(10, strokeWidth * 4);
	return { length, width: length * 0.8 };
}

/** True when the shape has a visible body that grabs clicks (not just its outline). */
export function isFilled(shape: Shape): boolean {
	switch (shape.type) {
		case 'text':
		case 'sticky':
		case 'image':
			return true;
		case 'rect':
		case 'ellipse':
			return shape.fill !== TRANSPARENT;
		default:
			return false;
	}
}

/** World point → the shape's local frame (origin at x, y, unrotated). */
export function toLocal(shape: Shape, point: Point): Point {
	const dx = point.x - shape.x;
	const dy = point.y - shape.y;
	if (shape.rotation === 0) return { x: dx, y: dy };
	const r = (-shape.rotation * Math.PI) / 180;
	const cos = Math.cos(r);
	const sin = Math.sin(r);
	return { x: dx * cos - dy * sin, y: dx * sin + dy * cos };
}

/** Local point → world, rotating clockwise (y points down) about the origin as Konva does. */
export function toWorld(shape: Shape, point: Point): Point {
	if (shape.rotation === 0) return { x: shape.x + point.x, y: shape.y + point.y };
	const r = (shape.rotation * Math.PI) / 180;
	const cos = Math.cos(r);
	const sin = Math.sin(r);
	return { x: shape.x + point.x * cos - point.y * sin, y: shape.y + point.x * sin + point.y * cos };
}

/** Points of a flat [x0, y0, x1, y1, …] array. */
export function pairs(flat: readonly number[]): Point[] {
	const points: Point[] = [];
	for (let i = 0; i + 1 < flat.length; i += 2) points.push({ x: flat[i]!, y: flat[i + 1]! });
	return points;
}

/** The unrotated geometry box in the shape's local frame (before any stroke width). */
export function localBox(shape: Shape): Box {
	if ('w' in shape) return { x: 0, y: 0, w: shape.w, h: shape.h };
	return boxOfPoints(pairs(shape.points)) ?? { x: 0, y: 0, w: 0, h: 0 };
}

/** How far the drawn shape reaches beyond its geometry: half the stroke, or the arrowhead. */
function visualPadding(shape: Shape): number {
	switch (shape.type) {
		case 'text':
		case 'sticky':
		case 'image':
			return 0;
		case 'arrow':
			return Math.max(shape.strokeWidth / 2, arrowHeadSize(shape.strokeWidth).width / 2);
		case 'pen':
			return shape.strokeWidth * PEN_MAX_RADIUS_FACTOR;
		default:
			return shape.strokeWidth / 2;
	}
}

export function isLineLike(shape: Shape | null): shape is LineShape | ArrowShape {
	return shape !== null && (shape.type === 'line' || shape.type === 'arrow');
}

/** World positions of a line's first and last points. */
export function endpoints(shape: LineShape | ArrowShape): { start: Point; end: Point } {
	const n = shape.points.length;
	return {
		start: toWorld(shape, { x: shape.points[0]!, y: shape.points[1]! }),
		end: toWorld(shape, { x: shape.points[n - 2]!, y: shape.points[n - 1]! })
	};
}

/** The shape's outline in world coordinates: closed for boxes and ellipses, open for lines and strokes. */
export function outline(shape: Shape): { points: Point[]; closed: boolean } {
	switch (shape.type) {
		case 'line':
		case 'arrow':
		case 'pen':
			return { points: pairs(shape.points).map((p) => toWorld(shape, p)), closed: false };
		case 'ellipse': {
			const rx = shape.w / 2;
			const ry = shape.h / 2;
			const points: Point[] = [];
			for (let i = 0; i < ELLIPSE_SEGMENTS; i++) {
				const t = (i / ELLIPSE_SEGMENTS) * 2 * Math.PI;
				points.push(toWorld(shape, { x: rx + rx * Math.cos(t), y: ry + ry * Math.sin(t) }));
			}
			return { points, closed: true };
		}
		default: {
			const { w, h } = shape;
			const corners = [
				{ x: 0, y: 0 },
				{ x: w, y: 0 },
				{ x: w, y: h },
				{ x: 0, y: h }
			];
			return { points: corners.map((p) => toWorld(shape, p)), closed: true };
		}
	}
}

/** Axis-aligned world bounds of what is drawn, rotation and stroke width included. */
export function shapeBounds(shape: Shape): Box {
	const pad = visualPadding(shape);
	let box: Box;
	if (shape.type === 'ellipse') {
		// Exact extent of a rotated ellipse, tighter than the bounds of its rotated box.
		const r = (shape.rotation * Math.PI) / 180;
		const rx = shape.w / 2;
		const ry = shape.h / 2;
		const c = toWorld(shape, { x: rx, y: ry });
		const ex = Math.hypot(rx * Math.cos(r), ry * Math.sin(r));
		const ey = Math.hypot(rx * Math.sin(r), ry * Math.cos(r));
		box = { x: c.x - ex, y: c.y - ey, w: 2 * ex, h: 2 * ey };
	} else {
		box = boxOfPoints(outline(shape).points) ?? { x: shape.x, y: shape.y, w: 0, h: 0 };
	}
	return { x: box.x - pad, y: box.y - pad, w: box.w + 2 * pad, h: box.h + 2 * pad };
}

/** Bounds of many shapes (e.g. zoom to fit), or null for none. */
export function boundsOfShapes(shapes: Iterable<Shape>): Box | null {
	let union: Box | null = null;
	for (const shape of shapes) union = union ? unionBoxes(union, shapeBounds(shape)) : shapeBounds(shape);
	return union;
}

export function boxOfPoints(points: readonly Point[]): Box | null {
	const first = points[0];
	if (!first) return null;
	let minX = first.x;
	let minY = first.y;
	let maxX = first.x;
	let maxY = first.y;
	for (const p of points) {
		minX = Math.min(minX, p.x);
		minY = Math.min(minY, p.y);
		maxX = Math.max(maxX, p.x);
		maxY = Math.max(maxY, p.y);
	}
	return { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

export function unionBoxes(a: Box, b: Box): Box {
	const x = Math.min(a.x, b.x);
	const y = Math.min(a.y, b.y);
	return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** A box from two corners in any order, e.g. a marquee drag's start and current point. */
export function boxFromCorners(a: Point, b: Point): Box {
	return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

export function boxContainsPoint(box: Box, p: Point): boolean {
	return p.x >= box.x && p.x <= box.x + box.w && p.y >= box.y && p.y <= box.y + box.h;
}

export function boxContainsBox(outer: Box, inner: Box): boolean {
	return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

export function boxesOverlap(a: Box, b: Box): boolean {
	return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

export function distanceToSegment(p: Point, a: Point, b: Point): number {
	const dx = b.x - a.x;
	const dy = b.y - a.y;
	const lengthSquared = dx * dx + dy * dy;
	const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
	return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function distanceToPolyline(p: Point, points: readonly Point[], closed: boolean): number {
	if (points.length === 1) return Math.hypot(p.x - points[0]!.x, p.y - points[0]!.y);
	let best = Infinity;
	const segments = closed ? points.length : points.length - 1;
	for (let i = 0; i < segments; i++) {
		best = Math.min(best, distanceToSegment(p, points[i]!, points[(i + 1) % points.length]!));
	}
	return best;
}

/** Even-odd point-in-polygon test. */
function polygonContains(polygon: readonly Point[], p: Point): boolean {
	let inside = false;
	for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
		const a = polygon[i]!;
		const b = polygon[j]!;
		if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
	}
	return inside;
}

/**
 * Whether a world point grabs the shape: its outline within `tolerance` (plus half the
 * stroke), or anywhere in its body when filled; text and sticky notes by their whole box.
 * Pass a tolerance in board units (screen pixels / zoom).
 */
export function hitTest(shape: Shape, point: Point, tolerance = 0): boolean {
	const bounds = shapeBounds(shape);
	const reach = tolerance + visualPadding(shape);
	const grown = { x: bounds.x - tolerance, y: bounds.y - tolerance, w: bounds.w + 2 * tolerance, h: bounds.h + 2 * tolerance };
	if (!boxContainsPoint(grown, point)) return false;
	const { points, closed } = outline(shape);
	if (closed && isFilled(shape) && polygonContains(points, point)) return true;
	return distanceToPolyline(point, points, closed) <= reach;
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
	const cross = (o: Point, p: Point, q: Point) => (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x);
	const d1 = cross(c, d, a);
	const d2 = cross(c, d, b);
	const d3 = cross(a, b, c);
	const d4 = cross(a, b, d);
	if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
	const onSegment = (p: Point, q: Point, r: Point) =>
		Math.min(p.x, q.x) <= r.x && r.x <= Math.max(p.x, q.x) && Math.min(p.y, q.y) <= r.y && r.y <= Math.max(p.y, q.y);
	return (
		(d1 === 0 && onSegment(c, d, a)) ||
		(d2 === 0 && onSegment(c, d, b)) ||
		(d3 === 0 && onSegment(a, b, c)) ||
		(d4 === 0 && onSegment(a, b, d))
	);
}

/**
 * Whether a marquee touches the shape's drawn geometry: a vertex inside it, an edge
 * crossing it, or (for filled shapes) the marquee lying inside the body.
 */
export function intersectsBox(shape: Shape, box: Box): boolean {
	if (!boxesOverlap(shapeBounds(shape), box)) return false;
	const { points, closed } = outline(shape);
	if (points.some((p) => boxContainsPoint(box, p))) return true;
	const corners = [
		{ x: box.x, y: box.y },
		{ x: box.x + box.w, y: box.y },
		{ x: box.x + box.w, y: box.y + box.h },
		{ x: box.x, y: box.y + box.h }
	];
	const segments = closed ? points.length : points.length - 1;
	for (let i = 0; i < segments; i++) {
		const a = points[i]!;
		const b = points[(i + 1) % points.length]!;
		for (let k = 0; k < 4; k++) if (segmentsCross(a, b, corners[k]!, corners[(k + 1) % 4]!)) return true;
	}
	return closed && isFilled(shape) && polygonContains(points, corners[0]!);
}

/** Whether the marquee fully contains the shape as drawn. */
export function containedInBox(shape: Shape, box: Box): boolean {
	return boxContainsBox(box, shapeBounds(shape));
}

/** Shapes selected by a marquee: 'contain' needs the whole shape inside, 'intersect' any touch. */
export function shapesInBox<S extends Shape>(shapes: Iterable<S>, box: Box, mode: 'contain' | 'intersect' = 'intersect'): S[] {
	const test = mode === 'contain' ? containedInBox : intersectsBox;
	return [...shapes].filter((shape) => test(shape, box));
}

/** The topmost shape under a point, given shapes bottom to top (as listShapes returns them). */
export function topShapeAt<S extends Shape>(shapes: readonly S[], point: Point, tolerance = 0): S | null {
	for (let i = shapes.length - 1; i >= 0; i--) if (hitTest(shapes[i]!, point, tolerance)) return shapes[i]!;
	return null;
}
