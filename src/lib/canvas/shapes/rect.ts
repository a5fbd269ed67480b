/** Rectangle renderer: a box with optional fill and outline. */
import Konva from '$lib/canvas/konva';
import type { RectShape } from '$lib/board';
import { applyBase, createGroup, fillAttrs, firstChild, strokeAttrs } from '$lib/canvas/shapes/common';

function attrs(shape: RectShape) {
	return {
		width: shape.w,
		height: shape.h,
		cornerRadius: Math.min(8, shape.w / 4, shape.h / 4),
		...fillAttrs(shape.fill),
		...strokeAttrs(shape.stroke, shape.strokeWidth),
		strokeScaleEnabled: false
	};
}

export const rectRenderer = {
	create(shape: RectShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Rect(attrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: RectShape): void {
		applyBase(group, shape);
		firstChild<Konva.Rect>(group).setAttrs(attrs(shape));
	}
};
