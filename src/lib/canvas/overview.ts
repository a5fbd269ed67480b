/**
 * The level of detail for a dense, zoomed-out view: every shape in view painted straight onto a 2D context
 * (the overview's bitmap, overview-bitmap.ts) in one pass, without a Konva node each. Konva spends ~13 µs
 * per node per frame (transform, save/restore, attribute reads): 4,000 shapes in view took ~58 ms a frame.
 */
import { TRANSPARENT, type Shape } from '$lib/board';
import { arrowHeadSize } from '$lib/shared/model/geometry';
import { LINE_HEIGHT, STICKY_PADDING } from '$lib/view/text-metrics';

/** The scene switches to the overview at this zoom or below, with at least OVERVIEW_MIN_SHAPES in view. */
export const OVERVIEW_MAX_ZOOM = 0.3;
export const OVERVIEW_MIN_SHAPES = 300;
/**
 * And back to a node per shape above this zoom or below this many shapes: the gap keeps a view at the
 * threshold from switching on every frame.
 */
export const OVERVIEW_LEAVE_ZOOM = 0.35;
export const OVERVIEW_LEAVE_SHAPES = 200;

/** Whether a view of `shapes` shapes at `zoom` is drawn as an overview, given whether it is one now. */
export function wantsOverview(active: boolean, zoom: number, shapes: number): boolean {
	if (active) return zoom <= OVERVIEW_LEAVE_ZOOM && shapes >= OVERVIEW_LEAVE_SHAPES;
	return zoom <= OVERVIEW_MAX_ZOOM && shapes >= OVERVIEW_MIN_SHAPES;
}

/** Text is unreadable at overview zoom: each line shows as a bar this high (of the font size), in the text colour at this alpha. */
const TEXT_BAR_HEIGHT = 0.5;
const TEXT_BAR_ALPHA = 0.45;
/** Average glyph advance as a share of the font size, to guess where a line wraps and how long it is. */
const GLYPH_WIDTH = 0.55;
/** Polyline points closer than this on screen (px) to the last one drawn are skipped. */
const MIN_SEGMENT_PX = 1;

/** The part of CanvasRenderingContext2D the overview uses (a recording stand-in tests it in Node). */
export type OverviewContext = Pick<
	CanvasRenderingContext2D,
	| 'beginPath'
	| 'moveTo'
	| 'lineTo'
	| 'closePath'
	| 'ellipse'
	| 'fill'
	| 'stroke'
	| 'fillRect'
	| 'strokeRect'
	| 'fillStyle'
	| 'strokeStyle'
	| 'lineWidth'
	| 'globalAlpha'
	| 'lineCap'
	| 'lineJoin'
>;

/** A line of greeked text: its box in shape-local units. */
export interface TextBar {
	x: number;
	y: number;
	w: number;
	h: number;
}

/**
 * Where the lines of `text` would fall in a box `width` wide, as bars: paragraphs wrap at an estimated
 * glyph width. Left-aligned from the top, or centred both ways (sticky notes), within `height` if given.
 */
export function textBars(text: string, width: number, fontSize: number, centred: boolean, height: number | null = null): TextBar[] {
	if (text.trim() === '' || width <= 0) return [];
	const perLine = Math.max(1, Math.floor(width / (fontSize * GLYPH_WIDTH)));
	const lengths: number[] = [];
	for (const paragraph of text.split('\n')) {
		let left = paragraph.trimEnd().length;
		if (left === 0) lengths.push(0);
		while (left > 0) {
			lengths.push(Math.min(left, perLine));
			left -= perLine;
		}
	}
	const lineHeight = fontSize * LINE_HEIGHT;
	const fit = height === null ? lengths.length : Math.max(0, Math.floor(height / lineHeight));
	const lines = lengths.slice(0, fit);
	const barHeight = fontSize * TEXT_BAR_HEIGHT;
	const top = centred && height !== null ? (height - lines.length * lineHeight) / 2 : 0;
	const bars: TextBar[] = [];
	lines.forEach((length, i) => {
		if (length === 0) return;
		const w = Math.min(width, length * fontSize * GLYPH_WIDTH);
		const x = centred ? (width - w) / 2 : 0;
		bars.push({ x, y: top + i * lineHeight + (lineHeight - barHeight) / 2, w, h: barHeight });
	});
	return bars;
}

