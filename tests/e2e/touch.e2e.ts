// Touch, pen and the context menu: fingers driven through CDP (several at once), on a phone and a tablet.
import type { Browser, CDPSession, Page } from '@playwright/test';
import { test, expect, gotoBoard } from './fixtures.ts';
import { expectShapeCount, selection, shapes, toClient, waitConnected, type ShapeInfo } from './board.ts';

const DEVICES = [
	{ name: 'phone', viewport: { width: 390, height: 844 } },
	{ name: 'tablet', viewport: { width: 820, height: 1180 } }
] as const;

type Finger = [x: number, y: number];

/** Fingers on the glass: each call lists every finger down after it (CDP presses, moves and lifts to match). */
class Hand {
	constructor(private readonly cdp: CDPSession) {}

	static async on(page: Page): Promise<Hand> {
		return new Hand(await page.context().newCDPSession(page));
	}

	#send(type: 'touchStart' | 'touchMove' | 'touchEnd', fingers: Finger[]) {
		return this.cdp.send('Input.dispatchTouchEvent', { type, touchPoints: fingers.map(([x, y], id) => ({ x, y, id })) });
	}

	start(...fingers: Finger[]) {
		return this.#send('touchStart', fingers);
	}

	/** Moves every finger from `from` to `to` in `steps` steps. */
	async move(from: Finger[], to: Finger[], steps = 8) {
		for (let i = 1; i <= steps; i++) {
			await this.#send(
				'touchMove',
				from.map(([x, y], f) => [x + ((to[f]![0] - x) * i) / steps, y + ((to[f]![1] - y) * i) / steps])
			);
		}
	}

	end() {
		return this.#send('touchEnd', []);
	}

	/** Lifts only the finger at `index` (CDP releases the points a touchEnd lists), where it is. */
	lift(index: number, at: Finger) {
		return this.cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [{ x: at[0], y: at[1], id: index }] });
	}

	async tap(at: Finger) {
		await this.start(at);
		await this.end();
	}
}

