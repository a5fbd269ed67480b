// Text at its length limit: typing stops there and says so, a long paste is cut to fit with a message and
// wraps at a sensible width, and nothing typed vanishes or throws.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { shapes, waitConnected } from './board.ts';
import { MAX_TEXT_LENGTH } from '../../src/lib/shared/model/schema.ts';

/** PASTE_WRAP_WIDTH in src/lib/editor/text-limit.ts (which Playwright cannot load: it imports through `$lib`). */
const PASTE_WRAP_WIDTH = 600;

/** Collects the page's uncaught errors. */
function pageErrors(page: Page): Error[] {
	const errors: Error[] = [];
	page.on('pageerror', (error) => errors.push(error));
	return errors;
}

/** The editor's notice (other alerts, such as the connection's, are not it). */
const notice = (page: Page) => page.getByRole('alert').filter({ hasText: 'character' });

async function newTextBox(page: Page) {
	await page.keyboard.press('t');
	await page.mouse.click(300, 300);
	const box = page.getByRole('textbox', { name: 'Text' });
	await expect(box).toBeFocused();
	return box;
}

test('typing past the limit keeps exactly the limit and says so', async ({ openBoard }) => {
	const page = await openBoard();
	const errors = pageErrors(page);
	await waitConnected(page);
	const box = await newTextBox(page);
	await page.keyboard.insertText('a'.repeat(MAX_TEXT_LENGTH - 3));
	await expect(notice(page)).toHaveCount(0);
	await page.keyboard.type('bcdefg');
	await expect(box).toHaveValue('a'.repeat(MAX_TEXT_LENGTH - 3) + 'bcd');
	await expect(notice(page)).toContainText('limited to 20,000 characters');
	await page.keyboard.press('Escape');
	await expect(notice(page)).toHaveCount(0);
	await expect.poll(async () => (await shapes(page))[0]?.text?.length).toBe(MAX_TEXT_LENGTH);
	expect(errors).toEqual([]);
});

test('pasting 30,000 characters into a new text box keeps 20,000, says so and wraps', async ({ openBoard }) => {
	const page = await openBoard();
	const errors = pageErrors(page);
	await waitConnected(page);
	await page.evaluate((text) => navigator.clipboard.writeText(text), 'word '.repeat(6_000));
	const box = await newTextBox(page);
	await page.keyboard.press('ControlOrMeta+V');
	await expect(notice(page)).toContainText('10,000 characters over the 20,000-character limit were left out');
	await expect.poll(async () => (await box.inputValue()).length).toBe(MAX_TEXT_LENGTH);
	await page.keyboard.press('Escape');
	await expect.poll(async () => (await shapes(page))[0]?.text?.length).toBe(MAX_TEXT_LENGTH);
	expect((await shapes(page))[0]).toMatchObject({ type: 'text', w: PASTE_WRAP_WIDTH });
	expect(errors).toEqual([]);
});
