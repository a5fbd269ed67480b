/**
 * Outlines of selected and hovered shapes: each shape's rotated geometry box as a closed polygon, and which
 * of them a view shows. Pure: the canvas draws what these return as one path (selection-outlines.ts).
 */
import { boxesOverlap, boxOfPoints, localBox, toWorld, type Box, type Point, type Shape } from '$lib/board';

/** Selected shapes in view beyond this many are not outlined one by one: the group's box alone says what is selected. */
export const MAX_OUTLINES_DRAWN = 2_000;

export interface Outline {
	/** The shape whose box this is (its position and rotation turn the box). */
	shape: Shape;
	/** The shape's unrotated local box. */
	box: Box;
	/** The rotated box's axis-aligned bounds in board units, to test against the view. */
	bounds: Box;
}

/** A shape's outline: its unrotated local box, turned with the shape about its origin. */
export function outlineOf(shape: Shape): Outline {
	const box = localBox(shape);
	return { shape, box, bounds: boxOfPoints(outlineCorners({ shape, box }))! };
}

/**
 * The four corners of an outline in board units, clockwise from the local origin's corner, `gap` units
 * outside the box (a few screen pixels, so the outline does not sit on the shape's own stroke).
 */
export function outlineCorners({ shape, box }: Pick<Outline, 'shape' | 'box'>, gap = 0): Point[] {
	const [left, top, right, bottom] = [box.x - gap, box.y - gap, box.x + box.w + gap, box.y + box.h + gap];
	return [
		{ x: left, y: top },
		{ x: right, y: top },
		{ x: right, y: bottom },
		{ x: left, y: bottom }
	].map((p) => toWorld(shape, p));
}

/**
 * Outlines of the shapes that meet `view`, at most `max` of them (none when more would be needed: a
 * partial set would look like a partial selection). Shapes are immutable values, so `cache` keeps each
 * one's outline for as long as the shape object lives: a camera move costs a bounds test per shape.
 */
export function outlinesInView(
	shapes: Iterable<Shape>,
	view: Box | null,
	cache: WeakMap<Shape, Outline>,
	max = MAX_OUTLINES_DRAWN
): Outline[] {
	const out: Outline[] = [];
	for (const shape of shapes) {
		let outline = cache.get(shape);
		if (!outline) cache.set(shape, (outline = outlineOf(shape)));
		if (view && !boxesOverlap(outline.bounds, view)) continue;
		if (out.length === max) return [];
		out.push(outline);
	}
	return out;
}