async function openOn(browser: Browser, serverUrl: string, board: string, viewport: { width: number; height: number }): Promise<Page> {
	const context = await browser.newContext({ viewport, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
	const page = await context.newPage();
	await gotoBoard(page, serverUrl, board);
	await waitConnected(page);
	return page;
}

/** Two animation frames: every input event sent before has been handled (Chrome delivers moves once a frame). */
const frames = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
const camera = (page: Page) => page.evaluate(() => window.__boardwalk!.camera());
const undoButton = (page: Page) => page.getByRole('button', { name: 'Undo (Ctrl+Z)' });

for (const device of DEVICES) {
	test.describe(`touch on a ${device.name} (${device.viewport.width}×${device.viewport.height})`, () => {
		let page: Page;
		let hand: Hand;
		test.beforeEach(async ({ browser, server, boardId }) => {
			page = await openOn(browser, server.url, boardId, device.viewport);
			hand = await Hand.on(page);
		});
		test.afterEach(async () => {
			await page.context().close();
		});

		const mid = () => [device.viewport.width / 2, device.viewport.height / 2] as const;
		/** A rectangle drawn with one finger, from and to these offsets from the middle of the screen. */
		async function fingerRect(from: Finger = [-100, -100], to: Finger = [0, 0]): Promise<ShapeInfo> {
			const [cx, cy] = mid();
			const start: Finger = [cx + from[0], cy + from[1]];
			await page.keyboard.press('r');
			await hand.start(start);
			await hand.move([start], [[cx + to[0], cy + to[1]]]);
			await hand.end();
			await expectShapeCount(page, 1);
			return (await shapes(page))[0]!;
		}

		test('one finger draws with the active tool', async () => {
			const rect = await fingerRect([-80, -80], [40, 20]);
			expect(rect).toMatchObject({ type: 'rect', w: 120, h: 100 });
		});

		test('two fingers pan the camera and draw nothing, even with the pen tool', async () => {
			const [cx, cy] = mid();
			await page.keyboard.press('p');
			const before = await camera(page);
			const a: Finger = [cx - 60, cy];
			const b: Finger = [cx + 60, cy];
			// The first finger lands and moves a little before the second: a stroke had begun.
			await hand.start(a);
			await hand.move([a], [[a[0] + 10, a[1] + 5]], 2);
			await hand.start([a[0] + 10, a[1] + 5], b);
			await hand.move(
				[
					[a[0] + 10, a[1] + 5],
					[b[0], b[1]]
				],
				[
					[a[0] + 90, a[1] + 65],
					[b[0] + 80, b[1] + 60]
				]
			);
			// The fingers' centre moved by (80, 60); Chrome hands moves over once a frame, so wait for the last.
			await expect.poll(async () => (await camera(page)).x - before.x).toBeCloseTo(80);
			const panned = await camera(page);
			expect(panned.y - before.y).toBeCloseTo(60);
			// One finger lifts; the other moves on, and neither draws nor pans until it lifts too.
			await hand.lift(1, [b[0] + 80, b[1] + 60]);
			const left: Finger = [a[0] + 90, a[1] + 65];
			await hand.move([left], [[left[0] - 100, left[1] + 80]], 6);
			await hand.end();
			await frames(page);
			expect(await camera(page)).toEqual(panned);
			// Lifted and lifted again: the fingers drew nothing, and left nothing to undo.
			expect(await shapes(page)).toEqual([]);
			await expect(undoButton(page)).toBeDisabled();
		});

		test('a pinch zooms and draws nothing', async () => {
			const [cx, cy] = mid();
			await page.keyboard.press('r');
			const before = await camera(page);
			await hand.start([cx - 40, cy]);
			await hand.start([cx - 40, cy], [cx + 40, cy]);
			await hand.move(
				[
					[cx - 40, cy],
					[cx + 40, cy]
				],
				[
					[cx - 120, cy],
					[cx + 120, cy]
				]
			);
			await hand.end();
			await expect.poll(async () => (await camera(page)).zoom).toBeGreaterThan(before.zoom * 2.5);
			expect(await shapes(page)).toEqual([]);
			await expect(undoButton(page)).toBeDisabled();
		});

		test('a tap selects a shape, even a few pixels beside its outline', async () => {
			const [cx, cy] = mid();
			const rect = await fingerRect([-50, -50], [50, 50]);
			// Tap the empty canvas: nothing selected.
			await hand.tap([cx, cy + 200]);
			await expect.poll(() => selection(page)).toEqual([]);
			// 9 px outside the left edge: out of a mouse's reach (6 px), inside a finger's.
			const edge = await toClient(page, rect!.x, rect!.y + rect!.h! / 2);
			await hand.tap([edge.x - 9, edge.y]);
			await expect.poll(() => selection(page)).toEqual([rect!.id]);
		});

		test('resize handles are finger-sized: a press beside the corner handle still resizes', async () => {
			const rect = await fingerRect();
			// The bottom-right handle's centre (the Transformer pads the box by 4 px), pressed 9 px down and right of it:
			// outside the handle as drawn for a mouse (9 px), inside a finger's target.
			const corner = await toClient(page, rect!.x + rect!.w!, rect!.y + rect!.h!);
			const from: Finger = [corner.x + 4 + 9, corner.y + 4 + 9];
			await hand.start(from);
			await hand.move([from], [[from[0] + 60, from[1] + 40]]);
			await hand.end();
			await expect.poll(async () => Math.round((await shapes(page))[0]!.w!)).toBe(160);
			expect(Math.round((await shapes(page))[0]!.h!)).toBe(140);
		});

		test('a second finger turns a handle drag into a pinch and takes the resize back', async () => {
			const rect = await fingerRect();
			const corner = await toClient(page, rect!.x + rect!.w!, rect!.y + rect!.h!);
			const from: Finger = [corner.x + 4, corner.y + 4];
			const moved: Finger = [from[0] + 40, from[1] + 30];
			await hand.start(from);
			await hand.move([from], [moved], 4);
			await expect.poll(async () => Math.round((await shapes(page))[0]!.w!)).toBeGreaterThan(100);
			// Below and left of the shape, clear of the panels on every size.
			const [cx, cy] = mid();
			const other: Finger = [cx - 120, cy + 150];
			await hand.start(moved, other);
			await hand.move([moved, other], [[moved[0] + 30, moved[1] + 30], [other[0] - 30, other[1] + 30]], 4);
			await hand.end();
			await expect.poll(async () => Math.round((await shapes(page))[0]!.w!)).toBe(100);
			expect(Math.round((await shapes(page))[0]!.h!)).toBe(100);
			await expect(page.getByRole('button', { name: 'Undo (Ctrl+Z)' })).toBeEnabled();
			// The one undo step left is the drawing of the rectangle.
			await page.keyboard.press('Control+z');
			await expectShapeCount(page, 0);
		});

		test('a long press opens the context menu, leaves nothing behind, and its commands work', async () => {
			const [cx, cy] = mid();
			const rect = await fingerRect([-50, -50], [50, 50]);
			// With the pen tool, a finger held on the empty canvas: a menu, not a dot.
			await page.keyboard.press('p');
			await hand.start([cx, cy + 250]);
			const menu = page.getByRole('menu');
			await expect(menu).toBeVisible();
			await hand.end();
			await expect(menu.getByRole('menuitem', { name: /Select all/ })).toBeVisible();
			expect(await shapes(page)).toHaveLength(1);
			await page.keyboard.press('Escape');
			await expect(menu).toBeHidden();

			// Held on the rectangle's outline: it is selected and the menu is the selection's.
			const edge = await toClient(page, rect!.x, rect!.y + rect!.h! / 2);
			await hand.start([edge.x, edge.y]);
			await expect(menu).toBeVisible();
			await hand.end();
			await expect.poll(() => selection(page)).toEqual([rect!.id]);
			const box = await menu.boundingBox();
			expect(box!.x).toBeGreaterThanOrEqual(0);
			expect(box!.x + box!.width).toBeLessThanOrEqual(device.viewport.width);
			expect(box!.y + box!.height).toBeLessThanOrEqual(device.viewport.height);
			await page.screenshot({ path: `test-results/context-menu-${device.name}.png` });
			await menu.getByRole('menuitem', { name: /Duplicate/ }).tap();
			await expectShapeCount(page, 2);
			await expect(menu).toBeHidden();

			await hand.start([edge.x, edge.y]);
			await expect(menu).toBeVisible();
			await hand.end();
			await menu.getByRole('menuitem', { name: /Delete/ }).tap();
			await expectShapeCount(page, 1);
		});
	});
}

test.describe('pen', () => {
	test('a pen draws with its pressure, a mouse without; fingers are ignored while the pen is down', async ({ browser, server, boardId }) => {
		const page = await openOn(browser, server.url, boardId, { width: 820, height: 1180 });
		const cdp = await page.context().newCDPSession(page);
		const hand = new Hand(cdp);
		const pen = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number, y: number, force: number) =>
			cdp.send('Input.dispatchMouseEvent', {
				type,
				x,
				y,
				button: 'left',
				buttons: type === 'mouseReleased' ? 0 : 1,
				clickCount: 1,
				pointerType: 'pen',
				force
			});
		await page.keyboard.press('p');
		// Right of the style panel, which a tablet shows on the left while the pen is picked.
		// The side of the hand touches down just before the pen, and starts a stroke of its own.
		await hand.start([600, 700]);
		await hand.move([[600, 700]], [[620, 720]], 3);
		await pen('mousePressed', 350, 300, 0.1);
		// More of the palm lands and drags while the pen draws: no pinch, no stroke.
		await hand.start([620, 720], [700, 760]);
		await hand.move(
			[
				[620, 720],
				[700, 760]
			],
			[
				[650, 800],
				[760, 820]
			],
			4
		);
		for (let i = 1; i <= 20; i++) await pen('mouseMoved', 350 + i * 15, 300, 0.1 + (0.8 * i) / 20);
		await hand.end();
		await pen('mouseReleased', 650, 300, 0);
		await expectShapeCount(page, 1);
		const [stroke] = (await shapes(page)) as unknown as { type: string; x: number; points: number[]; pressures?: number[] }[];
		expect(stroke!.type).toBe('pen');
		const pressures = stroke!.pressures ?? [];
		expect(pressures.length).toBe(stroke!.points.length / 2);
		expect(Math.max(...pressures) - Math.min(...pressures)).toBeGreaterThan(0.5);
		// Every point is on the pen's line, none where the palm went.
		for (let i = 1; i < stroke!.points.length; i += 2) expect(Math.abs(stroke!.points[i]!)).toBeLessThan(2);

		// A mouse reports 0.5 throughout: simulated pressure, so no pressures stored.
		await page.keyboard.press('p');
		await page.mouse.move(350, 500);
		await page.mouse.down();
		await page.mouse.move(600, 520, { steps: 10 });
		await page.mouse.up();
		await expectShapeCount(page, 2);
		const mouseStroke = (await shapes(page))[1] as unknown as { pressures?: number[] };
		expect(mouseStroke.pressures).toBeUndefined();
		await page.context().close();
	});
});

test('right click opens the context menu: it selects the shape, runs commands by keyboard, Escape closes it', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	const prevented = page.evaluate(
		() => new Promise<boolean>((resolve) => window.addEventListener('contextmenu', (e) => resolve(e.defaultPrevented), { once: true }))
	);
	await page.keyboard.press('r');
	await page.mouse.move(500, 300);
	await page.mouse.down();
	await page.mouse.move(700, 450, { steps: 6 });
	await page.mouse.up();
	await expectShapeCount(page, 1);
	const [rect] = await shapes(page);
	await page.keyboard.press('Escape');
	await expect.poll(() => selection(page)).toEqual([]);

	await page.mouse.click(500, 380, { button: 'right' });
	// The browser's own menu is suppressed on the canvas.
	expect(await prevented).toBe(true);
	const menu = page.getByRole('menu');
	await expect(menu).toBeVisible();
	await expect.poll(() => selection(page)).toEqual([rect!.id]);
	// Shortcuts from the registry beside each row.
	await expect(menu.getByRole('menuitem', { name: /Duplicate/ })).toContainText('Ctrl+D');
	await expect(menu.getByRole('menuitem', { name: /Delete/ })).toContainText('Delete');
	await expect(menu.getByRole('menuitem').first()).toBeFocused();
	await page.screenshot({ path: 'test-results/context-menu-desktop.png' });
	// Arrow keys move through the rows (wrapping, the board's nudge does not run), Enter runs one.
	await page.keyboard.press('ArrowUp');
	await expect(menu.getByRole('menuitem', { name: /Delete/ })).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await expect(menu.getByRole('menuitem', { name: /Duplicate/ })).toBeFocused();
	await page.keyboard.press('Enter');
	await expectShapeCount(page, 2);
	await expect(menu).toBeHidden();
	expect((await shapes(page))[0]).toMatchObject({ x: rect!.x, y: rect!.y });

	// On the empty canvas: the canvas's commands; Escape closes and the keys are the board's again.
	await page.mouse.click(200, 650, { button: 'right' });
	await expect(menu).toBeVisible();
	await expect(menu.getByRole('menuitem', { name: /Select all/ })).toBeVisible();
	await expect(menu.getByRole('menuitem', { name: /Delete/ })).toHaveCount(0);
	await page.keyboard.press('Escape');
	await expect(menu).toBeHidden();
	// The keyboard is the board's again: on the canvas the click focused, not on a menu row.
	expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('application');
	await page.keyboard.press('Control+a');
	await expect.poll(async () => (await selection(page)).length).toBe(2);
	// Near the bottom-right corner the menu opens up and to the left, inside the window.
	await page.mouse.click(1270, 790, { button: 'right' });
	const box = await menu.boundingBox();
	expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
	expect(box!.y + box!.height).toBeLessThanOrEqual(800);
});
