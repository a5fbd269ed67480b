/**
 * Export through the canvas's own renderers: a PNG drawn by the same Konva nodes the board shows
 * (an offscreen stage, cropped to the bounds, at the asked pixel ratio), and the text layout the SVG
 * export borrows so its `<text>` lines wrap exactly as the canvas wraps them.
 */
import Konva from '$lib/canvas/konva';
import { compareOrder, type Box, type Shape } from '$lib/board';
import { createNode } from '$lib/canvas/shapes';
import type { ImageState, RenderContext } from '$lib/canvas/images';
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

/** The export's images for the renderers: decoded ones ready, any other drawn as missing. */
function renderContext(images: ReadonlyMap<string, CanvasImageSource> | undefined): RenderContext {
	return {
		images: {
			image: (hash): ImageState => {
				const image = images?.get(hash);
				return image ? { state: 'ready', image } : { state: 'missing' };
			},
			onChange: () => () => {}
		}
	};
}

/**
 * The most one exported picture may hold: browsers refuse (or never finish) canvases much past this,
 * and a picture this big is already hundreds of megabytes in memory while it is encoded.
 */
export const MAX_EXPORT_PIXELS = 64 * 1024 * 1024;
/** Browsers cap a canvas side near here. */
export const MAX_EXPORT_SIDE = 16_384;

/** The pixel ratio to export `bounds` at: `wanted`, or less when the picture would pass the limits above. */
export function fitPixelRatio(bounds: Pick<Box, 'w' | 'h'>, wanted: number): number {
	const w = Math.max(bounds.w, 1);
	const h = Math.max(bounds.h, 1);
	return Math.min(wanted, Math.sqrt(MAX_EXPORT_PIXELS / (w * h)), MAX_EXPORT_SIDE / w, MAX_EXPORT_SIDE / h);
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
		const ctx = renderContext(options.images);
		for (const shape of [...shapes].sort(compareOrder)) content.add(createNode(shape, ctx));
		const blob = await stage.toBlob({ pixelRatio, mimeType: 'image/png' });
		if (!(blob instanceof Blob)) throw new Error('The browser could not make a PNG.');
		return blob;
	} finally {
		stage.destroy();
	}
}
