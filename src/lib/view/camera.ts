/** Camera math: where the board sits on screen (pan + zoom) and conversions between screen and board coordinates. */

import type { Box, Point } from '$lib/shared/model/geometry';

export type { Box, Point };

/**
 * A screen point `s` shows board point `b` where `s = (b + offset) * zoom`,
 * i.e. `x`/`y` is the board-space offset of the viewport (tldraw's convention),
 * so panning by a screen delta is `delta / zoom` regardless of zoom.
 */
export interface Camera {
	x: number;
	y: number;
	zoom: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;
/** One `+`/`-` press or zoom button click multiplies/divides the zoom by this. */
export const ZOOM_STEP_FACTOR = 1.25;
/** Screen pixels kept free around the content when zooming to fit. */
export const FIT_PADDING_PX = 64;

export const DEFAULT_CAMERA: Camera = { x: 0, y: 0, zoom: 1 };

export function clampZoom(zoom: number): number {
	return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

export function screenToBoard(camera: Camera, p: Point): Point {
	return { x: p.x / camera.zoom - camera.x, y: p.y / camera.zoom - camera.y };
}

export function boardToScreen(camera: Camera, p: Point): Point {
	return { x: (p.x + camera.x) * camera.zoom, y: (p.y + camera.y) * camera.zoom };
}

/** Move the view by a screen-space delta (wheel scroll, hand drag). */
export function panBy(camera: Camera, dxScreen: number, dyScreen: number): Camera {
	return { ...camera, x: camera.x + dxScreen / camera.zoom, y: camera.y + dyScreen / camera.zoom };
}

/** Change zoom while keeping the board point under `screenPoint` fixed (zoom around the pointer). */
export function zoomAt(camera: Camera, screenPoint: Point, nextZoom: number): Camera {
	const zoom = clampZoom(nextZoom);
	const anchor = screenToBoard(camera, screenPoint);
	return { x: screenPoint.x / zoom - anchor.x, y: screenPoint.y / zoom - anchor.y, zoom };
}

/**
 * Wheel delta to zoom factor. Trackpad pinch arrives as ctrl+wheel with small
 * fractional deltas, a mouse wheel as ±100-ish steps; an exponential keeps both smooth.
 */
export function wheelZoomFactor(deltaY: number): number {
	const clamped = Math.max(-100, Math.min(100, deltaY));
	return Math.exp(-clamped / 300);
}

/** The camera that shows `bounds` centred in a `viewport`-sized screen, never zooming in past 100 %. */
export function fitBounds(bounds: Box, viewport: { width: number; height: number }): Camera {
	const availW = Math.max(1, viewport.width - FIT_PADDING_PX * 2);
	const availH = Math.max(1, viewport.height - FIT_PADDING_PX * 2);
	const zoom = clampZoom(
		Math.min(1, availW / Math.max(1, bounds.w), availH / Math.max(1, bounds.h))
	);
	const cx = bounds.x + bounds.w / 2;
	const cy = bounds.y + bounds.h / 2;
	return { x: viewport.width / 2 / zoom - cx, y: viewport.height / 2 / zoom - cy, zoom };
}

/** The board-space rectangle visible in a viewport. */
export function visibleBounds(camera: Camera, viewport: { width: number; height: number }): Box {
	const tl = screenToBoard(camera, { x: 0, y: 0 });
	return { x: tl.x, y: tl.y, w: viewport.width / camera.zoom, h: viewport.height / camera.zoom };
}

/** Screen pixels around the view whose shapes are drawn too: covers shadows and strokes drawn outside a shape's bounds. */
const DRAW_MARGIN_PX = 32;

/** The board area whose shapes are drawn: the visible rectangle plus DRAW_MARGIN_PX on every side. */
export function drawnBounds(camera: Camera, viewport: { width: number; height: number }): Box {
	const margin = DRAW_MARGIN_PX / camera.zoom;
	const box = visibleBounds(camera, viewport);
	return { x: box.x - margin, y: box.y - margin, w: box.w + 2 * margin, h: box.h + 2 * margin };
}

/** What a camera shows, independent of screen size: the board point at the centre of the view, and the zoom. */
export interface ViewCentre {
	x: number;
	y: number;
	zoom: number;
}

export function viewCentre(camera: Camera, viewport: { width: number; height: number }): ViewCentre {
	const centre = screenToBoard(camera, { x: viewport.width / 2, y: viewport.height / 2 });
	return { x: centre.x, y: centre.y, zoom: camera.zoom };
}

/** The camera that shows `view` in a `viewport`-sized screen: same centre, same zoom (clamped). */
export function cameraForView(view: ViewCentre, viewport: { width: number; height: number }): Camera {
	const zoom = clampZoom(view.zoom);
	return { x: viewport.width / 2 / zoom - view.x, y: viewport.height / 2 / zoom - view.y, zoom };
}
