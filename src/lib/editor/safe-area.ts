/**
 * The safe area: the part of the canvas the fixed chrome (header rows, phone dock, style panel, zoom
 * controls) leaves uncovered, as insets from the canvas's edges in CSS px. Pure: the components measure
 * the chrome (components/chrome-insets.ts), the keyboard's camera follow uses the result.
 */
import type { Box } from '$lib/view/camera';

export interface Insets {
	top: number;
	right: number;
	bottom: number;
	left: number;
}

export const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 };

interface Size {
	width: number;
	height: number;
}

/**
 * The insets that clear every piece of chrome (boxes relative to the canvas's top-left). Each piece is
 * counted against the edge it covers the least share of the canvas from (a header row against the top, a
 * side panel against its side, a dock or a sheet against the bottom); empty or off-canvas pieces count for
 * nothing. An axis the chrome would cover entirely keeps no insets, so there is always somewhere to show a shape.
 */
export function chromeInsets(chrome: readonly Box[], viewport: Size): Insets {
	const insets = { ...NO_INSETS };
	const { width, height } = viewport;
	for (const box of chrome) {
		if (box.w <= 0 || box.h <= 0) continue;
		const cover: [keyof Insets, number, number][] = [
			['top', box.y + box.h, height],
			['bottom', height - box.y, height],
			['left', box.x + box.w, width],
			['right', width - box.x, width]
		];
		const [edge, depth, across] = cover.reduce((least, c) => (c[1] / c[2] < least[1] / least[2] ? c : least));
		if (depth > 0) insets[edge] = Math.max(insets[edge], Math.min(depth, across));
	}
	if (insets.left + insets.right >= width) insets.left = insets.right = 0;
	if (insets.top + insets.bottom >= height) insets.top = insets.bottom = 0;
	return insets;
}

/**
 * The camera follow's decision for a shape's box on screen: null when it lies wholly inside the safe area
 * (`marginPx` in from its edges), else the screen delta that centres it there.
 */
export function revealPan(box: Box, viewport: Size, insets: Insets, marginPx: number): { dx: number; dy: number } | null {
	const left = insets.left;
	const top = insets.top;
	const right = viewport.width - insets.right;
	const bottom = viewport.height - insets.bottom;
	const inside =
		box.x >= left + marginPx && box.y >= top + marginPx && box.x + box.w <= right - marginPx && box.y + box.h <= bottom - marginPx;
	if (inside) return null;
	return { dx: (left + right) / 2 - (box.x + box.w / 2), dy: (top + bottom) / 2 - (box.y + box.h / 2) };
}
