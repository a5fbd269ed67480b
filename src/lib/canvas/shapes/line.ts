/** Line and arrow renderers: a polyline through the shape's points, with an arrowhead for arrows. */
import Konva from '$lib/canvas/konva';
import type { ArrowShape, LineShape } from '$lib/board';
import { arrowHeadSize } from '$lib/shared/model/geometry';
import { applyBase, createGroup, firstChild } from '$lib/canvas/shapes/common';

function lineAttrs(shape: LineShape | ArrowShape) {
	return {
		points: shape.points,
		stroke: shape.stroke,
		strokeWidth: Math.max(shape.strokeWidth, 0.5),
		lineCap: 'round' as const,
		lineJoin: 'round' as const,
		strokeScaleEnabled: false
	};
}

function arrowAttrs(shape: ArrowShape) {
	// Same head size as the model's geometry, so clicks on the head hit the arrow.
	const head = arrowHeadSize(shape.strokeWidth);
	return { ...lineAttrs(shape), fill: shape.stroke, pointerLength: head.length, pointerWidth: head.width };
}

export const lineRenderer = {
	create(shape: LineShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Line(lineAttrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: LineShape): void {
		applyBase(group, shape);
		firstChild<Konva.Line>(group).setAttrs(lineAttrs(shape));
	}
};

export const arrowRenderer = {
	create(shape: ArrowShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Arrow(arrowAttrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: ArrowShape): void {
		applyBase(group, shape);
		firstChild<Konva.Arrow>(group).setAttrs(arrowAttrs(shape));
	}
};
