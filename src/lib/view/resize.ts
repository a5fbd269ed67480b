/** Turning a Transformer result (new origin, rotation and scale of a shape's node) into a model patch. */
import type { Shape, ShapePatch } from '$lib/board';

/** Smallest box side a resize may produce, in board units, so a shape never collapses to nothing. */
export const MIN_RESIZED_SIZE = 1;

export interface NodeTransform {
	x: number;
	y: number;
	rotation: number;
	scaleX: number;
	scaleY: number;
}

function scalePoints(points: readonly number[], sx: number, sy: number): number[] {
	return points.map((v, i) => (i % 2 === 0 ? v * sx : v * sy));
}

/**
 * The patch that bakes a node's scale into the shape's own fields (sizes or points), so
 * stored shapes never carry a scale and strokes keep their width when resized.
 */
export function patchFromTransform(shape: Shape, t: NodeTransform): ShapePatch {
	// A flat line has a zero-height box: Konva can report a non-finite scale for it.
	const sx = Number.isFinite(t.scaleX) && t.scaleX !== 0 ? Math.abs(t.scaleX) : 1;
	const sy = Number.isFinite(t.scaleY) && t.scaleY !== 0 ? Math.abs(t.scaleY) : 1;
	const base: ShapePatch = { x: t.x, y: t.y, rotation: t.rotation };
	switch (shape.type) {
		case 'rect':
		case 'ellipse':
		case 'sticky':
		case 'image':
			return { ...base, w: Math.max(MIN_RESIZED_SIZE, shape.w * sx), h: Math.max(MIN_RESIZED_SIZE, shape.h * sy) };
		case 'text':
			// Text reflows to the new width; its height follows from the wrapping, measured by the editor.
			return { ...base, w: Math.max(MIN_RESIZED_SIZE, shape.w * sx) };
		case 'line':
		case 'arrow':
		case 'pen':
			return { ...base, points: scalePoints(shape.points, sx, sy) };
	}
}

/** The shape with a patch applied, for drawing a draft before the doc has it. */
export function applyPatch<S extends Shape>(shape: S, patch: ShapePatch): S {
	return { ...shape, ...patch } as S;
}
