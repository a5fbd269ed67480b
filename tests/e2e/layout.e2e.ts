// Every screen, every hand: at each width from 320 to 1920 px the chrome is all there, on screen, reachable
// and never overlapping; going offline shows one message with a steady countdown and moves nothing; the
// theme toggle turns the board dark, is remembered, and is applied before the first paint.
import type { Browser, BrowserContextOptions, Locator, Page } from '@playwright/test';
import { test, expect, gotoBoard } from './fixtures.ts';
import { waitConnected } from './board.ts';

type Box = { x: number; y: number; width: number; height: number };

interface Screen {
	width: number;
	height: number;
	/** Touch screen (coarse pointer): 44 px targets. */
	touch: boolean;
	/** A phone: the tools are the bottom dock. */
	phone: boolean;
}

const SCREENS: Screen[] = [
	{ width: 320, height: 640, touch: true, phone: true },
	{ width: 360, height: 740, touch: true, phone: true },
	{ width: 390, height: 844, touch: true, phone: true },
	{ width: 768, height: 1024, touch: true, phone: false },
	{ width: 820, height: 1180, touch: true, phone: false },
	{ width: 1024, height: 768, touch: true, phone: false },
	{ width: 1024, height: 768, touch: false, phone: false },
	{ width: 1280, height: 800, touch: false, phone: false },
	{ width: 1920, height: 1080, touch: false, phone: false }
];

function contextOptions(screen: Screen): BrowserContextOptions {
	return {
		viewport: { width: screen.width, height: screen.height },
		hasTouch: screen.touch,
		isMobile: screen.phone
	};
}

async function person(browser: Browser, serverUrl: string, board: string, screen: Screen): Promise<Page> {
	const page = await (await browser.newContext(contextOptions(screen))).newPage();
	await gotoBoard(page, serverUrl, board);
	await waitConnected(page);
	return page;
}

/** The chrome's parts, by name. The state badges are measured by the place they keep (as wide as their widest words). */
function chrome(page: Page) {
	return {
		brand: page.getByRole('link', { name: 'Boardwalk: your boards' }),
		title: page.getByRole('button', { name: /^Board title/ }),
		toolbar: page.getByRole('toolbar', { name: 'Tools' }),
		people: page.getByRole('list', { name: /^People on this board/ }),
		'people count': page.getByRole('button', { name: /(person|people) here: show list/ }),
		versions: page.getByRole('button', { name: /^Version history/ }),
		export: page.getByRole('button', { name: /^Export image/ }),
		theme: page.getByRole('button', { name: /^Theme:/ }),
		share: page.getByRole('button', { name: 'Share' }),
		'save state': page.getByRole('status', { name: /^Save state/ }),
		connection: page.getByRole('status', { name: /^Connection/ }).locator('..'),
		zoom: page.getByRole('group', { name: 'Zoom' }),
		undo: page.getByRole('group', { name: 'History' }),
		help: page.getByRole('button', { name: /^Keyboard shortcuts/ })
	} satisfies Record<string, Locator>;
}

async function boxOf(locator: Locator, name: string): Promise<Box> {
	const box = await locator.boundingBox();
	if (!box) throw new Error(`${name} has no box`);
	return box;
}

const overlap = (a: Box, b: Box) =>
	Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;

function expectInside(box: Box, screen: Screen, name: string) {
	expect(box.x, `${name} left edge`).toBeGreaterThanOrEqual(0);
	expect(box.y, `${name} top edge`).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width, `${name} right edge`).toBeLessThanOrEqual(screen.width + 0.5);
	expect(box.y + box.height, `${name} bottom edge`).toBeLessThanOrEqual(screen.height + 0.5);
}

/** Nothing covers the element's centre: a tap there reaches it. */
async function expectReachable(locator: Locator, name: string) {
	const reached = await locator.evaluate((el) => {
		const r = el.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return hit !== null && (el === hit || el.contains(hit));
	});
	expect(reached, `${name} is reachable at its centre`).toBe(true);
}

