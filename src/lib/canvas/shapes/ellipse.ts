/** Ellipse renderer: inscribed in the shape's box, so the origin stays the box's top-left corner. */
import Konva from '$lib/canvas/konva';
import type { EllipseShape } from '$lib/board';
import { applyBase, createGroup, fillAttrs, firstChild, strokeAttrs } from '$lib/canvas/shapes/common';

function attrs(shape: EllipseShape) {
	return {
		x: shape.w / 2,
		y: shape.h / 2,
		radiusX: shape.w / 2,
		radiusY: shape.h / 2,
		...fillAttrs(shape.fill),
		...strokeAttrs(shape.stroke, shape.strokeWidth),
		strokeScaleEnabled: false
	};
}

export const ellipseRenderer = {
	create(shape: EllipseShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Ellipse(attrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: EllipseShape): void {
		applyBase(group, shape);
		firstChild<Konva.Ellipse>(group).setAttrs(attrs(shape));
	}
};
