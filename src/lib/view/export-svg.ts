/**
 * The board (or some of its shapes) as a self-contained SVG document: each kind drawn as its Konva
 * renderer in `canvas/shapes/` draws it (corner radius, arrowheads, pen outlines, sticky paper and
 * shadow), text as `<text>` wrapped by the same layout as the canvas, images embedded as data: URLs.
 * Framework-free: no DOM, no Konva; the caller passes the text layout and the images' bytes.
 */
import { arrowHeadSize, boundsOfShapes, compareOrder, penOutline, TRANSPARENT, type Box, type Shape } from '$lib/board';
import { FONT_FAMILY, LINE_HEIGHT, STICKY_PADDING } from '$lib/view/text-metrics';

/** Room around the shapes in an export (board units), enough for a sticky note's shadow. */
export const EXPORT_PADDING = 16;
/** The board's background colour (CanvasHost's `--bw-canvas`): an export "with background" is filled with it. */
export const BOARD_BACKGROUND = '#fbfbfd';
/** The image placeholder's look (canvas/shapes/image.ts) for an image whose bytes are not at hand. */
export const IMAGE_PLACEHOLDER = { fill: '#f1f3f5', stroke: '#adb5bd', dash: [6, 4] } as const;

/** What a text box asks of the layout: the words, the box and how they sit in it. */
export interface TextBox {
	text: string;
	fontSize: number;
	/** Wrapping width. */
	width: number;
	/** A fixed height (sticky notes: lines past it are cut with an ellipsis), or null to grow. */
	height: number | null;
}

/** The wrapped lines with their widths, and where the first line's alphabetic baseline sits below its top. */
export interface TextLayout {
	lines: { text: string; width: number }[];
	baseline: number;
}

export type LayoutText = (box: TextBox) => TextLayout;

export interface SvgExportOptions {
	/** The area exported, board units; defaults to the shapes' bounds plus EXPORT_PADDING. */
	bounds?: Box;
	/** A colour to fill the picture with, or null for a transparent one. */
	background: string | null;
	/** How text wraps: in the browser, the canvas's own layout (`canvas/export.ts`), so both match. */
	layoutText: LayoutText;
	/** Data URLs of the images by hash; an image without one is drawn as its placeholder. */
	images?: ReadonlyMap<string, string>;
}

/** The exported area for these shapes: their drawn bounds plus padding, on whole units so pixels line up. */
export function exportBounds(shapes: readonly Shape[], padding = EXPORT_PADDING): Box | null {
	const b = boundsOfShapes(shapes);
	if (!b) return null;
	const x = Math.floor(b.x - padding);
	const y = Math.floor(b.y - padding);
	return { x, y, w: Math.ceil(b.x + b.w + padding) - x, h: Math.ceil(b.y + b.h + padding) - y };
}

/** Escapes text for an XML attribute or text node. */
export function xml(value: string | number): string {
	return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function num(n: number): string {
	return String(Math.round(n * 1000) / 1000);
}

function attrs(values: Record<string, string | number | undefined>): string {
	return Object.entries(values)
		.filter((entry): entry is [string, string | number] => entry[1] !== undefined)
		.map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : xml(v)}"`)
		.join('');
}

/**
 * Paint attributes as Konva applies them: fill and stroke each drawn with the shape's opacity
 * (not the element composited once), so a half-transparent outline shows over its fill as on the canvas.
 */
function paint(fill: string | null, stroke: string | null, strokeWidth: number, opacity: number): Record<string, string | number | undefined> {
	const hasFill = fill !== null && fill !== TRANSPARENT;
	const hasStroke = stroke !== null && strokeWidth > 0;
	return {
		fill: hasFill ? fill : 'none',
		'fill-opacity': hasFill && opacity < 1 ? opacity : undefined,
		stroke: hasStroke ? stroke : undefined,
		'stroke-width': hasStroke ? strokeWidth : undefined,
		'stroke-opacity': hasStroke && opacity < 1 ? opacity : undefined
	};
}