for (const screen of SCREENS) {
	const label = `${screen.width}×${screen.height}${screen.touch ? ' touch' : ''}`;
	test(`at ${label} Share, every tool, people, save and connection state and help are on screen, reachable and apart`, async ({
		browser,
		server,
		boardId
	}) => {
		const page = await person(browser, server.url, boardId, screen);
		const other = await person(browser, server.url, boardId, screen);
		await expect(page.getByTestId('presence-count')).toHaveText('2');

		const parts = chrome(page);
		const boxes: Record<string, Box> = {};
		for (const [name, locator] of Object.entries(parts)) {
			await expect(locator, `${name} is visible`).toBeVisible();
			boxes[name] = await boxOf(locator, name);
			expectInside(boxes[name]!, screen, name);
			if (name !== 'toolbar' && name !== 'people' && name !== 'zoom' && name !== 'undo') await expectReachable(locator, name);
		}
		const names = Object.keys(boxes);
		for (let i = 0; i < names.length; i++)
			for (let j = i + 1; j < names.length; j++)
				expect(overlap(boxes[names[i]!]!, boxes[names[j]!]!), `${names[i]} and ${names[j]} overlap`).toBe(false);

		// Every tool: scrolled into view (the phone's dock scrolls), inside the toolbar's visible part, on screen, reachable.
		const tools = parts.toolbar.getByRole('button');
		expect(await tools.count()).toBeGreaterThanOrEqual(11);
		for (const tool of await tools.all()) {
			const name = (await tool.getAttribute('aria-label')) ?? '?';
			await tool.evaluate((el) => el.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
			await expect(tool, `${name} is visible`).toBeVisible();
			const box = await boxOf(tool, name);
			const bar = await boxOf(parts.toolbar, 'toolbar');
			expectInside(box, screen, name);
			expect(box.x, `${name} inside the toolbar`).toBeGreaterThanOrEqual(bar.x - 0.5);
			expect(box.x + box.width, `${name} inside the toolbar`).toBeLessThanOrEqual(bar.x + bar.width + 0.5);
			await expectReachable(tool, name);
			if (screen.touch) {
				expect(box.width, `${name} is finger-sized`).toBeGreaterThanOrEqual(44);
				expect(box.height, `${name} is finger-sized`).toBeGreaterThanOrEqual(44);
			}
		}
		if (screen.touch) {
			for (const name of ['share', 'help', 'versions', 'export', 'theme', 'title'] as const) {
				expect(boxes[name]!.height, `${name} is finger-sized`).toBeGreaterThanOrEqual(44);
				expect(boxes[name]!.width, `${name} is finger-sized`).toBeGreaterThanOrEqual(44);
			}
			for (const button of await parts.zoom.getByRole('button').all())
				expect((await boxOf(button, 'zoom button')).height).toBeGreaterThanOrEqual(44);
		}
		await other.context().close();
		await page.context().close();
	});
}

test('at every width from 320 to 1920 px (20 px steps) the chrome stays on screen and apart', async ({ browser, server, boardId }) => {
	test.setTimeout(180_000);
	const page = await person(browser, server.url, boardId, { width: 320, height: 720, touch: false, phone: false });
	const names = Object.keys(chrome(page));
	const elements = await Promise.all(Object.values(chrome(page)).map((locator) => locator.elementHandle()));
	for (let width = 320; width <= 1920; width += 20) {
		const screen = { width, height: 720, touch: false, phone: width <= 720 };
		await page.setViewportSize({ width, height: 720 });
		const boxes: Box[] = await page.evaluate(
			(els) =>
				els.map((el) => {
					const r = el!.getBoundingClientRect();
					return { x: r.x, y: r.y, width: r.width, height: r.height };
				}),
			elements
		);
		boxes.forEach((box, i) => expectInside(box, screen, `${names[i]} at ${width} px`));
		for (let i = 0; i < names.length; i++)
			for (let j = i + 1; j < names.length; j++)
				expect(overlap(boxes[i]!, boxes[j]!), `${names[i]} and ${names[j]} overlap at ${width} px`).toBe(false);
	}
	await page.context().close();
});

test('on a phone the style panel is a sheet: closed at first, opened by its button at the dock, closed by drawing', async ({
	browser,
	server,
	boardId
}) => {
	const page = await person(browser, server.url, boardId, SCREENS[2]!);
	const sheet = page.getByRole('complementary', { name: 'Style' });
	const toggle = page.getByRole('button', { name: 'Style', exact: true });
	await page.getByRole('button', { name: /^Rectangle/ }).click();
	await expect(toggle).toBeVisible();
	await expect(sheet).toBeHidden();
	await toggle.click();
	await expect(sheet).toBeVisible();
	const box = await boxOf(sheet, 'sheet');
	expectInside(box, SCREENS[2]!, 'sheet');
	expect(overlap(box, await boxOf(page.getByRole('toolbar', { name: 'Tools' }), 'dock'))).toBe(false);
	await sheet.getByRole('button', { name: 'Stroke colour: Red' }).click();
	await expect(sheet).toBeVisible();
	// Drawing on the board closes it.
	await page.mouse.move(100, 300);
	await page.mouse.down();
	await page.mouse.move(200, 400, { steps: 4 });
	await page.mouse.up();
	await expect(sheet).toBeHidden();
	await page.context().close();
});

for (const screen of [SCREENS[2]!, SCREENS[7]!]) {
	test(`at ${screen.width} px going offline shows one message with a countdown that ticks down, and moves nothing`, async ({
		browser,
		server,
		boardId
	}) => {
		const page = await person(browser, server.url, boardId, screen);
		const parts = chrome(page);
		const before: Record<string, Box> = {};
		for (const [name, locator] of Object.entries(parts)) before[name] = await boxOf(locator, name);

		await page.context().setOffline(true);
		const badge = page.getByRole('status', { name: 'Connection: Offline' });
		await expect(badge).toBeVisible({ timeout: 5_000 });
		const seconds = page.getByTestId('retry-seconds');
		// Wait for a retry far enough away to watch it count (the backoff doubles with each failed attempt).
		await expect.poll(async () => Number((await seconds.textContent({ timeout: 500 }).catch(() => '0')) ?? 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
		await page.evaluate(() => {
			const log: string[] = [];
			(window as unknown as { __ticks: string[] }).__ticks = log;
			const badge = document.querySelector('[aria-label="Connection: Offline"]')!;
			new MutationObserver(() => log.push(badge.querySelector('[data-testid="retry-seconds"]')?.textContent ?? '')).observe(badge, {
				subtree: true,
				characterData: true,
				childList: true
			});
		});
		const first = Number(await seconds.textContent());
		await expect(seconds).toHaveText(String(first - 1), { timeout: 1_500 });
		await expect(seconds).toHaveText(String(first - 2), { timeout: 1_500 });
		// One change a second, each one less, never blank.
		const ticks = await page.evaluate(() => (window as unknown as { __ticks: string[] }).__ticks);
		expect(ticks.filter((t, i) => t !== ticks[i - 1])).toEqual([String(first - 1), String(first - 2)]);

		// One message: the word "Offline" once on the page, said by the badge; the save state says where the changes are.
		const words = await page.evaluate(() => document.body.innerText);
		expect(words.match(/offline/gi)).toHaveLength(1);
		await expect(badge).toContainText(/Offline · retrying in \d+ s/);
		await expect(page.getByRole('status', { name: /^Save state/ })).not.toContainText(/offline/i);

		// Nothing moved or changed size, the header least of all.
		for (const [name, locator] of Object.entries(parts)) {
			const after = await boxOf(locator, name);
			expect(after, `${name} did not move`).toEqual(before[name]);
		}
		await page.context().setOffline(false);
		await expect(page.getByRole('status', { name: 'Connection: Connected' })).toBeVisible({ timeout: 15_000 });
		for (const [name, locator] of Object.entries(parts)) expect(await boxOf(locator, name), `${name} back in place`).toEqual(before[name]);
		await page.context().close();
	});
}

/** Each row's mean brightness (0–255) in a part of the screen as composited (CSS filters included). */
async function rowBrightness(page: Page, clip: Box): Promise<number[]> {
	const png = (await page.screenshot({ clip })).toString('base64');
	return page.evaluate(async (data) => {
		const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const ctx = canvas.getContext('2d')!;
		ctx.drawImage(bitmap, 0, 0);
		const { data: px, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
		const rows: number[] = [];
		for (let y = 0; y < height; y++) {
			let sum = 0;
			for (let x = 0; x < width; x++) sum += (px[(y * width + x) * 4]! + px[(y * width + x) * 4 + 1]! + px[(y * width + x) * 4 + 2]!) / 3;
			rows.push(sum / width);
		}
		return rows;
	}, png);
}

/** The mean brightness of a part of the screen. */
async function brightness(page: Page, clip: Box): Promise<number> {
	const rows = await rowBrightness(page, clip);
	return rows.reduce((a, b) => a + b, 0) / rows.length;
}

/** The brightest row's mean brightness in a clip: a thin line drawn there. */
async function brightestRow(page: Page, clip: Box): Promise<number> {
	return Math.max(...(await rowBrightness(page, clip)));
}

test('the theme toggle turns the board dark before the first paint, is remembered, and leaves the shapes as stored', async ({
	browser,
	server,
	boardId
}) => {
	const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	// The theme <html> has when the first frame is drawn: the page is never painted in the other one (no flash).
	await context.addInitScript(() => {
		requestAnimationFrame(() => {
			(window as unknown as { __firstFrameTheme: string | null }).__firstFrameTheme = document.documentElement.getAttribute('data-theme');
		});
	});
	await gotoBoard(page, server.url, boardId);
	await waitConnected(page);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	const empty = { x: 600, y: 600, width: 120, height: 60 };
	expect(await brightness(page, empty)).toBeGreaterThan(200);

	// A line in the default ink, dark on the light board.
	await page.keyboard.press('l');
	await page.mouse.move(560, 500);
	await page.mouse.down();
	await page.mouse.move(760, 500, { steps: 5 });
	await page.mouse.up();
	await page.keyboard.press('Escape');
	await page.keyboard.press('Escape');
	const line = { x: 600, y: 490, width: 120, height: 20 };
	const stored = await page.evaluate(() => window.__boardwalk!.shapes().map((s) => s.stroke));
	expect(stored).toEqual(['#1e1e1e']);

	const toggle = page.getByRole('button', { name: /^Theme:/ });
	await expect(toggle).toHaveAccessibleName(/^Theme: System/);
	await toggle.click();
	await expect(toggle).toHaveAccessibleName(/^Theme: Light/);
	await toggle.click();
	await expect(toggle).toHaveAccessibleName(/^Theme: Dark/);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect.poll(() => brightness(page, empty)).toBeLessThan(40);
	// The line is light on the dark board; the stored colour is unchanged.
	expect(await brightestRow(page, line)).toBeGreaterThan(150);
	expect(await page.evaluate(() => window.__boardwalk!.shapes().map((s) => s.stroke))).toEqual(stored);
	// The chrome is dark too.
	const panel = await page.getByRole('toolbar', { name: 'Tools' }).evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(panel).toBe('rgb(35, 35, 41)');

	await page.reload();
	await waitConnected(page);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect(page.getByRole('button', { name: /^Theme:/ })).toHaveAccessibleName(/^Theme: Dark/);
	expect(await page.evaluate(() => (window as unknown as { __firstFrameTheme: string | null }).__firstFrameTheme)).toBe('dark');
	await expect.poll(() => brightness(page, empty)).toBeLessThan(40);

	// System follows the system's preference.
	await page.getByRole('button', { name: /^Theme:/ }).click();
	await expect(page.getByRole('button', { name: /^Theme:/ })).toHaveAccessibleName(/^Theme: System/);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	await page.emulateMedia({ colorScheme: 'dark' });
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await context.close();
});
