// View-only mode in the page (the UI half; the server's refusal of a viewer's writes has its own tests):
// no drawing tools, style panel, history or handles, and no key, paste or drag that changes the board;
// panning, zooming, selecting and copying still work. The page is put in view-only mode through the
// test hook, so its socket can still write: anything the UI let through would reach the other tabs.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, openTwo, pixel, selection, shapes, toClient, waitConnected, type ShapeInfo } from './board.ts';

const camera = (page: Page) => page.evaluate(() => window.__boardwalk!.camera());
const toolState = (page: Page) => page.evaluate(() => window.__boardwalk!.toolState());
const viewOnly = (page: Page) => page.evaluate(() => window.__boardwalk!.viewOnly());

/** The names of the toolbar's buttons. */
const toolButtons = (page: Page) =>
	page.getByRole('toolbar', { name: 'Tools' }).getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));

/**
 * What the server holds once `page` has nothing unsent: its save state is the server's answer to a
 * question asked after its last change, and a person arriving afterwards syncs from the server.
 */
async function serverShapes(page: Page, openBoard: () => Promise<Page>): Promise<ShapeInfo[]> {
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.saveState())).toBe('saved');
	const newcomer = await openBoard();
	await waitConnected(newcomer);
	return shapes(newcomer);
}

/** A 100×100 rectangle at (300, 200) drawn by `editor`, seen by `viewer`, selected by neither. */
async function oneRect(editor: Page, viewer: Page): Promise<ShapeInfo> {
	await editor.keyboard.press('r');
	await drag(editor, [300, 200], [400, 300]);
	await editor.keyboard.press('Escape');
	await expectShapeCount(viewer, 1);
	await expect.poll(() => selection(editor)).toEqual([]);
	return (await shapes(viewer))[0]!;
}

test('a view-only page offers only looking: select, hand, View only; no style panel, history or handles', async ({ openBoard }) => {
	const [editor, viewer] = await openTwo(openBoard);
	const rect = await oneRect(editor, viewer);
	const edge = await toClient(viewer, rect.x, rect.y + 50);
	const handle = await toClient(viewer, rect.x + rect.w! + 4, rect.y + rect.h! + 4);

	// As an editor first: everything is there, and the selection has its resize handles.
	await viewer.mouse.click(edge.x, edge.y);
	await expect.poll(() => selection(viewer)).toEqual([rect.id]);
	await expect(viewer.getByRole('complementary', { name: 'Style' })).toBeVisible();
	await expect(viewer.getByRole('group', { name: 'History' })).toBeVisible();
	await expect(viewer.getByRole('status', { name: /^Save state/ })).toBeVisible();
	await expect.poll(() => toolButtons(viewer)).toHaveLength(11);
	await expect.poll(() => pixel(viewer, handle.x, handle.y)).toEqual([255, 255, 255]);

	await viewOnly(viewer);
	await expect(viewer.getByRole('status', { name: 'View only' })).toBeVisible();
	await expect(viewer.getByRole('status', { name: /^Save state/ })).toHaveCount(0);
	await expect.poll(() => toolButtons(viewer)).toEqual(['Select (V)', 'Hand (H)']);
	await expect(viewer.getByRole('complementary', { name: 'Style' })).toHaveCount(0);
	await expect(viewer.getByRole('group', { name: 'History' })).toHaveCount(0);
	// Still selected, to look at (outlined), but without handles.
	expect(await selection(viewer)).toEqual([rect.id]);
	await expect.poll(() => pixel(viewer, handle.x, handle.y)).not.toEqual([255, 255, 255]);

	// The shortcut list names only what works.
	await viewer.keyboard.press('?');
	const dialog = viewer.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByText('Select all')).toBeVisible();
	await expect(dialog.getByText('Copy', { exact: true })).toBeVisible();
	for (const gone of ['Rectangle', 'Undo / redo', 'Delete', 'Duplicate', 'Nudge (10 px with Shift)', 'Bring forward / send backward']) {
		await expect(dialog.getByText(gone, { exact: true })).toHaveCount(0);
	}
	await viewer.keyboard.press('Escape');
	await expect(dialog).toBeHidden();

	// Renaming yourself is presence, not the board: it stays.
	await viewer.getByRole('button', { name: /\(you\): change your name$/ }).click();
	await expect(viewer.getByRole('textbox', { name: 'Your name' })).toBeEditable();
});

