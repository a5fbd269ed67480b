/** The background dots, painted into the shape layer's canvas before its shapes, so the compositor blends no extra layer. */
import type Konva from '$lib/canvas/konva';
import type { Camera } from '$lib/view/camera';

/** Board units between dots at 100 %. */
export const GRID_UNIT = 24;
const MIN_SPACING_PX = 12;
const MAX_SPACING_PX = 48;
const DOT_COLOUR = '#d4d4de';
/** Dot radius in CSS px, whatever the zoom. */
const DOT_RADIUS_PX = 1;

/**
 * Dot spacing on screen for `zoom`: the board unit doubled or halved so dots stay 12 to 48 px apart,
 * and the screen offset of the first dot (in (−spacing, 0]) for the camera's offset.
 */
export function dotLayout(camera: Camera): { spacing: number; shiftX: number; shiftY: number } {
	let spacing = GRID_UNIT * camera.zoom;
	while (spacing < MIN_SPACING_PX) spacing *= 2;
	while (spacing > MAX_SPACING_PX) spacing /= 2;
	const shift = (offset: number) => (((offset % spacing) + spacing) % spacing) - spacing;
	return { spacing, shiftX: shift(camera.x * camera.zoom), shiftY: shift(camera.y * camera.zoom) };
}

/**
 * Clears the layer and fills it with dots before Konva draws the shapes: the layer is redrawn on every
 * pan and zoom anyway, and a pattern fill costs far less than blending a separate full-window layer.
 */
export class DotGrid {
	#camera: Camera;
	/** Tiles by pixel ratio and base spacing (12 or 24 px), made once. */
	readonly #patterns = new Map<string, CanvasPattern>();

	constructor(
		private readonly layer: Konva.Layer,
		camera: Camera
	) {
		this.#camera = camera;
		// Konva would clear after 'beforeDraw'; the grid clears itself first, then paints the dots.
		layer.clearBeforeDraw(false);
		layer.on('beforeDraw', () => this.#paint());
	}

	setCamera(camera: Camera): void {
		this.#camera = camera;
	}

	#paint(): void {
		const canvas = this.layer.getCanvas();
		const ratio = canvas.getPixelRatio();
		const context = canvas.getContext()._context;
		const { width, height } = canvas._canvas;
		context.save();
		context.setTransform(1, 0, 0, 1, 0, 0);
		context.clearRect(0, 0, width, height);
		const { spacing, shiftX, shiftY } = dotLayout(this.#camera);
		// A tile of 12 or 24 px scaled ×1 to ×2 to the spacing: dots stay 1 to 2 px whatever the zoom.
		const base = spacing < GRID_UNIT ? GRID_UNIT / 2 : GRID_UNIT;
		const pattern = this.#pattern(context, ratio, base);
		if (pattern) {
			const scale = spacing / base;
			pattern.setTransform(new DOMMatrix([scale, 0, 0, scale, shiftX * ratio, shiftY * ratio]));
			context.fillStyle = pattern;
			context.fillRect(0, 0, width, height);
		}
		context.restore();
	}

	/** A `base`-px square tile (in device pixels) with a dot centred on its corners. */
	#pattern(context: CanvasRenderingContext2D, ratio: number, base: number): CanvasPattern | null {
		const key = `${ratio}:${base}`;
		const cached = this.#patterns.get(key);
		if (cached) return cached;
		const size = Math.round(base * ratio);
		const tile = document.createElement('canvas');
		tile.width = size;
		tile.height = size;
		const paint = tile.getContext('2d');
		if (!paint) return null;
		paint.fillStyle = DOT_COLOUR;
		// A dot centred on the tile's corner: four quarter circles, one per corner.
		for (const [x, y] of [[0, 0], [size, 0], [0, size], [size, size]] as const) {
			paint.beginPath();
			paint.arc(x, y, DOT_RADIUS_PX * ratio, 0, Math.PI * 2);
			paint.fill();
		}
		const pattern = context.createPattern(tile, 'repeat');
		if (pattern) this.#patterns.set(key, pattern);
		return pattern;
	}
}
