/** Board thumbnails for the home page: which part of the view to show, and that part as a small image. */

/** A rectangle of the view, CSS px (Konva's client rects). */
export interface ViewRect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** Thumbnails are 16:10, like the home page's cards. */
const THUMBNAIL_ASPECT = 16 / 10;
/** Space kept around the drawing in a thumbnail, CSS px. */
const THUMBNAIL_MARGIN_PX = 32;
/** A thumbnail shows at least this share of the view's width: one small shape is not blown up to fill it. */
const THUMBNAIL_MIN_SHARE = 0.5;

/**
 * The part of a `width` × `height` view a thumbnail shows: the drawn content's box (`content`, view px;
 * empty for none: the whole view) with a margin, widened to 16:10 and to at least half the view's width
 * where the view has room, kept inside the view.
 */
export function thumbnailFrame(content: ViewRect, width: number, height: number): ViewRect {
	const left = Math.max(0, content.x - THUMBNAIL_MARGIN_PX);
	const top = Math.max(0, content.y - THUMBNAIL_MARGIN_PX);
	const right = Math.min(width, content.x + content.width + THUMBNAIL_MARGIN_PX);
	const bottom = Math.min(height, content.y + content.height + THUMBNAIL_MARGIN_PX);
	if (content.width <= 0 || content.height <= 0 || right <= left || bottom <= top) return { x: 0, y: 0, width, height };
	// 16:10 around the drawing, then cut to the view: the drawing (already inside the view) stays whole.
	const w = Math.min(width, Math.max(right - left, (bottom - top) * THUMBNAIL_ASPECT, width * THUMBNAIL_MIN_SHARE));
	const h = Math.min(height, Math.max(bottom - top, w / THUMBNAIL_ASPECT));
	return fit((left + right) / 2, (top + bottom) / 2, w, h, width, height);
}

/** A w × h box (no larger than the view) centred on (cx, cy), moved inside the view. */
function fit(cx: number, cy: number, w: number, h: number, width: number, height: number): ViewRect {
	const x = Math.min(Math.max(0, cx - w / 2), width - w);
	const y = Math.min(Math.max(0, cy - h / 2), height - h);
	return { x, y, width: w, height: h };
}


/**
 * The `frame` (view px) of `source` (a layer's canvas, `ratio` device px per view px) on `background`,
 * fitted in `maxWidth` × `maxHeight` px: a PNG data URL, a JPEG one if the PNG is over `maxChars`, or null
 * if neither fits.
 */
export function drawThumbnail(
	source: HTMLCanvasElement,
	frame: ViewRect,
	ratio: number,
	{ maxWidth, maxHeight, maxChars, background }: { maxWidth: number; maxHeight: number; maxChars: number; background: string }
): string | null {
	let image: CanvasImageSource = source;
	let [sx, sy, sw, sh] = [frame.x * ratio, frame.y * ratio, frame.width * ratio, frame.height * ratio];
	const scale = Math.min(1, maxWidth / sw, maxHeight / sh);
	const targetWidth = sw * scale;
	// Halved step by step: one big downscale skips pixels, and the dots turn into stripes.
	while (sw / 2 >= targetWidth) {
		const half = document.createElement('canvas');
		half.width = Math.max(1, Math.round(sw / 2));
		half.height = Math.max(1, Math.round(sh / 2));
		half.getContext('2d')?.drawImage(image, sx, sy, sw, sh, 0, 0, half.width, half.height);
		[image, sx, sy, sw, sh] = [half, 0, 0, sw / 2, sh / 2];
	}
	const out = document.createElement('canvas');
	out.width = Math.max(1, Math.round(targetWidth));
	out.height = Math.max(1, Math.round(frame.height * ratio * scale));
	const context = out.getContext('2d');
	if (!context) return null;
	context.fillStyle = background;
	context.fillRect(0, 0, out.width, out.height);
	context.drawImage(image, sx, sy, sw, sh, 0, 0, out.width, out.height);
	for (const url of [out.toDataURL('image/png'), out.toDataURL('image/jpeg', 0.75)]) if (url.length <= maxChars) return url;
	return null;
}
