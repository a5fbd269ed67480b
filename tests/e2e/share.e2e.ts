// Sharing: the Share dialog's two links, a view-only tab that cannot change anything while it sees every change live,
// resetting a link (the tab using it is told, and so is anyone opening it later), and a host page handing a frame a token.
import type { Browser, Frame, Page } from '@playwright/test';
import { SignJWT } from 'jose';
import { CloseCode, describeCloseCode } from '../../src/lib/shared/wire.ts';
import { startServerProcess } from '../helpers/server-process.ts';
import { drag, expectShapeCount, shapes, toClient, waitConnected } from './board.ts';
import { expect, test } from './fixtures.ts';

const LINK_REVOKED = describeCloseCode(CloseCode.LinkRevoked);

async function newPage(browser: Browser, url: string): Promise<Page> {
	const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
	const page = await context.newPage();
	await page.goto(url);
	return page;
}

const shareDialog = (page: Page) => page.getByRole('dialog', { name: 'Share this board' });
const linkField = (page: Page, right: 'edit' | 'view') => shareDialog(page).getByRole('textbox', { name: right === 'edit' ? 'Can edit link' : 'Can view link' });
const access = (page: Page | Frame) => page.evaluate(() => window.__boardwalk?.access());
const status = (page: Page | Frame) => page.evaluate(() => window.__boardwalk?.status());

/** Opens the Share dialog and reads both links from it (the view link only, for a viewer). */
async function links(page: Page): Promise<{ edit: string | null; view: string }> {
	await page.getByRole('button', { name: 'Share' }).click();
	await expect(linkField(page, 'view')).toHaveValue(/#t=v/);
	const edit = (await linkField(page, 'edit').count()) ? await linkField(page, 'edit').inputValue() : null;
	const view = await linkField(page, 'view').inputValue();
	await page.keyboard.press('Escape');
	await expect(shareDialog(page)).toBeHidden();
	return { edit, view };
}

async function drawRect(page: Page, x: number, y: number): Promise<void> {
	await page.keyboard.press('r');
	await drag(page, [x, y], [x + 80, y + 60]);
	await page.keyboard.press('Escape');
}

async function resetLink(page: Page, right: 'edit' | 'view'): Promise<string> {
	const dialog = shareDialog(page);
	if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Share' }).click();
	const old = await linkField(page, right).inputValue();
	const row = dialog.getByRole('region', { name: right === 'edit' ? 'Can edit' : 'Can view' });
	await row.getByRole('button', { name: 'Reset link' }).click();
	await expect(row.getByText('Anyone using the old link loses access')).toBeVisible();
	await row.getByRole('button', { name: `Reset ${right} link` }).click();
	await expect(linkField(page, right)).not.toHaveValue(old);
	return linkField(page, right).inputValue();
}

test('the Share dialog shows an editor both links, copies each, closes on Escape and gives focus back', async ({ openBoard, boardId, server }) => {
	const page = await openBoard();
	await waitConnected(page);
	// The page claimed the new board: the address bar is its edit link.
	expect(page.url()).toMatch(new RegExp(`^${server.url}/b/${boardId}#t=e[A-Za-z0-9_-]{22}$`));

	const share = page.getByRole('button', { name: 'Share' });
	await share.click();
	const dialog = shareDialog(page);
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('heading', { name: 'Can edit' })).toBeVisible();
	await expect(dialog.getByRole('heading', { name: 'Can view' })).toBeVisible();
	await expect(linkField(page, 'edit')).toHaveValue(page.url());
	await expect(linkField(page, 'view')).toHaveValue(new RegExp(`^${server.url}/b/${boardId}#t=v[A-Za-z0-9_-]{22}$`));
	const view = await linkField(page, 'view').inputValue();

	await dialog.getByRole('button', { name: 'Copy the edit link' }).click();
	await expect(dialog.getByRole('button', { name: 'Copied the edit link' })).toHaveText('Copied');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
	await dialog.getByRole('button', { name: 'Copy the view link' }).click();
	await expect(dialog.getByRole('button', { name: 'Copied the view link' })).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(view);

	// Keys typed in the dialog are not the board's: Delete with a shape selected leaves it.
	await page.keyboard.press('Escape');
	await drawRect(page, 400, 300);
	await page.mouse.click(440, 300);
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.selection().length)).toBe(1);
	await share.click();
	await page.keyboard.press('Delete');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(share).toBeFocused();
	await expectShapeCount(page, 1);

	// A phone's width: the dialog fits, its copy buttons in reach.
	await page.setViewportSize({ width: 390, height: 844 });
	await share.click();
	const box = (await dialog.boundingBox())!;
	expect(box.x).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width).toBeLessThanOrEqual(390);
	const copy = (await dialog.getByRole('button', { name: 'Copy the view link' }).boundingBox())!;
	expect(copy.x + copy.width).toBeLessThanOrEqual(390);
});

