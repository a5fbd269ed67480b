// The board by keyboard and assistive technology: the canvas is a named whiteboard, Tab walks its shapes
// (each announced by type and text through the one focused stand-in), arrows move, Enter types or places a
// shape, and a polite live region says when the connection changes, not when a change is saved.
import type { Locator, Page } from '@playwright/test';
import { test, expect, gotoBoard } from './fixtures.ts';
import { drag, shapes, toClient, waitConnected, type ShapeInfo } from './board.ts';

const canvas = (page: Page) => page.getByRole('application');
const focusedShape = (page: Page) => page.getByRole('option');
const announcer = (page: Page) => page.getByTestId('connection-announcer');
const saveState = (page: Page) => page.evaluate(() => window.__boardwalk?.saveState());

/** A sticky note reading `text`, placed with the mouse (typing ends with Escape). */
async function stickyWithMouse(page: Page, x: number, y: number, text: string): Promise<void> {
	await page.keyboard.press('n');
	const at = await toClient(page, x, y);
	await page.mouse.click(at.x, at.y);
	await expect(page.getByRole('textbox', { name: 'Sticky note text' })).toBeFocused();
	await page.keyboard.type(text);
	await page.keyboard.press('Escape');
}

/** A w×h rectangle dragged out from board point (x, y) (the camera starts at 100 % over the origin). */
async function rectWithMouse(page: Page, x: number, y: number, w: number, h: number): Promise<void> {
	await page.keyboard.press('r');
	const from = await toClient(page, x, y);
	const to = await toClient(page, x + w, y + h);
	await drag(page, [from.x, from.y], [to.x, to.y]);
}

async function shapeOfType(page: Page, type: string): Promise<ShapeInfo> {
	const found = (await shapes(page)).find((s) => s.type === type);
	if (!found) throw new Error(`no ${type} on the board`);
	return found;
}

/**
 * Puts the keyboard on the canvas. After mouse use Tab starts from where the mouse last pressed (the
 * browser's focus starting point), so tests that drew with the mouse focus it directly; the keyboard-only
 * test reaches it with Tab from the page's start.
 */
async function focusCanvas(page: Page): Promise<void> {
	await canvas(page).focus();
	await expect(canvas(page)).toBeFocused();
}

test('the canvas is a whiteboard named after the board and its shape count', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await expect(canvas(page)).toHaveAccessibleName('Untitled board, 0 shapes');
	await expect(canvas(page)).toHaveAttribute('aria-roledescription', 'whiteboard');
	await rectWithMouse(page, 600, 200, 120, 80);
	await expect(canvas(page)).toHaveAccessibleName('Untitled board, 1 shape');
});

test('Tab walks the shapes in reading order, announcing type and text; Escape and Tab past the last leave them', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	// The lower one drawn first: the order is where they are, not when they were drawn.
	await stickyWithMouse(page, 450, 450, 'Buy milk');
	await rectWithMouse(page, 700, 200, 120, 80);
	await focusCanvas(page);
	// Nothing selected (the rectangle just drawn was): Tab starts at the first shape.
	await page.keyboard.press('Escape');
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.selection())).toEqual([]);

	await page.keyboard.press('Tab');
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Rectangle 120 by 80');
	await expect(focusedShape(page)).toHaveAttribute('aria-posinset', '1');
	await expect(focusedShape(page)).toHaveAttribute('aria-setsize', '2');
	const rect = await shapeOfType(page, 'rect');
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.selection())).toEqual([rect.id]);

	await page.keyboard.press('Tab');
	await expect(focusedShape(page)).toHaveAccessibleName('Sticky note: Buy milk');
	await expect(focusedShape(page)).toBeFocused();
	const sticky = await shapeOfType(page, 'sticky');
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.selection())).toEqual([sticky.id]);
	// One stand-in at a time, however many shapes.
	await expect(focusedShape(page)).toHaveCount(1);

	await page.keyboard.press('Shift+Tab');
	await expect(focusedShape(page)).toHaveAccessibleName('Rectangle 120 by 80');
	await page.keyboard.press('Escape');
	await expect(canvas(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveCount(0);

	// No trap: past the last shape the focus goes on to the page's next control.
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await expect(focusedShape(page)).toHaveCount(0);
	expect(await page.evaluate(() => document.activeElement?.closest('[role="application"]') === null && document.activeElement !== document.body)).toBe(true);
});

test('after a click on a shape, Tab goes on to the next one in reading order and Shift+Tab back to the one before', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await rectWithMouse(page, 400, 200, 100, 80);
	await rectWithMouse(page, 600, 200, 120, 80);
	await rectWithMouse(page, 400, 450, 140, 80);
	await page.keyboard.press('Escape');

	// A click on its outline (unfilled) selects the middle one in reading order, and puts the keyboard on the canvas.
	const middle = await toClient(page, 600, 240);
	await page.mouse.click(middle.x, middle.y);
	await expect(canvas(page)).toBeFocused();
	await expect.poll(async () => (await page.evaluate(() => window.__boardwalk!.selection())).length).toBe(1);

	await page.keyboard.press('Tab');
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Rectangle 140 by 80');
	await expect(focusedShape(page)).toHaveAttribute('aria-posinset', '3');

	await page.mouse.click(middle.x, middle.y);
	await expect(canvas(page)).toBeFocused();
	await page.keyboard.press('Shift+Tab');
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Rectangle 100 by 80');
	await expect(focusedShape(page)).toHaveAttribute('aria-posinset', '1');
});

