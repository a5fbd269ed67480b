/**
 * Image renderer: the picture in its box, over a placeholder of the same size until its bytes have
 * loaded; a missing one stays a placeholder that says so.
 */
import Konva from '$lib/canvas/konva';
import type { ImageShape } from '$lib/board';
import { applyBase, createGroup } from '$lib/canvas/shapes/common';
import type { ImageState, RenderContext } from '$lib/canvas/images';

/** The placeholder's label size in board units: readable at zoom 1, shrunk to fit a small box. */
const LABEL_FONT_SIZE = 14;
const LABEL_MIN_FONT_SIZE = 6;
const LABEL_PADDING = 8;
export const MISSING_IMAGE_LABEL = 'Image not available';
export const LOADING_IMAGE_LABEL = 'Loading image…';

function placeholderAttrs(shape: ImageShape, state: ImageState) {
	const ready = state.state === 'ready';
	return {
		width: shape.w,
		height: shape.h,
		visible: !ready,
		fill: state.state === 'missing' ? '#f8f0f0' : '#f1f3f5',
		stroke: state.state === 'missing' ? '#c9a3a3' : '#adb5bd',
		strokeWidth: 1,
		dash: [6, 4],
		strokeScaleEnabled: false
	};
}

function labelAttrs(shape: ImageShape, state: ImageState) {
	const text = state.state === 'missing' ? MISSING_IMAGE_LABEL : LOADING_IMAGE_LABEL;
	const room = shape.w - 2 * LABEL_PADDING;
	// ~0.55 em a character in the UI font: shrink the label until it fits on one line.
	const fontSize = Math.min(LABEL_FONT_SIZE, room / (text.length * 0.55), (shape.h - 2 * LABEL_PADDING) * 0.8);
	return {
		text,
		x: LABEL_PADDING,
		y: 0,
		width: Math.max(0, room),
		height: shape.h,
		align: 'center',
		verticalAlign: 'middle',
		fontSize: Math.max(LABEL_MIN_FONT_SIZE, fontSize),
		fontFamily: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
		fill: state.state === 'missing' ? '#8a4b4b' : '#868e96',
		wrap: 'none',
		ellipsis: true,
		visible: state.state !== 'ready' && fontSize >= LABEL_MIN_FONT_SIZE
	};
}

function pictureAttrs(shape: ImageShape, state: ImageState) {
	return {
		width: shape.w,
		height: shape.h,
		image: state.state === 'ready' ? state.image : undefined,
		visible: state.state === 'ready'
	};
}

function draw(group: Konva.Group, shape: ImageShape, ctx: RenderContext): void {
	const state = ctx.images.image(shape.hash);
	const [placeholder, picture, label] = group.getChildren() as [Konva.Rect, Konva.Image, Konva.Text];
	placeholder.setAttrs(placeholderAttrs(shape, state));
	picture.setAttrs(pictureAttrs(shape, state));
	label.setAttrs(labelAttrs(shape, state));
	group.setAttr('imageState', state.state);
}

export const imageRenderer = {
	create(shape: ImageShape, ctx: RenderContext): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Rect(), new Konva.Image({ image: undefined }), new Konva.Text());
		draw(group, shape, ctx);
		return group;
	},
	update(group: Konva.Group, shape: ImageShape, _drawing: boolean | undefined, ctx: RenderContext): void {
		applyBase(group, shape);
		draw(group, shape, ctx);
	}
};
