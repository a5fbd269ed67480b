/**
 * The overview kept as a bitmap of the view plus a margin, copied to the layer on each frame: a pan at
 * one zoom moves pixels instead of painting thousands of shapes again. While the zoom changes the bitmap
 * is scaled, and painted anew at the new zoom once it settles. Painted at once when the view leaves the
 * bitmap, the scale drifts past 2× either way, the pixel ratio changes, or a shape on it changes.
 */
import { boxContainsBox, boxesOverlap, type Box, type Shape } from '$lib/board';
import { paintOverview } from '$lib/canvas/overview';

/** Extra board area painted on each side of the view, as a share of the view: room to pan before a repaint. */
const MARGIN = 0.25;
/** Most device pixels the margin may grow the bitmap to (4 bytes each): a high-DPI screen gets less margin. */
const MAX_PIXELS = 12_000_000;
/** Largest factor (up or down) a bitmap is scaled by before it is painted again at the new zoom. */
const MAX_SCALE = 2;
/** How long the zoom must rest before a scaled bitmap is painted at the new zoom (ms). */
const SETTLE_MS = 120;

export class OverviewBitmap {
	#canvas: HTMLCanvasElement | null = null;
	#settle: ReturnType<typeof setTimeout> | null = null;
	/** The board area on the bitmap, and the zoom and pixel ratio it was painted at. */
	#box: Box | null = null;
	#zoom = 0;
	#ratio = 0;

	/** `redraw` asks for the layer to be drawn again (when a scaled bitmap has settled). */
	constructor(private readonly redraw: () => void) {}

	/** Marks the bitmap stale if a change within `bounds` (board units) shows on it. */
	invalidate(bounds: Box | undefined): void {
		if (this.#box && (!bounds || boxesOverlap(bounds, this.#box))) this.#box = null;
	}

	/**
	 * Copies the overview of `view` onto `context` (device pixels, identity transform), where the layer's
	 * transform `matrix` (board to CSS pixels) puts it; `shapesIn` lists a box's shapes bottom to top.
	 */
	draw(context: CanvasRenderingContext2D, matrix: number[], ratio: number, view: Box, zoom: number, shapesIn: (box: Box) => Shape[]): void {
		const scale = zoom / this.#zoom;
		const usable = this.#box && this.#ratio === ratio && boxContainsBox(this.#box, view) && scale <= MAX_SCALE && scale >= 1 / MAX_SCALE;
		if (!usable) this.#paint(view, zoom, ratio, shapesIn);
		const box = this.#box!;
		const canvas = this.#canvas!;
		const x = (matrix[0]! * box.x + matrix[4]!) * ratio;
		const y = (matrix[3]! * box.y + matrix[5]!) * ratio;
		if (this.#zoom === zoom) {
			// Whole device pixels: a copy at a fractional offset would be resampled, blurring every edge.
			context.drawImage(canvas, Math.round(x), Math.round(y));
			return;
		}
		context.drawImage(canvas, x, y, canvas.width * scale, canvas.height * scale);
		this.#cancelSettle();
		this.#settle = setTimeout(() => {
			this.#settle = null;
			this.#box = null;
			this.redraw();
		}, SETTLE_MS);
	}

	#cancelSettle(): void {
		if (this.#settle !== null) clearTimeout(this.#settle);
		this.#settle = null;
	}

	/** Frees the bitmap (leaving the overview). */
	release(): void {
		this.#cancelSettle();
		if (this.#canvas) {
			// A zero-size canvas gives its backing store back now, not at the next garbage collection.
			this.#canvas.width = 0;
			this.#canvas.height = 0;
		}
		this.#canvas = null;
		this.#box = null;
	}

	#paint(view: Box, zoom: number, ratio: number, shapesIn: (box: Box) => Shape[]): void {
		const scale = zoom * ratio;
		// (1 + 2m)² × the view's pixels ≤ MAX_PIXELS; never less than the view itself.
		const fit = (Math.sqrt(MAX_PIXELS / (view.w * view.h * scale * scale)) - 1) / 2;
		const margin = Math.max(0, Math.min(MARGIN, fit));
		const box = { x: view.x - view.w * margin, y: view.y - view.h * margin, w: view.w * (1 + 2 * margin), h: view.h * (1 + 2 * margin) };
		const canvas = (this.#canvas ??= document.createElement('canvas'));
		const width = Math.ceil(box.w * scale);
		const height = Math.ceil(box.h * scale);
		// Resizing clears it; the same size is cleared by hand.
		if (canvas.width !== width || canvas.height !== height) {
			canvas.width = width;
			canvas.height = height;
		}
		const context = canvas.getContext('2d')!;
		context.setTransform(1, 0, 0, 1, 0, 0);
		context.clearRect(0, 0, width, height);
		context.setTransform(scale, 0, 0, scale, -box.x * scale, -box.y * scale);
		paintOverview(context, shapesIn(box), zoom);
		this.#cancelSettle();
		this.#box = box;
		this.#zoom = zoom;
		this.#ratio = ratio;
	}
}
