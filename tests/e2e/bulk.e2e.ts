// Bulk operations and the selection's look (issue 19): deleting 3,000 shapes reaches the other tab, each selected
// shape is outlined when several are, undoing a delete selects what came back, and the select tool highlights
// the shape under the mouse. Speed is the bench's (`npm run bench -- --only=bulk`), not asserted here.
import type { Page } from '@playwright/test';
import { createBoard, insertShapes, SHAPE_DEFAULTS, type NewShape } from '../../src/lib/board/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { nodeCount, selection, shapes, smallRects, toClient, waitConnected } from './board.ts';
import { editParams, expect, test } from './fixtures.ts';

const outlines = (page: Page) => page.evaluate(() => window.__boardwalk!.outlines());

/** Puts `list` on the board through a stock client, and waits until the server holds them. */
async function seed(server: { url: string; wsUrl: string }, boardId: string, list: NewShape[]): Promise<void> {
	const builder = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	insertShapes(createBoard(builder.doc), list);
	const check = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	await waitFor(() => check.shapes.size === list.length, 'the server to hold the board');
	builder.destroy();
	check.destroy();
}

/** Three filled 80×60 rects in a row at y = 200. */
const THREE: NewShape[] = [300, 450, 600].map((x) => ({ ...SHAPE_DEFAULTS.rect, type: 'rect', x, y: 200, w: 80, h: 60, fill: '#a5d8ff' }));

async function click(page: Page, x: number, y: number, shift = false): Promise<void> {
	const p = await toClient(page, x, y);
	if (shift) await page.keyboard.down('Shift');
	await page.mouse.click(p.x, p.y);
	if (shift) await page.keyboard.up('Shift');
}

test('Ctrl+A, Delete on 3,000 shapes removes them in both tabs', async ({ server, boardId, openBoard }) => {
	await seed(server, boardId, smallRects(3000));
	const a = await openBoard();
	const b = await openBoard();
	await Promise.all([waitConnected(a), waitConnected(b)]);
	await expect.poll(async () => (await shapes(a)).length).toBe(3000);
	await expect.poll(async () => (await shapes(b)).length).toBe(3000);

	await a.keyboard.press('Control+a');
	await expect.poll(async () => (await selection(a)).length).toBe(3000);
	await a.keyboard.press('Delete');

	for (const page of [a, b]) {
		await expect.poll(async () => (await shapes(page)).length, { timeout: 30_000 }).toBe(0);
		await expect.poll(() => nodeCount(page)).toBe(0);
	}
	expect(await selection(a)).toEqual([]);
	await expect(a.getByText(/too large/)).toHaveCount(0);
});

test('several selected shapes are each outlined; one selected shows the handles alone', async ({ server, boardId, openBoard }) => {
	await seed(server, boardId, THREE);
	const page = await openBoard();
	await waitConnected(page);
	await expect.poll(async () => (await shapes(page)).length).toBe(3);

	await page.keyboard.press('Control+a');
	await expect.poll(async () => (await outlines(page)).selected).toBe(3);

	await click(page, 340, 230); // one shape: its Transformer box, no outlines
	await expect.poll(async () => (await selection(page)).length).toBe(1);
	await expect.poll(async () => (await outlines(page)).selected).toBe(0);

	await click(page, 490, 230, true); // Shift adds a second
	await expect.poll(async () => (await outlines(page)).selected).toBe(2);

	await page.keyboard.press('Escape');
	await expect.poll(async () => (await outlines(page)).selected).toBe(0);
});

