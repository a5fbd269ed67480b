// Camera and connection state: zoom keys and buttons, panning by hand, space and wheel, and the offline badge.
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, nodeCount, openTwo, shapes, waitConnected } from './board.ts';

const camera = (page: import('@playwright/test').Page) => page.evaluate(() => window.__boardwalk!.camera());

test('zoom with keys, buttons and ctrl+wheel; Shift+1 fits the content', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await expect(page.getByTestId('zoom-level')).toHaveText('100%');
	await page.keyboard.press('+');
	await expect(page.getByTestId('zoom-level')).toHaveText('125%');
	await page.getByRole('button', { name: 'Zoom out (-)' }).click();
	await expect(page.getByTestId('zoom-level')).toHaveText('100%');
	await page.keyboard.press('-');
	await expect(page.getByTestId('zoom-level')).toHaveText('80%');
	await page.keyboard.press('Control+0');
	await expect(page.getByTestId('zoom-level')).toHaveText('100%');

	// Ctrl+wheel zooms around the pointer: the board point under it stays put.
	await page.mouse.move(640, 400);
	const before = await page.evaluate(() => window.__boardwalk!.toClient({ x: 640, y: 400 }));
	await page.keyboard.down('Control');
	await page.mouse.wheel(0, -200);
	await page.keyboard.up('Control');
	await expect.poll(async () => (await camera(page)).zoom).toBeGreaterThan(1);
	const after = await page.evaluate(() => window.__boardwalk!.toClient({ x: 640, y: 400 }));
	expect(Math.abs(after.x - before.x)).toBeLessThan(1);

	// A far-away rectangle: Shift+1 brings it into view.
	await page.keyboard.press('r');
	await drag(page, [900, 600], [1000, 700]);
	await page.keyboard.press('Escape');
	await page.keyboard.press('Shift+!');
	await expect
		.poll(async () => {
			const [shape] = (await page.evaluate(() => window.__boardwalk!.shapes())) as { x: number; y: number; w: number; h: number }[];
			const p = await page.evaluate((s) => window.__boardwalk!.toClient({ x: s.x + s.w / 2, y: s.y + s.h / 2 }), shape!);
			return [Math.round(p.x), Math.round(p.y)];
		})
		.toEqual([640, 400]);
});

test('pan with the hand tool, with space+drag and with the wheel', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	// The dots are painted and move with the board: 24 px apart at 100 %, the first at the offset modulo 24.
	const alphaAt = (x: number, y: number) =>
		page.evaluate(([px, py]) => {
			const layer = document.querySelector<HTMLCanvasElement>('[data-testid="board-canvas"] canvas')!;
			const ratio = layer.width / layer.getBoundingClientRect().width;
			return layer.getContext('2d')!.getImageData(Math.round(px! * ratio), Math.round(py! * ratio), 1, 1).data[3]!;
		}, [x, y]);
	await expect.poll(() => alphaAt(48, 48)).toBeGreaterThan(100);
	expect(await alphaAt(60, 60)).toBe(0);
	await page.getByRole('button', { name: 'Hand (H)' }).click();
	await drag(page, [600, 400], [700, 450]);
	await expect.poll(async () => (await camera(page)).x).toBe(100);
	expect((await camera(page)).y).toBe(50);
	// 100 px right and 50 down: the dots moved by 4 and 2 px (modulo 24).
	await expect.poll(() => alphaAt(52, 50)).toBeGreaterThan(100);
	expect(await alphaAt(48, 48)).toBe(0);

	await page.keyboard.press('v');
	await page.keyboard.down(' ');
	await drag(page, [600, 400], [500, 400]);
	await page.keyboard.up(' ');
	await expect.poll(async () => (await camera(page)).x).toBe(0);
	// Space-drag borrowed the hand: nothing was selected or drawn, and select is still the tool.
	expect(await page.evaluate(() => window.__boardwalk!.toolState())).toBe('select.idle');

	await page.mouse.move(600, 400);
	await page.mouse.wheel(0, 120);
	await expect.poll(async () => (await camera(page)).y).toBe(50 - 120);
});

test('the badge says Offline when the server cannot be reached', async ({ openBoard, page, server }) => {
	void openBoard;
	await page.routeWebSocket(/\/ws\//, (ws) => ws.close({ code: 1011, reason: 'test' }));
	await page.goto(`${server.url}/b/offline${Date.now()}`);
	await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible({ timeout: 15_000 });
	// Drawing still works locally while offline.
	await expect.poll(() => page.evaluate(() => window.__boardwalk?.ready() ?? false)).toBe(true);
	await page.keyboard.press('r');
	await drag(page, [400, 300], [500, 400]);
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.nodeCount())).toBe(1);
});

test('only shapes in view are on the canvas: a shape panned out of view leaves it and comes back, also while a peer moves it', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('r');
	await drag(a, [300, 200], [400, 300]);
	await a.keyboard.press('Escape');
	await expectShapeCount(b, 1);

	// B scrolls 2,000 px right: the rectangle is off screen, still in the doc, and not drawn.
	await b.mouse.move(640, 400);
	for (let i = 0; i < 5; i++) await b.mouse.wheel(400, 0);
	await expect.poll(async () => (await camera(b)).x).toBe(-2000);
	await expect.poll(() => nodeCount(b)).toBe(0);
	expect(await shapes(b)).toHaveLength(1);

	// A nudges it while B looks elsewhere; when B scrolls back it is drawn again.
	await a.mouse.click(350, 250);
	await a.keyboard.press('Shift+ArrowDown');
	const [moved] = await shapes(a);
	await expect.poll(async () => (await shapes(b))[0]!.y).toBe(moved!.y);
	for (let i = 0; i < 5; i++) await b.mouse.wheel(-400, 0);
	await expect.poll(async () => (await camera(b)).x).toBe(0);
	await expect.poll(() => nodeCount(b)).toBe(1);
	const painted = await b.evaluate(() => window.__boardwalk!.paints().at(-1)!);
	expect(painted.nodes).toBe(1);
});