test('the view link opens a tab that says View only and cannot change anything, while the editor’s changes appear in it live', async ({
	openBoard,
	browser
}) => {
	const editor = await openBoard();
	await waitConnected(editor);
	await drawRect(editor, 400, 300);
	await expectShapeCount(editor, 1);
	const { view } = await links(editor);

	const viewer = await newPage(browser, view);
	await waitConnected(viewer);
	await expectShapeCount(viewer, 1);
	expect(await access(viewer)).toBe('view');
	await expect(viewer.getByText('View only')).toBeVisible();
	// A viewer sees only the view link.
	const shared = await links(viewer);
	expect(shared).toEqual({ edit: null, view });
	const before = await shapes(editor);

	// Select the shape (looking is allowed), then try Delete, copy and paste, a drag and drawing.
	const [rect] = before;
	const edge = await toClient(viewer, rect!.x, rect!.y + rect!.h! / 2);
	await viewer.mouse.click(edge.x, edge.y);
	await viewer.keyboard.press('Delete');
	await viewer.keyboard.press('Control+c');
	await viewer.mouse.move(700, 500);
	await viewer.keyboard.press('Control+v');
	await drag(viewer, [edge.x, edge.y], [edge.x + 150, edge.y + 100]);
	await viewer.keyboard.press('r');
	await drag(viewer, [800, 200], [900, 260]);
	await viewer.keyboard.press('Control+z');

	// Presence still flows from a viewer: once the editor sees the viewer's new name, anything the viewer's
	// socket carried before it has reached the editor too (a connection's frames are handled in order).
	await viewer.getByRole('button', { name: /\(you\)/ }).click();
	await viewer.getByRole('textbox', { name: 'Your name' }).fill('Viewer done');
	await expect(editor.getByRole('button', { name: 'Follow Viewer done' })).toBeVisible();
	expect(await shapes(editor)).toEqual(before);
	expect(await shapes(viewer)).toEqual(before);

	// The editor's changes reach the view tab as they happen.
	await drawRect(editor, 400, 500);
	await expectShapeCount(viewer, 2);
	await editor.keyboard.press('Control+a');
	await editor.keyboard.press('Delete');
	await expectShapeCount(viewer, 0);
});

test('resetting the view link tells the tab using it, and anyone opening the old link, that it no longer works; resetting the edit link moves the editor to the new one', async ({
	openBoard,
	browser
}) => {
	const editor = await openBoard();
	await waitConnected(editor);
	await drawRect(editor, 400, 300);
	const old = await links(editor);
	const viewer = await newPage(browser, old.view);
	await waitConnected(viewer);
	await expectShapeCount(viewer, 1);

	const view = await resetLink(editor, 'view');
	expect(view).not.toBe(old.view);
	await expect(viewer.getByTestId('access-error')).toHaveText(LINK_REVOKED);
	await expect(viewer.getByRole('alert')).toContainText('This link does not open the board');
	// Not a spinner: the tab stopped, and still shows what it had.
	await expect(viewer.getByRole('status', { name: 'Connection: Disconnected' })).toBeVisible();
	expect(await status(viewer)).toBe('stopped');
	// Reloading would meet the same reset link: the badge offers no Reload.
	await expect(viewer.getByRole('button', { name: 'Reload' })).toHaveCount(0);
	await expectShapeCount(viewer, 1);

	const reopened = await newPage(browser, old.view);
	await expect(reopened.getByTestId('access-error')).toHaveText(LINK_REVOKED);
	expect(await status(reopened)).toBe('stopped');
	const fresh = await newPage(browser, view);
	await waitConnected(fresh);
	await expectShapeCount(fresh, 1);

	// The editor resets its own link: its address bar becomes the new edit link, and it keeps editing.
	const edit = await resetLink(editor, 'edit');
	expect(edit).not.toBe(old.edit);
	await expect.poll(() => editor.url()).toBe(edit);
	await editor.keyboard.press('Escape');
	await waitConnected(editor);
	await drawRect(editor, 600, 300);
	await expectShapeCount(fresh, 2);
	await expect(editor.getByRole('status', { name: 'Save state: All changes saved' })).toBeVisible();
	const oldEdit = await newPage(browser, old.edit!);
	await expect(oldEdit.getByTestId('access-error')).toHaveText(LINK_REVOKED);
	await expect(fresh.getByTestId('access-error')).toHaveCount(0);
});