test('no key, paste, drag or double-click of a view-only page changes the board', async ({ openBoard }) => {
	const [editor, viewer] = await openTwo(openBoard);
	const rect = await oneRect(editor, viewer);
	const before = await shapes(editor);
	await viewOnly(viewer);
	await expect(viewer.getByRole('status', { name: 'View only' })).toBeVisible();

	const edge = await toClient(viewer, rect.x, rect.y + 50);
	const corner = await toClient(viewer, rect.x + rect.w!, rect.y + rect.h!);
	await viewer.mouse.click(edge.x, edge.y);
	await expect.poll(() => selection(viewer)).toEqual([rect.id]);

	// Copying is looking: it works, and fills the clipboard for the Ctrl+V below.
	await viewer.keyboard.press('Control+c');
	await expect.poll(async () => JSON.parse(await viewer.evaluate(() => navigator.clipboard.readText())).shapes).toHaveLength(1);

	for (const key of ['Delete', 'Backspace', 'Control+d', 'Control+x', 'Control+v', 'ArrowRight', 'Shift+ArrowDown', ']', '[', 'Control+z', 'Control+Shift+z', 'Control+y']) {
		await viewer.keyboard.press(key);
	}
	for (const key of ['r', 'o', 'p', 'd', 'l', 'a', 't', 'n', 'e']) {
		await viewer.keyboard.press(key);
		expect(await toolState(viewer), key).toBe('select.idle');
	}
	// A move, a resize at the corner handle's place, a drag on empty canvas, and a double-click then typing.
	await drag(viewer, [edge.x, edge.y], [edge.x + 150, edge.y + 60]);
	await drag(viewer, [corner.x + 4, corner.y + 4], [corner.x + 80, corner.y + 60]);
	await drag(viewer, [700, 500], [800, 600]);
	await viewer.mouse.dblclick(900, 300);
	await viewer.keyboard.type('hello');
	await viewer.keyboard.press('Escape');
	await expect(viewer.getByRole('textbox', { name: 'Text' })).toHaveCount(0);

	expect(await shapes(viewer)).toEqual(before);
	expect(await serverShapes(viewer, openBoard)).toEqual(before);
	expect(await shapes(editor)).toEqual(before);
});

test('a view-only page still pans and zooms', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await viewOnly(page);
	await expect(page.getByRole('status', { name: 'View only' })).toBeVisible();

	await page.keyboard.press('h');
	await drag(page, [600, 400], [700, 450]);
	await expect.poll(() => camera(page)).toMatchObject({ x: 100, y: 50, zoom: 1 });
	await page.keyboard.press('v');
	await page.keyboard.down(' ');
	await drag(page, [600, 400], [500, 400]);
	await page.keyboard.up(' ');
	await expect.poll(() => camera(page)).toMatchObject({ x: 0, y: 50 });
	await page.mouse.move(600, 400);
	await page.mouse.wheel(0, 120);
	await expect.poll(() => camera(page)).toMatchObject({ x: 0, y: -70 });

	await page.keyboard.press('+');
	await expect.poll(async () => (await camera(page)).zoom).toBeCloseTo(1.25);
	await page.getByRole('button', { name: /^Zoom out/ }).click();
	await expect.poll(async () => (await camera(page)).zoom).toBeCloseTo(1);
	await page.mouse.move(600, 400);
	await page.keyboard.down('Control');
	await page.mouse.wheel(0, -200);
	await page.keyboard.up('Control');
	await expect.poll(async () => (await camera(page)).zoom).toBeGreaterThan(1);
});

