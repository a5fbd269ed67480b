/** Pen renderer: the perfect-freehand outline of the stroke, filled with the ink colour. */
import Konva from '$lib/canvas/konva';
import type { PenShape } from '$lib/board';
import { penOutline } from '$lib/board/stroke';
import { applyBase, createGroup, firstChild } from '$lib/canvas/shapes/common';

function attrs(shape: PenShape, last: boolean) {
	return { points: penOutline(shape, last), closed: true, fill: shape.stroke, strokeEnabled: false };
}

export const penRenderer = {
	create(shape: PenShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Line(attrs(shape, true)));
		return group;
	},
	/** `drawing` leaves the stroke's end uncapped while the pointer is still down. */
	update(group: Konva.Group, shape: PenShape, drawing = false): void {
		applyBase(group, shape);
		firstChild<Konva.Line>(group).setAttrs(attrs(shape, !drawing));
	}
};
