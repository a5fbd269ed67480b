/** Image renderer: the picture in its box, over a placeholder of the same size until (or unless) its bytes have loaded. */
import Konva from '$lib/canvas/konva';
import type { ImageShape } from '$lib/board';
import { applyBase, createGroup } from '$lib/canvas/shapes/common';

function placeholderAttrs(shape: ImageShape) {
	return { width: shape.w, height: shape.h, fill: '#f1f3f5', stroke: '#adb5bd', strokeWidth: 1, dash: [6, 4], strokeScaleEnabled: false };
}

export const imageRenderer = {
	create(shape: ImageShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Rect(placeholderAttrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: ImageShape): void {
		applyBase(group, shape);
		(group.getChildren()[0] as Konva.Rect).setAttrs(placeholderAttrs(shape));
	}
};