/** The angle of a polyline's last segment (walking back past repeated points), as Konva's Arrow aims its head. */
function endAngle(points: readonly number[]): number {
	const n = points.length;
	const ex = points[n - 2]!;
	const ey = points[n - 1]!;
	let dx = 0;
	let dy = 0;
	for (let i = n - 2; !dx && !dy && i >= 0; i -= 2) {
		dx = ex - points[i]!;
		dy = ey - points[i + 1]!;
	}
	return Math.atan2(dy, dx);
}

function polyline(points: readonly number[]): string {
	const out: string[] = [];
	for (let i = 0; i + 1 < points.length; i += 2) out.push(`${num(points[i]!)},${num(points[i + 1]!)}`);
	return out.join(' ');
}

function textElement(box: TextBox, layout: TextLayout, x0: number, top: number, align: 'left' | 'center', fill: string, opacity: number): string {
	if (!box.text || layout.lines.length === 0) return '';
	const lineHeight = box.fontSize * LINE_HEIGHT;
	const spans = layout.lines.map((line, i) => {
		const x = align === 'center' ? x0 + (box.width - line.width) / 2 : x0;
		const y = top + layout.baseline + i * lineHeight;
		return `<tspan${attrs({ x, y })}>${xml(line.text)}</tspan>`;
	});
	const a = attrs({
		'font-family': FONT_FAMILY,
		'font-size': box.fontSize,
		fill,
		'fill-opacity': opacity < 1 ? opacity : undefined
	});
	return `<text${a} xml:space="preserve">${spans.join('')}</text>`;
}

function shapeBody(shape: Shape, options: SvgExportOptions): string {
	const o = shape.opacity;
	switch (shape.type) {
		case 'rect': {
			const r = Math.min(8, shape.w / 4, shape.h / 4);
			return `<rect${attrs({ width: shape.w, height: shape.h, rx: r > 0 ? r : undefined, ...paint(shape.fill, shape.stroke, shape.strokeWidth, o) })}/>`;
		}
		case 'ellipse':
			return `<ellipse${attrs({ cx: shape.w / 2, cy: shape.h / 2, rx: shape.w / 2, ry: shape.h / 2, ...paint(shape.fill, shape.stroke, shape.strokeWidth, o) })}/>`;
		case 'line':
		case 'arrow': {
			const width = Math.max(shape.strokeWidth, 0.5);
			const round = { 'stroke-linecap': 'round', 'stroke-linejoin': 'round' };
			const line = `<polyline${attrs({ points: polyline(shape.points), ...paint(null, shape.stroke, width, o), ...round })}/>`;
			if (shape.type === 'line' || shape.points.length < 4) return line;
			const head = arrowHeadSize(shape.strokeWidth);
			const n = shape.points.length;
			const deg = (endAngle(shape.points) * 180) / Math.PI;
			const tip = `translate(${num(shape.points[n - 2]!)} ${num(shape.points[n - 1]!)}) rotate(${num(deg)})`;
			const d = `M0 0L${num(-head.length)} ${num(head.width / 2)}L${num(-head.length)} ${num(-head.width / 2)}Z`;
			return line + `<path${attrs({ d, transform: tip, ...paint(shape.stroke, shape.stroke, width, o), ...round })}/>`;
		}
		case 'pen': {
			const pts = penOutline(shape, true);
			if (pts.length < 4) return '';
			const d = `M${polyline(pts).replace(/ /g, 'L')}Z`;
			return `<path${attrs({ d, ...paint(shape.stroke, null, 0, o) })}/>`;
		}
		case 'text': {
			const box = { text: shape.text, fontSize: shape.fontSize, width: Math.max(1, shape.w), height: null };
			const bg = shape.fill !== TRANSPARENT ? `<rect${attrs({ width: shape.w, height: shape.h, ...paint(shape.fill, null, 0, o) })}/>` : '';
			return bg + textElement(box, options.layoutText(box), 0, 0, 'left', shape.stroke, o);
		}
		case 'sticky': {
			const paper = `<rect${attrs({ width: shape.w, height: shape.h, rx: 6, filter: 'url(#bw-shadow)', ...paint(shape.noteColor, shape.stroke, shape.strokeWidth, o) })}/>`;
			const box = {
				text: shape.text,
				fontSize: shape.fontSize,
				width: Math.max(1, shape.w - STICKY_PADDING * 2),
				height: Math.max(1, shape.h - STICKY_PADDING * 2)
			};
			const layout = options.layoutText(box);
			// Konva's verticalAlign 'middle': the lines centred in the box.
			const top = STICKY_PADDING + (box.height - layout.lines.length * shape.fontSize * LINE_HEIGHT) / 2;
			return paper + textElement(box, layout, STICKY_PADDING, top, 'center', shape.stroke, o);
		}
		case 'image': {
			const href = options.images?.get(shape.hash);
			if (href) {
				return `<image${attrs({ width: shape.w, height: shape.h, href, preserveAspectRatio: 'none', opacity: o < 1 ? o : undefined })}/>`;
			}
			const { fill, stroke, dash } = IMAGE_PLACEHOLDER;
			return `<rect${attrs({ width: shape.w, height: shape.h, ...paint(fill, stroke, 1, o), 'stroke-dasharray': dash.join(' ') })}/>`;
		}
	}
}

