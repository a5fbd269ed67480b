/**
 * Outlines of selected and hovered shapes: each shape's rotated geometry box as a closed polygon, and which
 * of them a view shows. Pure: the canvas draws what these return as one path (selection-outlines.ts).
 */
import { boxesOverlap, boxOfPoints, localBox, toWorld, type Box, type Point, type Shape } from '$lib/board';

/** Selected shapes in view beyond this many are not outlined one by one: the group's box alone says what is selected. */
export const MAX_OUTLINES_DRAWN = 2_000;

export interface Outline {
	/** The four corners of the shape's rotated local box, in board units, clockwise from its local origin. */
	corners: Point[];
	/** Their axis-aligned bounds, to test against the view. */
	bounds: Box;
}

/** A shape's outline: the corners of its unrotated local box, turned with the shape about its origin. */
export function outlineOf(shape: Shape): Outline {
	const box = localBox(shape);
	const corners = [
		{ x: box.x, y: box.y },
		{ x: box.x + box.w, y: box.y },
		{ x: box.x + box.w, y: box.y + box.h },
		{ x: box.x, y: box.y + box.h }
	].map((p) => toWorld(shape, p));
	return { corners, bounds: boxOfPoints(corners)! };
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
