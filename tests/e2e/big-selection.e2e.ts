// Presence stays small whatever is selected: Ctrl+A on a board of 3,000 shapes shares the selection as one box
// (src/lib/collab/presence-state.ts, shareSelection), so the server's 32 KiB presence limit is never reached,
// the page stays connected, and others see the whole selection outlined.
import { createBoard, insertShapes } from '../../src/lib/board/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { selection, shapes, smallRects, waitConnected } from './board.ts';
import { editParams, expect, test } from './fixtures.ts';
import type { Page } from '@playwright/test';

const RECTS = 3000;
/** The board's extent: rows of 40 rects, 12 units apart, from (400, 200) (smallRects in board.ts). */
const LEFT = 400;
const TOP = 200;
const RIGHT = LEFT + 39 * 12 + 10;
const BOTTOM = TOP + (RECTS / 40 - 1) * 12 + 10;

const boxes = (page: Page) => page.evaluate(() => window.__boardwalk!.peerBoxes());

test('Ctrl+A on 3,000 shapes keeps the page connected, and the other tab outlines the whole selection as one box', async ({
	server,
	boardId,
	openBoard
}) => {
	const builder = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	insertShapes(createBoard(builder.doc), smallRects(RECTS));
	const check = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	await waitFor(() => check.shapes.size === RECTS, 'the server to hold the board');
	builder.destroy();
	check.destroy();

	const a = await openBoard();
	const b = await openBoard();
	await Promise.all([waitConnected(a), waitConnected(b)]);
	await expect.poll(async () => (await shapes(a)).length).toBe(RECTS);
	await expect(b.getByRole('list', { name: 'People on this board: 2' })).toBeVisible();

	await a.keyboard.press('Control+a');
	await expect.poll(async () => (await selection(a)).length).toBe(RECTS);

	// B sees one box around all of it (the presence frame went through), and no outline per shape.
	await expect.poll(async () => (await boxes(b)).length, { timeout: 10_000 }).toBe(1);
	const [box] = await boxes(b);
	expect(box!.x).toBeLessThanOrEqual(LEFT);
	expect(box!.y).toBeLessThanOrEqual(TOP);
	expect(box!.x + box!.w).toBeGreaterThanOrEqual(RIGHT);
	expect(box!.y + box!.h).toBeGreaterThanOrEqual(BOTTOM);
	// Stroke widths pad the box a little, never by more than a few units.
	expect(box!.x + box!.w - RIGHT + (LEFT - box!.x)).toBeLessThan(20);
	expect(await b.evaluate(() => window.__boardwalk!.peerOutlines().length)).toBe(0);

	// A is still connected: no close (1009 or any other), the badge still says so, and A's pointer still reaches B.
	expect(await a.evaluate(() => window.__boardwalk!.reconnect().lastCloseCode)).toBeNull();
	await expect(a.getByRole('status', { name: 'Connection: Connected' })).toBeVisible();
	await expect(a.getByText(/too large/)).toHaveCount(0);
	await a.mouse.move(300, 300);
	await a.mouse.move(320, 330, { steps: 4 });
	await expect(b.locator('.cursor')).toHaveCount(1);
	expect(await a.evaluate(() => window.__boardwalk!.status())).toBe('connected');

	// Clearing the selection takes the box away.
	await a.keyboard.press('Escape');
	await expect.poll(async () => (await boxes(b)).length).toBe(0);
});