function shapeElement(shape: Shape, options: SvgExportOptions): string {
	const transform = `translate(${num(shape.x)} ${num(shape.y)})${shape.rotation ? ` rotate(${num(shape.rotation)})` : ''}`;
	return `<g${attrs({ transform, 'data-type': shape.type })}>${shapeBody(shape, options)}</g>`;
}

/** The SVG document of `shapes` (any order; drawn bottom to top), or null when there is nothing to export. */
export function buildSvg(shapes: readonly Shape[], options: SvgExportOptions): string | null {
	const bounds = options.bounds ?? exportBounds(shapes);
	if (!bounds) return null;
	const sorted = [...shapes].sort(compareOrder);
	const { x, y, w, h } = bounds;
	const defs =
		'<defs><filter id="bw-shadow" x="-20%" y="-20%" width="140%" height="140%">' +
		'<feDropShadow dx="0" dy="3" stdDeviation="5" flood-color="#000" flood-opacity="0.18"/></filter></defs>';
	const background = options.background ? `<rect${attrs({ x, y, width: w, height: h, fill: options.background })}/>` : '';
	const body = sorted.map((shape) => shapeElement(shape, options)).join('');
	const root = attrs({ xmlns: 'http://www.w3.org/2000/svg', width: w, height: h, viewBox: `${num(x)} ${num(y)} ${num(w)} ${num(h)}` });
	return `<svg${root}>${defs}${background}${body}</svg>`;
}

/**
 * A text layout without a canvas (Node, tests): word wrapping as Konva does it (greedy by words, a word
 * longer than the line split by characters, a fixed height cut with "…"), with widths from `measure`.
 */
export function wrapText(box: TextBox, measure: (text: string, fontSize: number) => number): TextLayout {
	const lineHeight = box.fontSize * LINE_HEIGHT;
	const maxLines = box.height === null ? Infinity : Math.max(1, Math.floor(box.height / lineHeight));
	const lines: { text: string; width: number }[] = [];
	const push = (text: string) => lines.push({ text, width: measure(text, box.fontSize) });
	const fits = (text: string) => measure(text, box.fontSize) <= box.width;
	for (const paragraph of box.text.split('\n')) {
		let rest = paragraph;
		while (rest.length > 0 && measure(rest, box.fontSize) > box.width) {
			let end = rest.length;
			while (end > 1 && !fits(rest.slice(0, end))) end--;
			const space = rest.lastIndexOf(' ', end);
			const cut = space > 0 && space < end + 1 ? space + 1 : end;
			push(rest.slice(0, cut).trimEnd());
			rest = rest.slice(cut).trimStart();
		}
		if (rest.length > 0 || paragraph.length === 0) push(rest);
	}
	if (lines.length > maxLines) {
		lines.length = maxLines;
		const last = lines[maxLines - 1]!;
		let text = last.text;
		while (text.length > 0 && !fits(text + '…')) text = text.slice(0, -1);
		lines[maxLines - 1] = { text: text + '…', width: measure(text + '…', box.fontSize) };
	}
	// Typical sans-serif metrics: ascent 0.9 em, descent 0.22 em, centred in the line as Konva does.
	return { lines, baseline: ((0.9 - 0.22) / 2) * box.fontSize + lineHeight / 2 };
}