/**
 * Draws `shapes` (bottom to top) in board coordinates: the context already carries the camera's transform.
 * One path per shape: Chromium's software canvas rasterises one long path far slower than many short
 * ones, and unrotated boxes use fillRect/strokeRect, its fast path (4,000 boxes: ~12 ms against ~50 ms as
 * rounded-rect paths, rasterising included).
 */
export function paintOverview(context: OverviewContext, shapes: Iterable<Shape>, zoom: number): void {
	const painter = new Painter(context, zoom);
	for (const shape of shapes) painter.paint(shape);
}

class Painter {
	/** One screen pixel in board units. */
	readonly #px: number;
	#cos = 1;
	#sin = 0;
	#x = 0;
	#y = 0;

	constructor(
		private readonly ctx: OverviewContext,
		zoom: number
	) {
		this.#px = 1 / zoom;
		ctx.lineCap = 'round';
		ctx.lineJoin = 'round';
	}

	paint(shape: Shape): void {
		const { ctx } = this;
		const radians = (shape.rotation * Math.PI) / 180;
		this.#cos = Math.cos(radians);
		this.#sin = Math.sin(radians);
		this.#x = shape.x;
		this.#y = shape.y;
		ctx.globalAlpha = shape.opacity;
		switch (shape.type) {
			case 'rect':
				this.#box(shape.w, shape.h, shape.fill, shape.stroke, shape.strokeWidth);
				break;
			case 'ellipse': {
				const [rx, ry] = [shape.w / 2, shape.h / 2];
				ctx.beginPath();
				ctx.ellipse(this.#wx(rx, ry), this.#wy(rx, ry), rx, ry, radians, 0, Math.PI * 2);
				this.#fillAndOutline(shape.fill, shape.stroke, shape.strokeWidth);
				break;
			}
			case 'line':
			case 'arrow':
			case 'pen':
				this.#polyline(shape.points);
				ctx.strokeStyle = shape.stroke;
				// Lines keep their width on screen (strokeScaleEnabled: false); a pen stroke scales with the board.
				ctx.lineWidth = shape.type === 'pen' ? shape.strokeWidth : Math.max(shape.strokeWidth, 0.5) * this.#px;
				ctx.stroke();
				if (shape.type === 'arrow') this.#arrowHead(shape.points, shape.strokeWidth);
				break;
			case 'text':
				this.#bars(textBars(shape.text, shape.w, shape.fontSize, false), shape.stroke, 0, 0);
				break;
			case 'image':
				// At overview zoom a picture is a tinted box: decoding thousands of images there would stall.
				this.#box(shape.w, shape.h, '#dee2e6', '#adb5bd', 1);
				break;
			case 'sticky':
				this.#box(shape.w, shape.h, shape.noteColor, shape.stroke, shape.strokeWidth);
				this.#bars(
					textBars(shape.text, shape.w - 2 * STICKY_PADDING, shape.fontSize, true, shape.h - 2 * STICKY_PADDING),
					shape.stroke,
					STICKY_PADDING,
					STICKY_PADDING
				);
				break;
		}
	}