test('undoing a delete selects the shapes that came back, and redo of a creation selects it', async ({ server, boardId, openBoard }) => {
	await seed(server, boardId, THREE);
	const page = await openBoard();
	await waitConnected(page);
	await expect.poll(async () => (await shapes(page)).length).toBe(3);
	const [left, middle] = (await shapes(page)).map((s) => s.id);

	await click(page, 340, 230);
	await click(page, 490, 230, true);
	await expect.poll(async () => [...(await selection(page))].sort()).toEqual([left, middle].sort());
	await page.keyboard.press('Delete');
	await expect.poll(async () => (await shapes(page)).length).toBe(1);
	expect(await selection(page)).toEqual([]);

	await page.keyboard.press('Control+z');
	await expect.poll(async () => (await shapes(page)).length).toBe(3);
	await expect.poll(async () => [...(await selection(page))].sort()).toEqual([left, middle].sort());
	await expect.poll(async () => (await outlines(page)).selected).toBe(2);

	// A new rectangle, undone and redone: selected again.
	await page.keyboard.press('r');
	const from = await toClient(page, 300, 400);
	await page.mouse.move(from.x, from.y);
	await page.mouse.down();
	await page.mouse.move(from.x + 100, from.y + 60, { steps: 5 });
	await page.mouse.up();
	await expect.poll(async () => (await shapes(page)).length).toBe(4);
	const created = (await shapes(page)).at(-1)!.id;
	await page.keyboard.press('Control+z');
	await expect.poll(async () => (await shapes(page)).length).toBe(3);
	await page.keyboard.press('Escape');
	await page.keyboard.press('Control+Shift+z');
	await expect.poll(async () => (await shapes(page)).length).toBe(4);
	await expect.poll(() => selection(page)).toEqual([created]);
});

test('under the select tool the shape beneath the mouse is highlighted, and the highlight leaves with the mouse', async ({ server, boardId, openBoard }) => {
	await seed(server, boardId, THREE);
	const page = await openBoard();
	await waitConnected(page);
	await expect.poll(async () => (await shapes(page)).length).toBe(3);
	const middle = (await shapes(page))[1]!.id;

	const over = await toClient(page, 490, 230);
	await page.mouse.move(over.x - 40, over.y + 120);
	await page.mouse.move(over.x, over.y, { steps: 4 });
	await expect.poll(async () => (await outlines(page)).hover).toBe(middle);

	const away = await toClient(page, 490, 500);
	await page.mouse.move(away.x, away.y, { steps: 4 });
	await expect.poll(async () => (await outlines(page)).hover).toBeNull();

	// Another tool: no hover highlight.
	await page.mouse.move(over.x, over.y, { steps: 4 });
	await expect.poll(async () => (await outlines(page)).hover).toBe(middle);
	await page.keyboard.press('r');
	await expect.poll(async () => (await outlines(page)).hover).toBeNull();
});

test('a big selection resizes as one box: each shape scales with it, in one undo step', async ({ server, boardId, openBoard }) => {
	// 150 rects 10×10 in rows of 40 from (400, 200): a box from (400, 200) to (878, 246).
	await seed(server, boardId, smallRects(150));
	const page = await openBoard();
	await waitConnected(page);
	await expect.poll(async () => (await shapes(page)).length).toBe(150);
	await page.keyboard.press('Control+a');
	await expect.poll(async () => (await selection(page)).length).toBe(150);
	const before = await shapes(page);

	// The bottom-right handle sits 4 px (the Transformer's padding) outside the box's corner.
	const corner = await toClient(page, 878, 246);
	await page.mouse.move(corner.x + 4, corner.y + 4);
	await page.mouse.down();
	await page.mouse.move(corner.x + 54, corner.y + 4, { steps: 5 });
	await page.mouse.move(corner.x + 104, corner.y + 4, { steps: 5 });
	await page.mouse.up();

	const scale = (478 + 100) / 478;
	await expect.poll(async () => (await shapes(page)).find((s) => s.id === before.at(-1)!.id)!.w!, { timeout: 10_000 }).toBeCloseTo(10 * scale, 0);
	const after = new Map((await shapes(page)).map((s) => [s.id, s]));
	for (const shape of before) {
		const moved = after.get(shape.id)!;
		expect(moved.x).toBeCloseTo(400 + (shape.x - 400) * scale, 0);
		expect(moved.y).toBeCloseTo(shape.y, 0);
		expect(moved.w!).toBeCloseTo(10 * scale, 0);
	}
	expect(await selection(page)).toHaveLength(150);

	await page.keyboard.press('Control+z');
	await expect.poll(async () => (await shapes(page)).map((s) => [s.x, s.w])).toEqual(before.map((s) => [s.x, s.w]));
});