test('arrow keys move the focused shape (Shift: 10 px), and Enter on a sticky note opens it for typing', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await stickyWithMouse(page, 500, 400, 'Buy milk');
	const before = await shapeOfType(page, 'sticky');
	await focusCanvas(page);
	await page.keyboard.press('Escape'); // nothing selected: Tab starts at the first shape
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.selection())).toEqual([]);
	await page.keyboard.press('Tab');
	await expect(focusedShape(page)).toHaveAccessibleName('Sticky note: Buy milk');

	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('Shift+ArrowDown');
	await expect.poll(async () => {
		const s = await shapeOfType(page, 'sticky');
		return [s.x - before.x, s.y - before.y];
	}).toEqual([2, 10]);
	await expect(focusedShape(page)).toBeFocused();

	await page.keyboard.press('Enter');
	const textbox = page.getByRole('textbox', { name: 'Sticky note text' });
	await expect(textbox).toBeFocused();
	await page.keyboard.press('End');
	await page.keyboard.type(' and eggs');
	await page.keyboard.press('Escape');
	await expect.poll(async () => (await shapeOfType(page, 'sticky')).text).toBe('Buy milk and eggs');
	// Typing done, the keyboard is back on the note.
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Sticky note: Buy milk and eggs');

	// Deleting the focused shape leaves the keyboard on the canvas, not lost on the page.
	await page.keyboard.press('Delete');
	await expect.poll(async () => (await shapes(page)).length).toBe(0);
	await expect(canvas(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveCount(0);
});

test('a shape can be made with the keyboard alone: a tool key, then Enter', async ({ openBoard }, testInfo) => {
	const page = await openBoard();
	await waitConnected(page);
	// The canvas is the page's first keyboard stop.
	await page.keyboard.press('Tab');
	await expect(canvas(page)).toBeFocused();

	await page.keyboard.press('r');
	await page.keyboard.press('Enter');
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Rectangle 100 by 100');
	const rect = await shapeOfType(page, 'rect');
	// In the middle of the view (1280×800 at 100 %).
	expect([rect.x + 50, rect.y + 50]).toEqual([640, 400]);
	await page.screenshot({ path: testInfo.outputPath('focused-rectangle-1280.png') });

	await page.keyboard.press('n');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('textbox', { name: 'Sticky note text' })).toBeFocused();
	await page.keyboard.type('Made by keyboard');
	await page.keyboard.press('Escape');
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Sticky note: Made by keyboard');
	await expect(canvas(page)).toHaveAccessibleName('Untitled board, 2 shapes');
});

/** Whether two page boxes overlap. */
function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
	return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
	const box = await locator.boundingBox();
	if (!box) throw new Error(`${String(locator)} is not shown`);
	return box;
}

test('on a phone, a shape reached with Tab is brought clear of the top bar, the dock and the zoom row', async ({ browser, server, boardId }, testInfo) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
	const page = await context.newPage();
	await gotoBoard(page, server.url, boardId);
	await waitConnected(page);
	await focusCanvas(page);
	// A rectangle placed mid-view, moved down 330 px: inside the window, but under the zoom row and the dock.
	await page.keyboard.press('r');
	await page.keyboard.press('Enter');
	await expect(focusedShape(page)).toBeFocused();
	for (let i = 0; i < 33; i++) await page.keyboard.press('Shift+ArrowDown');
	await expect.poll(async () => (await shapeOfType(page, 'rect')).y).toBe(422 - 50 + 330);
	const chrome = [page.getByRole('banner'), page.getByRole('toolbar', { name: 'Tools' }), page.getByRole('contentinfo')];
	const rect = await shapeOfType(page, 'rect');
	const onScreen = async () => {
		const from = await toClient(page, rect.x, rect.y);
		const to = await toClient(page, rect.x + rect.w!, rect.y + rect.h!);
		return { x: from.x, y: from.y, width: to.x - from.x, height: to.y - from.y };
	};
	expect(await onScreen()).toMatchObject({ y: 422 - 50 + 330 });
	// The keyboard back on the canvas, nothing selected, then Tab to the rectangle.
	await page.keyboard.press('Escape');
	await page.keyboard.press('Escape');
	await expect(focusedShape(page)).toHaveCount(0);
	await page.keyboard.press('Tab');
	await expect(focusedShape(page)).toBeFocused();
	await expect(focusedShape(page)).toHaveAccessibleName('Rectangle 100 by 100');

	await expect.poll(async () => {
		const shape = await onScreen();
		const covered = await Promise.all(chrome.map(async (piece) => overlaps(shape, await boxOf(piece))));
		return { covered, inWindow: shape.x >= 0 && shape.y >= 0 && shape.x + shape.width <= 390 && shape.y + shape.height <= 844 };
	}).toEqual({ covered: [false, false, false], inWindow: true });
	await page.screenshot({ path: testInfo.outputPath('tabbed-rectangle-phone.png') });
	await context.close();
});

test('the live region says when the connection is lost and back, and nothing on saves', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await rectWithMouse(page, 500, 200, 120, 80);
	await expect.poll(() => saveState(page)).toBe('saved');
	await rectWithMouse(page, 700, 200, 120, 80);
	await expect.poll(() => saveState(page)).toBe('saved');
	await expect(announcer(page)).toHaveText('');
	// Neither the save state nor the badge's countdown is a live region of its own.
	await expect(page.getByRole('status', { name: /^Save state:/ })).toHaveAttribute('aria-live', 'off');
	await expect(page.getByRole('status', { name: /^Connection:/ })).toHaveAttribute('aria-live', 'off');
	await expect(announcer(page)).toHaveAttribute('aria-live', 'polite');

	await page.context().setOffline(true);
	await expect(announcer(page)).toHaveText(/^Connection lost\. Retrying/);
	await page.context().setOffline(false);
	await expect(announcer(page)).toHaveText(/^Connected again/, { timeout: 15_000 });
});