test('a board claimed by someone else says it needs a link', async ({ openBoard, boardId, server, browser }) => {
	const owner = await openBoard();
	await waitConnected(owner);
	const stranger = await newPage(browser, `${server.url}/b/${boardId}`);
	await expect(stranger.getByTestId('access-error')).toHaveText('This board needs a link: ask someone who has it for theirs.');
	expect(await status(stranger)).toBe('stopped');
	await expect(stranger.getByRole('button', { name: 'Share' })).toHaveCount(0);
});

test('a host page hands the embedded board a new token with postMessage: it checks it and reconnects with it', async ({ openBoard, browser, server }) => {
	const editor = await openBoard();
	await waitConnected(editor);
	const { edit, view } = await links(editor);

	const host = await (await browser.newContext()).newPage();
	await host.goto(`${server.url}/healthz`);
	await host.evaluate((src) => {
		document.body.innerHTML = `<iframe src="${src}" style="position:fixed;inset:0;width:100%;height:100%;border:0"></iframe>`;
	}, view);
	const frame = await (await host.locator('iframe').elementHandle())!.contentFrame();
	await expect.poll(() => frame!.evaluate(() => window.__boardwalk?.status())).toBe('connected');
	expect(await access(frame!)).toBe('view');

	const token = new URL(edit!).hash.slice('#t='.length);
	await host.evaluate((t) => document.querySelector('iframe')!.contentWindow!.postMessage({ type: 'boardwalk:token', token: t }, '*'), token);
	await expect.poll(() => access(frame!)).toBe('edit');
	await expect.poll(() => status(frame!)).toBe('connected');
	expect(frame!.url()).toBe(edit);
	// The new socket carries the edit token: what the frame draws reaches the editor.
	await host.mouse.click(900, 600); // the frame takes the keys
	await host.keyboard.press('r');
	await drag(host, [500, 300], [600, 380]);
	await expectShapeCount(editor, 1);
});

test('a board embedded with a host application’s token: its name, no links, the host told a minute before expiry, and a fresh token taken', async ({ browser }) => {
	const secret = 'a-secret-the-host-application-shares-with-boardwalk';
	const own = await startServerProcess({ env: { AUTH: 'both', AUTH_JWT_SECRET: secret } });
	const sign = (claims: Record<string, unknown>, exp: number) =>
		new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
	try {
		const board = `hosted${Date.now()}`;
		// Expires in 62 s: the notice is due in about 2 s.
		const exp = Math.floor(Date.now() / 1000) + 62;
		const first = await sign({ board, access: 'edit', name: 'Ann Host', color: '#2f9e44' }, exp);
		const host = await (await browser.newContext()).newPage();
		await host.goto(`${own.url}/healthz`);
		await host.evaluate((src) => {
			const notices: unknown[] = [];
			(window as unknown as { notices: unknown[] }).notices = notices;
			addEventListener('message', (event) => notices.push(event.data));
			document.body.innerHTML = `<iframe src="${src}" style="position:fixed;inset:0;width:100%;height:100%;border:0"></iframe>`;
		}, `${own.url}/b/${board}#t=${first}`);
		const frame = (await (await host.locator('iframe').elementHandle())!.contentFrame())!;
		await expect.poll(() => status(frame)).toBe('connected');
		expect(await access(frame)).toBe('edit');

		// The name is the token's: shown, and not editable here.
		const me = frame.getByRole('button', { name: 'Ann Host (you)', exact: true });
		await expect(me).toBeVisible();
		await me.click();
		await expect(frame.getByRole('textbox', { name: 'Your name' })).toBeDisabled();
		await expect(frame.getByText('Set by the application you opened this board from.')).toBeVisible();
		await frame.getByRole('button', { name: 'Share' }).click();
		const dialog = frame.getByRole('dialog', { name: 'Share this board' });
		await expect(dialog).toContainText('manages who can see and edit it');
		await expect(dialog.getByRole('textbox')).toHaveCount(0);
		await dialog.getByRole('button', { name: 'Close' }).click();

		const notices = () => host.evaluate(() => (window as unknown as { notices: unknown[] }).notices);
		await expect.poll(notices, { timeout: 15_000 }).toContainEqual({ type: 'boardwalk:token-expiring', board, expiresAt: exp * 1000 });

		const fresh = await sign({ board, access: 'edit', name: 'Ann Renamed', color: '#2f9e44' }, exp + 3600);
		await host.evaluate((t) => document.querySelector('iframe')!.contentWindow!.postMessage({ type: 'boardwalk:token', token: t }, '*'), fresh);
		await expect(frame.getByRole('button', { name: 'Ann Renamed (you)', exact: true })).toBeVisible();
		await expect.poll(() => status(frame)).toBe('connected');
		expect(frame.url()).toBe(`${own.url}/b/${board}#t=${fresh}`);
	} finally {
		own.child.kill('SIGTERM');
		await own.exited;
	}
});
