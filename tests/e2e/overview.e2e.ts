// A dense view at low zoom is painted as an overview (src/lib/canvas/overview.ts) instead of a Konva node per
// shape: the shapes still show, follow remote changes, and can be selected and moved; zooming back in brings the
// nodes back.
import type { Page } from '@playwright/test';
import { createBoard, insertShapes, listShapes, updateShape, type NewShape } from '../../src/lib/board/index.ts';
import { SHAPE_DEFAULTS } from '../../src/lib/shared/model/schema.ts';
import { OVERVIEW_MAX_ZOOM, OVERVIEW_MIN_SHAPES } from '../../src/lib/canvas/overview.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { drag, expectShapeCount, hexToRgbTuple, nodeCount, pixel, selection, toClient, waitConnected } from './board.ts';
import { editParams, expect, test } from './fixtures.ts';

const RED = '#e03131';
const BLUE = '#1971c2';
/** 25 × 16 rects 120 units apart: at 26 % zoom (six steps out from 100 %) all of them are in view. */
const COLUMNS = 25;
const RECTS = 400;

function rects(): NewShape[] {
	return Array.from({ length: RECTS }, (_, i) => ({
		type: 'rect' as const,
		...SHAPE_DEFAULTS.rect,
		x: (i % COLUMNS) * 120,
		y: Math.floor(i / COLUMNS) * 120,
		fill: RED,
		strokeWidth: 0
	}));
}

const lastPaint = (page: Page) => page.evaluate(() => window.__boardwalk!.paints().at(-1)!);

async function colourAt(page: Page, x: number, y: number): Promise<[number, number, number] | null> {
	const p = await toClient(page, x, y);
	return pixel(page, p.x, p.y);
}

test('a dense zoomed-out view is painted as an overview that stays live, selectable and movable', async ({ openBoard, server, boardId }) => {
	expect(RECTS).toBeGreaterThanOrEqual(OVERVIEW_MIN_SHAPES);
	const builder = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	const board = createBoard(builder.doc);
	insertShapes(board, rects());
	const first = listShapes(board).find((shape) => shape.x === 0 && shape.y === 0)!;
	const check = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	await waitFor(() => check.shapes.size === RECTS, 'the server to hold the board');
	check.destroy();

	const page = await openBoard();
	await waitConnected(page);
	await expect.poll(async () => (await page.evaluate(() => window.__boardwalk!.shapes().length))).toBe(RECTS);
	await expect.poll(async () => (await lastPaint(page)).overview).toBe(0);
	expect(await nodeCount(page)).toBeGreaterThan(0);

	for (let i = 0; i < 6; i++) await page.keyboard.press('-');
	await expect.poll(async () => (await page.evaluate(() => window.__boardwalk!.camera())).zoom).toBeLessThanOrEqual(OVERVIEW_MAX_ZOOM);
	await expect.poll(async () => (await lastPaint(page)).overview).toBe(RECTS);
	expect(await nodeCount(page)).toBe(0);
	// Painted without nodes: a rect's middle shows its fill, the gap beside it the background.
	await expect.poll(() => colourAt(page, 50, 50)).toEqual(hexToRgbTuple(RED));
	expect(await colourAt(page, 110, 50)).not.toEqual(hexToRgbTuple(RED));

	// Someone else recolours it: the overview repaints.
	updateShape(board, first.id, { fill: BLUE });
	await expect.poll(() => colourAt(page, 50, 50)).toEqual(hexToRgbTuple(BLUE));

	// Selected, it gets its node back (the Transformer needs one); the rest stay in the overview.
	const middle = await toClient(page, 50, 50);
	await page.mouse.click(middle.x, middle.y);
	await expect.poll(() => selection(page)).toEqual([first.id]);
	await expect.poll(() => nodeCount(page)).toBe(1);
	await expect.poll(async () => (await lastPaint(page)).overview).toBe(RECTS - 1);
	expect(await colourAt(page, 50, 50)).toEqual(hexToRgbTuple(BLUE));

	// Dragged above the grid: painted where it went, gone from where it was (the bitmap under it is repainted).
	const above = await toClient(page, 50, -200);
	await drag(page, [middle.x, middle.y], [above.x, above.y]);
	await expect.poll(() => colourAt(page, 50, -200)).toEqual(hexToRgbTuple(BLUE));
	expect(await colourAt(page, 50, 50)).not.toEqual(hexToRgbTuple(BLUE));
	// Once deselected, the shape it moved keeps its node for the rest of the overview.
	await page.keyboard.press('Escape');
	await expect.poll(() => selection(page)).toEqual([]);
	expect(await nodeCount(page)).toBe(1);
	expect(await colourAt(page, 50, -200)).toEqual(hexToRgbTuple(BLUE));

	await page.keyboard.press('Control+0');
	await expect.poll(async () => (await lastPaint(page)).overview).toBe(0);
	await expect.poll(() => nodeCount(page)).toBeGreaterThan(0);
	builder.destroy();
});

test('a sparse view stays drawn as nodes at any zoom', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await page.keyboard.press('r');
	const from = await toClient(page, 600, 300);
	await page.mouse.move(from.x, from.y);
	await page.mouse.down();
	await page.mouse.move(from.x + 100, from.y + 100, { steps: 4 });
	await page.mouse.up();
	await page.keyboard.press('Escape');
	await expectShapeCount(page, 1);
	for (let i = 0; i < 10; i++) await page.keyboard.press('-');
	await expect.poll(async () => (await page.evaluate(() => window.__boardwalk!.camera())).zoom).toBeLessThan(0.15);
	await expect.poll(async () => (await lastPaint(page)).overview).toBe(0);
	expect(await nodeCount(page)).toBe(1);
});
