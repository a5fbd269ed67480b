/**
 * Export through the canvas's own renderers: a PNG drawn by the same Konva nodes the board shows
 * (an offscreen stage, cropped to the bounds, at the asked pixel ratio), and the text layout the SVG
 * export borrows so its `<text>` lines wrap exactly as the canvas wraps them.
 */
import Konva from '$lib/canvas/konva';
import { compareOrder, type Box, type Shape } from '$lib/board';
import { createNode } from '$lib/canvas/shapes';
import { FONT_FAMILY, LINE_HEIGHT } from '$lib/view/text-metrics';
import type { TextBox, TextLayout } from '$lib/view/export-svg';

/** Konva.Text's wrapping of `box` and its baseline, for the SVG builder (`LayoutText`). */
export function konvaTextLayout(box: TextBox): TextLayout {
	const probe = new Konva.Text({
		text: box.text,
		fontSize: box.fontSize,
		fontFamily: FONT_FAMILY,
		lineHeight: LINE_HEIGHT,
		wrap: 'word',
		width: box.width,
		...(box.height === null ? {} : { height: box.height, ellipsis: true })
	});
	const lines = probe.textArr.map((line) => ({ text: line.text, width: line.width }));
	// Konva's alphabetic baseline: half the font's ascent minus descent below the line's middle.
	const m = probe.measureSize('M');
	const ascent = m.fontBoundingBoxAscent ?? m.actualBoundingBoxAscent;
	const descent = m.fontBoundingBoxDescent ?? m.actualBoundingBoxDescent;
	probe.destroy();
	return { lines, baseline: (ascent - descent) / 2 + (box.fontSize * LINE_HEIGHT) / 2 };
}

export interface PngExportOptions {
	bounds: Box;
	/** Device pixels per board unit: 1 or 2. */
	pixelRatio: number;
	/** A colour to fill the picture with, or null for a transparent one. */
	background: string | null;
	/** Decoded images by hash; an image shape without one keeps its placeholder. */
	images?: ReadonlyMap<string, CanvasImageSource>;
}

/** Puts a decoded picture in an image shape's node, over its placeholder. */
function showImage(group: Konva.Group, shape: Shape, images: ReadonlyMap<string, CanvasImageSource> | undefined): void {
	if (shape.type !== 'image') return;
	const source = images?.get(shape.hash);
	if (!source) return;
	const existing = group.getChildren((node) => node instanceof Konva.Image)[0] as Konva.Image | undefined;
	if (existing) existing.setAttrs({ image: source, width: shape.w, height: shape.h });
	else group.add(new Konva.Image({ image: source, width: shape.w, height: shape.h }));
}

/** The shapes drawn as on the board, cropped to `bounds`, as a PNG. */
export async function renderPng(shapes: readonly Shape[], options: PngExportOptions): Promise<Blob> {
	const { bounds, pixelRatio } = options;
	const container = document.createElement('div');
	const stage = new Konva.Stage({ container, width: bounds.w, height: bounds.h });
	try {
		const layer = new Konva.Layer({ listening: false });
		stage.add(layer);
		if (options.background) layer.add(new Konva.Rect({ width: bounds.w, height: bounds.h, fill: options.background }));
		const content = new Konva.Group({ x: -bounds.x, y: -bounds.y });
		layer.add(content);
		for (const shape of [...shapes].sort(compareOrder)) {
			const node = createNode(shape);
			showImage(node, shape, options.images);
			content.add(node);
		}
		const blob = await stage.toBlob({ pixelRatio, mimeType: 'image/png' });
		if (!(blob instanceof Blob)) throw new Error('The browser could not make a PNG.');
		return blob;
	} finally {
		stage.destroy();
	}
}