test('losing the right mid-drag stops the move where it was written', async ({ openBoard }) => {
	const [page, other] = await openTwo(openBoard);
	const rect = await oneRect(page, other);
	const edge = await toClient(page, rect.x, rect.y + 50);

	// A move: under way, then the right goes, then the pointer travels on and lets go.
	await page.mouse.move(edge.x, edge.y);
	await page.mouse.down();
	await page.mouse.move(edge.x + 40, edge.y, { steps: 4 });
	await expect.poll(async () => (await shapes(other))[0]!.x).toBeGreaterThan(rect.x);
	await viewOnly(page);
	await page.mouse.move(edge.x + 300, edge.y + 100, { steps: 6 });
	await page.mouse.up();
	expect(await toolState(page)).toBe('select.idle');
	const [moved] = await serverShapes(page, openBoard);
	expect(moved!.x).toBeLessThanOrEqual(rect.x + 40);
	expect(moved!.y).toBe(rect.y);
	expect((await shapes(page))[0]).toEqual(moved);
	await expect.poll(async () => (await shapes(other))[0]).toEqual(moved);
});

test('losing the right mid-resize stops the Transformer where it was written', async ({ openBoard }) => {
	const [page, other] = await openTwo(openBoard);
	const rect = await oneRect(page, other);
	const edge = await toClient(page, rect.x, rect.y + 50);
	await page.mouse.click(edge.x, edge.y);
	await expect.poll(() => selection(page)).toEqual([rect.id]);
	const corner = await toClient(page, rect.x + rect.w!, rect.y + rect.h!);

	await page.mouse.move(corner.x + 4, corner.y + 4);
	await page.mouse.down();
	await page.mouse.move(corner.x + 44, corner.y + 4, { steps: 4 });
	await expect.poll(async () => (await shapes(other))[0]!.w).toBeGreaterThan(rect.w!);
	await viewOnly(page);
	await page.mouse.move(corner.x + 300, corner.y + 200, { steps: 6 });
	await page.mouse.up();
	const [resized] = await serverShapes(page, openBoard);
	expect(resized!.w).toBeLessThanOrEqual(rect.w! + 40);
	expect(resized!.h).toBeCloseTo(rect.h!);
	expect((await shapes(page))[0]).toEqual(resized);
	await expect.poll(async () => (await shapes(other))[0]).toEqual(resized);
	// The canvas shows the shape as stored, not as the handle last left it: its top edge ends where the doc says.
	const top = await toClient(page, resized!.x + resized!.w!, resized!.y);
	await expect.poll(() => pixel(page, top.x - 10, top.y)).not.toBeNull();
	expect(await pixel(page, top.x + 20, top.y)).toBeNull();
});

test('a view-only page’s context menu, by right click or Shift+F10, offers only what writes nothing', async ({ openBoard }) => {
	const [editor, viewer] = await openTwo(openBoard);
	const rect = await oneRect(editor, viewer);
	await viewOnly(viewer);
	await expect(viewer.getByRole('status', { name: 'View only' })).toBeVisible();
	const edge = await toClient(viewer, rect.x, rect.y + 50);
	await viewer.mouse.click(edge.x, edge.y, { button: 'right' });
	const menu = viewer.getByRole('menu', { name: 'Selection' });
	await expect(menu).toBeVisible();
	const items = await menu.getByRole('menuitem').allInnerTexts();
	expect(items.some((t) => t.startsWith('Copy'))).toBe(true);
	for (const writes of ['Cut', 'Paste', 'Duplicate', 'Delete', 'Bring forward', 'Send backward'])
		expect(items.some((t) => t.startsWith(writes)), writes).toBe(false);
	await viewer.keyboard.press('Escape');
	await expect(menu).toBeHidden();
	// From the keyboard, at the selection: the same menu, and the selection kept.
	await viewer.keyboard.press('Shift+F10');
	await expect(menu).toBeVisible();
	expect(await selection(viewer)).toEqual([rect.id]);
});
