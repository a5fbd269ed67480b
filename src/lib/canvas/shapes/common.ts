/** Helpers every shape renderer shares: the positioned group and style mapping from the model to Konva. */
import Konva from '$lib/canvas/konva';
import { TRANSPARENT, type Shape } from '$lib/board';

/** Each shape is a Group at its origin (x, y, rotation); children draw in shape-local coordinates. */
export function createGroup(shape: Shape): Konva.Group {
	// Shapes do not listen: hit-testing uses the model's geometry, which keeps Konva's hit canvas empty and cheap.
	const group = new Konva.Group({ id: shape.id, name: 'shape', listening: false });
	applyBase(group, shape);
	return group;
}

export function applyBase(group: Konva.Group, shape: Shape): void {
	group.setAttrs({
		x: shape.x,
		y: shape.y,
		rotation: shape.rotation,
		opacity: shape.opacity,
		// A transform may have left a scale behind; the model's sizes already include it.
		scaleX: 1,
		scaleY: 1
	});
}

/** Konva draws no fill for `fillEnabled: false`; 'transparent' is the model's word for that. */
export function fillAttrs(fill: string): { fill?: string; fillEnabled: boolean } {
	return fill === TRANSPARENT ? { fillEnabled: false } : { fill, fillEnabled: true };
}

export function strokeAttrs(stroke: string, width: number): { stroke: string; strokeWidth: number; strokeEnabled: boolean } {
	return { stroke, strokeWidth: width, strokeEnabled: width > 0 };
}

export function firstChild<T extends Konva.Node>(group: Konva.Group, index = 0): T {
	return group.children[index] as unknown as T;
}