	/** Board x, y of a shape-local point (rotated about the shape's origin, as Konva rotates its group). */
	#wx(lx: number, ly: number): number {
		return this.#x + lx * this.#cos - ly * this.#sin;
	}

	#wy(lx: number, ly: number): number {
		return this.#y + lx * this.#sin + ly * this.#cos;
	}

	/** A box with square corners: the renderers' radius (≤ 8 units) is at most 2.4 px at overview zoom. */
	#box(w: number, h: number, fill: string, stroke: string, strokeWidth: number): void {
		const { ctx } = this;
		if (this.#sin === 0 && this.#cos === 1) {
			if (fill !== TRANSPARENT) {
				ctx.fillStyle = fill;
				ctx.fillRect(this.#x, this.#y, w, h);
			}
			if (strokeWidth > 0) {
				ctx.strokeStyle = stroke;
				ctx.lineWidth = strokeWidth * this.#px;
				ctx.strokeRect(this.#x, this.#y, w, h);
			}
			return;
		}
		ctx.beginPath();
		this.#quad(0, 0, w, h);
		this.#fillAndOutline(fill, stroke, strokeWidth);
	}

	/** Adds the shape-local rectangle (x0, y0)–(x1, y1), rotated with the shape, to the path. */
	#quad(x0: number, y0: number, x1: number, y1: number): void {
		const { ctx } = this;
		ctx.moveTo(this.#wx(x0, y0), this.#wy(x0, y0));
		ctx.lineTo(this.#wx(x1, y0), this.#wy(x1, y0));
		ctx.lineTo(this.#wx(x1, y1), this.#wy(x1, y1));
		ctx.lineTo(this.#wx(x0, y1), this.#wy(x0, y1));
		ctx.closePath();
	}

	#fillAndOutline(fill: string, stroke: string, strokeWidth: number): void {
		const { ctx } = this;
		if (fill !== TRANSPARENT) {
			ctx.fillStyle = fill;
			ctx.fill();
		}
		if (strokeWidth > 0) {
			ctx.strokeStyle = stroke;
			ctx.lineWidth = strokeWidth * this.#px;
			ctx.stroke();
		}
	}

	#polyline(points: readonly number[]): void {
		const { ctx } = this;
		ctx.beginPath();
		let lastX = points[0]!;
		let lastY = points[1]!;
		ctx.moveTo(this.#wx(lastX, lastY), this.#wy(lastX, lastY));
		const last = points.length - 2;
		if (last === 0) {
			// A dot: a zero-length segment, which a round cap draws as a disc.
			ctx.lineTo(this.#wx(lastX, lastY), this.#wy(lastX, lastY));
			return;
		}
		for (let i = 2; i <= last; i += 2) {
			const x = points[i]!;
			const y = points[i + 1]!;
			if (i < last && Math.abs(x - lastX) < MIN_SEGMENT_PX * this.#px && Math.abs(y - lastY) < MIN_SEGMENT_PX * this.#px) continue;
			ctx.lineTo(this.#wx(x, y), this.#wy(x, y));
			lastX = x;
			lastY = y;
		}
	}

	/** The arrowhead of shapes/line.ts: a triangle at the last point along the last segment, filled and outlined like the line. */
	#arrowHead(points: readonly number[], strokeWidth: number): void {
		const n = points.length;
		const [tx, ty, fx, fy] = [points[n - 2]!, points[n - 1]!, points[n - 4]!, points[n - 3]!];
		const length = Math.hypot(tx - fx, ty - fy);
		if (length === 0) return;
		const head = arrowHeadSize(strokeWidth);
		// In board units: Konva draws the pointer in the shape's own coordinates, whatever strokeScaleEnabled says.
		const ux = ((tx - fx) / length) * head.length;
		const uy = ((ty - fy) / length) * head.length;
		const half = head.width / 2 / head.length;
		const { ctx } = this;
		ctx.beginPath();
		ctx.moveTo(this.#wx(tx, ty), this.#wy(tx, ty));
		ctx.lineTo(this.#wx(tx - ux - uy * half, ty - uy + ux * half), this.#wy(tx - ux - uy * half, ty - uy + ux * half));
		ctx.lineTo(this.#wx(tx - ux + uy * half, ty - uy - ux * half), this.#wy(tx - ux + uy * half, ty - uy - ux * half));
		ctx.closePath();
		// Konva outlines the pointer with the line's (screen-width) stroke: without it the head hides under the line.
		ctx.fillStyle = ctx.strokeStyle;
		ctx.fill();
		ctx.stroke();
	}

	#bars(bars: TextBar[], colour: string, dx: number, dy: number): void {
		if (bars.length === 0) return;
		const { ctx } = this;
		ctx.beginPath();
		for (const bar of bars) this.#quad(dx + bar.x, dy + bar.y, dx + bar.x + bar.w, dy + bar.y + bar.h);
		ctx.globalAlpha *= TEXT_BAR_ALPHA;
		ctx.fillStyle = colour;
		ctx.fill();
	}
}
