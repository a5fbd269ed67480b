// A way back to your boards: titles shared by everyone on a board and shown in the tab, the home page's list of the
// boards this browser opened (most recent first, with titles and thumbnails), New board, and the pages for invalid
// board links and unknown addresses.
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { drag, expectShapeCount, pickTool, waitConnected } from './board.ts';
import { expect, gotoBoard, test } from './fixtures.ts';

const EDIT_LINK = /\/b\/[A-Za-z0-9_-]{10,}#t=e[A-Za-z0-9_-]{22}$/;
const cards = (page: Page) => page.getByRole('list', { name: 'Your boards' }).getByRole('listitem');

async function rename(page: Page, title: string): Promise<void> {
	await page.getByRole('button', { name: /^Board title: .*Rename$/ }).click();
	const field = page.getByRole('textbox', { name: 'Board title' });
	await field.fill(title);
	await field.press('Enter');
}

test('a title is shared with everyone on the board and names the tab', async ({ openBoard }) => {
	const a = await openBoard();
	const b = await openBoard();
	await Promise.all([waitConnected(a), waitConnected(b)]);
	await expect(b).toHaveTitle('Untitled board · Boardwalk');
	await rename(a, '  Q3   roadmap ');
	await expect(a).toHaveTitle('Q3 roadmap · Boardwalk');
	await expect(b.getByRole('button', { name: 'Board title: Q3 roadmap. Rename' })).toBeVisible();
	await expect(b).toHaveTitle('Q3 roadmap · Boardwalk');
	// Escape leaves the title as it was.
	await b.getByRole('button', { name: /^Board title/ }).click();
	await b.getByRole('textbox', { name: 'Board title' }).fill('Not this');
	await b.getByRole('textbox', { name: 'Board title' }).press('Escape');
	await expect(b).toHaveTitle('Q3 roadmap · Boardwalk');
	await expect(a).toHaveTitle('Q3 roadmap · Boardwalk');
	// A viewer sees it, and cannot rename it.
	await b.evaluate(() => window.__boardwalk!.viewOnly());
	await expect(b.getByRole('heading', { name: 'Board title: Q3 roadmap' })).toBeVisible();
	await expect(b.getByRole('button', { name: /^Board title/ })).toHaveCount(0);
});

test('home lists the boards this browser opened, most recent first, with titles and thumbnails; a card opens its board', async ({
	openBoard,
	server
}) => {
	const page = await openBoard();
	await waitConnected(page);
	const first = new URL(page.url());
	await pickTool(page, 'Rectangle (R)');
	await drag(page, [300, 200], [700, 500]);
	await expectShapeCount(page, 1);
	await rename(page, 'Plans');

	const second = `e2e${randomBytes(9).toString('base64url')}`;
	await gotoBoard(page, server.url, second);
	await waitConnected(page);

	await page.goto(server.url);
	await expect(page).toHaveTitle('Your boards · Boardwalk');
	await expect(cards(page)).toHaveCount(2);
	await expect(cards(page).nth(0)).toContainText('Untitled board');
	await expect(cards(page).nth(1)).toContainText('Plans');
	for (const i of [0, 1]) await expect(cards(page).nth(i).locator('img')).toHaveAttribute('src', /^data:image\/(png|jpeg);base64,/);
	// The picture shows the board: the rectangle's dark outline is in the first board's, not in the empty one's.
	const dark = await cards(page).locator('img').evaluateAll((imgs) =>
		imgs.map((img) => {
			const image = img as HTMLImageElement;
			const canvas = document.createElement('canvas');
			[canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
			const context = canvas.getContext('2d')!;
			context.drawImage(image, 0, 0);
			const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
			let count = 0;
			for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! < 500) count++;
			return count;
		})
	);
	expect(dark[0]).toBe(0);
	expect(dark[1]).toBeGreaterThan(200);

	await cards(page).nth(1).getByRole('link', { name: 'Open Plans' }).click();
	await expect(page).toHaveURL(first.href);
	await waitConnected(page);
	await expect(page).toHaveTitle('Plans · Boardwalk');
	await expectShapeCount(page, 1);

	// Reopened, it is the most recent; the brand leads home.
	await page.getByRole('link', { name: 'Boardwalk: your boards' }).click();
	await expect(cards(page).nth(0)).toContainText('Plans');
});

test('home invites to create a board, New board opens one, and a board can be taken off the list', async ({ browser, server }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(server.url);
	await expect(page.getByRole('heading', { name: 'Start your first board' })).toBeVisible();
	await page.getByRole('link', { name: 'New board' }).click();
	await expect(page).toHaveURL(EDIT_LINK);
	await waitConnected(page);
	const link = page.url();

	await page.goto(server.url);
	await expect(cards(page)).toHaveCount(1);
	await expect(cards(page).getByRole('link', { name: 'Open Untitled board' })).toHaveAttribute('href', new URL(link).pathname + new URL(link).hash);
	await cards(page).getByRole('button', { name: 'Remove Untitled board from this list' }).click();
	await expect(page.getByRole('heading', { name: 'Start your first board' })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Start your first board' })).toBeVisible();
	await context.close();
});

test('an invalid board link says so and offers a new board instead of a board that never connects', async ({ page, server }) => {
	for (const name of ['a.b', encodeURIComponent('😀'), 'x'.repeat(65)]) {
		await page.goto(`${server.url}/b/${name}`);
		await expect(page.getByRole('heading', { name: 'This is not a valid board link' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'New board' })).toBeVisible();
		expect(await page.evaluate(() => window.__boardwalk === undefined)).toBe(true);
	}
	await page.getByRole('link', { name: 'New board' }).click();
	await expect(page).toHaveURL(EDIT_LINK);
	await page.goto(server.url);
	await expect(cards(page)).toHaveCount(1);
});

test('an unknown address shows the 404 page, which leads home', async ({ page, server }) => {
	const response = await page.goto(`${server.url}/no/such/page`);
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await page.getByRole('link', { name: 'Go to your boards' }).click();
	await expect(page).toHaveURL(`${server.url}/`);
	await expect(page.getByRole('heading', { name: 'Start your first board' })).toBeVisible();
});
