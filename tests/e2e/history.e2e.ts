// Version history in the page, against the real server: save a named version, delete shapes, preview the
// version (the deleted shapes drawn again and outlined, the live board syncing behind), restore it (a second
// tab sees it; Ctrl+Z undoes it in one step), and a view-link tab that cannot restore and sees history only
// when an editor allows it.
import type { Browser, Page } from '@playwright/test';
import { VERSION_MARK_COLOURS } from '../../src/lib/canvas/version-view.ts';
import { drag, expectShapeCount, openTwo, selection, shapes, toClient, waitConnected } from './board.ts';
import { editLink, expect, test, tokenOf } from './fixtures.ts';

const panel = (page: Page) => page.getByRole('complementary', { name: 'Version history' });
const banner = (page: Page) => page.getByRole('region', { name: 'Version preview' });
const versionPreview = (page: Page) => page.evaluate(() => window.__boardwalk!.versionPreview());
const saved = (page: Page) => expect.poll(() => page.evaluate(() => window.__boardwalk!.saveState())).toBe('saved');
const toolButtons = (page: Page) =>
	page.getByRole('toolbar', { name: 'Tools' }).getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
const ids = async (page: Page) => (await shapes(page)).map((s) => s.id).sort();

async function drawRect(page: Page, x: number, y: number): Promise<void> {
	await page.keyboard.press('r');
	await drag(page, [x, y], [x + 80, y + 60]);
	await page.keyboard.press('Escape');
}

async function saveVersion(page: Page, name: string): Promise<void> {
	await saved(page);
	await panel(page).getByRole('button', { name: 'Save version…' }).click();
	await panel(page).getByRole('textbox', { name: 'Version name' }).fill(name);
	await panel(page).getByRole('button', { name: 'Save', exact: true }).click();
	await expect(panel(page).getByRole('listitem').filter({ hasText: name })).toContainText('Named');
}

async function newPage(browser: Browser, url: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await page.goto(url);
	return page;
}

test('a named version previewed with its deleted shapes outlined, restored for everyone, and undone in one step', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	for (const x of [400, 550, 700]) await drawRect(a, x, 300);
	await expectShapeCount(b, 3);
	const original = await ids(a);

	await a.keyboard.press('Control+Shift+H');
	await expect(panel(a)).toBeVisible();
	await saveVersion(a, 'Three boxes');
	await panel(a).getByRole('button', { name: 'Close version history' }).click();

	// Two of the three go.
	const [first, second] = (await shapes(a)).slice(0, 2);
	for (const shape of [first!, second!]) {
		const edge = await toClient(a, shape.x, shape.y + 30);
		await a.mouse.click(edge.x, edge.y);
		await expect.poll(() => selection(a)).toEqual([shape.id]);
		await a.keyboard.press('Delete');
	}
	await expectShapeCount(b, 1);
	await saved(a);

	// The preview draws the version (three shapes), the two deleted ones outlined in green.
	await a.getByRole('button', { name: 'Version history (Ctrl+Shift+H)' }).click();
	await panel(a).getByRole('button', { name: /Three boxes/ }).click();
	await expect(banner(a)).toContainText('Viewing version of');
	await expect(banner(a)).toContainText('Deleted since (2)');
	await expect.poll(() => versionPreview(a)).toEqual({ nodes: 3, marks: { [VERSION_MARK_COLOURS.onlyInVersion]: 2 } });
	// Read-only while previewing: no drawing tools.
	await expect.poll(() => toolButtons(a)).toEqual(['Select (V)', 'Hand (H)']);

	// The live board keeps syncing behind: a shape drawn meanwhile is outlined as added since.
	await drawRect(b, 500, 500);
	await expect.poll(async () => (await shapes(a)).length).toBe(2);
	await expect.poll(() => versionPreview(a)).toEqual({
		nodes: 3,
		marks: { [VERSION_MARK_COLOURS.onlyInVersion]: 2, [VERSION_MARK_COLOURS.onlyOnBoard]: 1 }
	});
	await saved(b);
	const beforeRestore = await ids(a);

	await banner(a).getByRole('button', { name: 'Restore this version' }).click();
	await expect(banner(a)).toBeHidden();
	expect(await versionPreview(a)).toBeNull();
	await expect.poll(() => ids(a)).toEqual(original);
	await expect.poll(() => ids(b)).toEqual(original);
	await expectShapeCount(b, 3);
	// The board before the restore is a version of its own.
	await expect(panel(a).getByRole('listitem').filter({ hasText: 'Before a restore' }).first()).toBeVisible();
	await expect.poll(() => toolButtons(a)).toHaveLength(11);

	// One Ctrl+Z takes the whole restore back, for everyone.
	await panel(a).getByRole('button', { name: 'Close version history' }).click();
	await a.keyboard.press('Control+z');
	await expect.poll(() => ids(a)).toEqual(beforeRestore);
	await expect.poll(() => ids(b)).toEqual(beforeRestore);
});

test('a view-link tab sees history only when an editor allows it, and can never restore', async ({ openBoard, boardId, server, browser }) => {
	const editor = await openBoard();
	await waitConnected(editor);
	await drawRect(editor, 500, 300);
	await editor.keyboard.press('Control+Shift+H');
	await saveVersion(editor, 'For viewers');

	const editToken = tokenOf(await editLink(server.url, boardId));
	const accessAnswer = await fetch(`${server.url}/api/boards/${boardId}/access`, { headers: { Authorization: `Bearer ${editToken}` } });
	const { links } = (await accessAnswer.json()) as { links: { view: string } };
	const viewer = await newPage(browser, links.view);
	await waitConnected(viewer);
	await expectShapeCount(viewer, 1);

	// Hidden by default: the panel says so, and offers nothing to save.
	await viewer.getByRole('button', { name: 'Version history (Ctrl+Shift+H)' }).click();
	await expect(panel(viewer).getByRole('alert')).toContainText('hidden');
	await expect(panel(viewer).getByRole('button', { name: 'Save version…' })).toHaveCount(0);

	// Allowed: the viewer browses and previews, without a Restore button.
	await panel(editor).getByRole('checkbox', { name: 'People with the view link can browse history' }).check();
	await expect(panel(editor).getByRole('checkbox', { name: 'People with the view link can browse history' })).toBeChecked();
	await viewer.getByRole('button', { name: 'Version history (Ctrl+Shift+H)' }).click();
	await viewer.getByRole('button', { name: 'Version history (Ctrl+Shift+H)' }).click();
	await panel(viewer).getByRole('button', { name: /For viewers/ }).click();
	await expect(banner(viewer)).toContainText('Viewing version of');
	await expect.poll(async () => (await versionPreview(viewer))?.nodes).toBe(1);
	await expect(banner(viewer).getByRole('button', { name: /Restore/ })).toHaveCount(0);
	await expect(panel(viewer).getByRole('button', { name: 'Rename' })).toHaveCount(0);
	await banner(viewer).getByRole('button', { name: 'Back to the board' }).click();
	await expect(banner(viewer)).toBeHidden();

	// And the API refuses the viewer's before-restore version as it would any write.
	const viewToken = tokenOf(links.view);
	const refused = await fetch(`${server.url}/api/boards/${boardId}/versions`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${viewToken}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ reason: 'before-restore' })
	});
	expect(refused.status).toBe(403);
});
