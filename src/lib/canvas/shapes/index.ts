/** One renderer per shape kind, behind a single create/update pair keyed by the shape's type. */
import type Konva from '$lib/canvas/konva';
import type { Shape, ShapeOf, ShapeType } from '$lib/board';
import { rectRenderer } from '$lib/canvas/shapes/rect';
import { ellipseRenderer } from '$lib/canvas/shapes/ellipse';
import { imageRenderer } from '$lib/canvas/shapes/image';
import { arrowRenderer, lineRenderer } from '$lib/canvas/shapes/line';
import { penRenderer } from '$lib/canvas/shapes/pen';
import { stickyRenderer, textRenderer } from '$lib/canvas/shapes/text';
import { NO_IMAGES, type RenderContext } from '$lib/canvas/images';

interface ShapeRenderer<T extends ShapeType> {
	create(shape: ShapeOf<T>, ctx: RenderContext): Konva.Group;
	update(group: Konva.Group, shape: ShapeOf<T>, drawing: boolean | undefined, ctx: RenderContext): void;
}

const RENDERERS: { [T in ShapeType]: ShapeRenderer<T> } = {
	rect: rectRenderer,
	ellipse: ellipseRenderer,
	line: lineRenderer,
	arrow: arrowRenderer,
	pen: penRenderer,
	text: textRenderer,
	sticky: stickyRenderer,
	image: imageRenderer
};

function rendererFor(shape: Shape): ShapeRenderer<ShapeType> {
	return RENDERERS[shape.type] as ShapeRenderer<ShapeType>;
}

const NO_CONTEXT: RenderContext = { images: NO_IMAGES };

export function createNode(shape: Shape, ctx: RenderContext = NO_CONTEXT): Konva.Group {
	const group = rendererFor(shape).create(shape, ctx);
	// With opacity below 1 and both fill and stroke, Konva would draw each shape through an offscreen buffer ("perfect draw"): too slow for thousands of shapes.
	for (const child of group.getChildren()) (child as Konva.Shape).perfectDrawEnabled(false);
	// Remember the kind: a peer cannot change a shape's type, but a delete + re-add under the same id could.
	group.setAttr('shapeType', shape.type);
	return group;
}

/** Brings a node up to date; returns false if the node was built for another kind and must be replaced. */
export function updateNode(group: Konva.Group, shape: Shape, drawing = false, ctx: RenderContext = NO_CONTEXT): boolean {
	if (group.getAttr('shapeType') !== shape.type) return false;
	rendererFor(shape).update(group, shape, drawing, ctx);
	return true;
}

export { measureText } from '$lib/canvas/shapes/text';
