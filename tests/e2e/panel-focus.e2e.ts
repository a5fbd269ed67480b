// Panel controls give the keyboard back to the board once the mouse has used them: Delete and Ctrl+Z act on
// the board right after dragging the opacity slider or clicking a swatch (src/lib/components/focus-return.ts).
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, selection, shapes, waitConnected } from './board.ts';
import type { Page } from '@playwright/test';

/** A fresh board with one selected rectangle on it. */
async function oneSelectedRect(openBoard: () => Promise<Page>): Promise<Page> {
	const page = await openBoard();
	await waitConnected(page);
	await page.keyboard.press('r');
	await drag(page, [500, 300], [620, 400]);
	await expect.poll(() => selection(page)).toHaveLength(1);
	return page;
}

/** Drags the opacity slider's thumb from its right end to 40 % of the track, as a person does. */
async function dragOpacity(page: Page): Promise<void> {
	const box = (await page.getByRole('slider', { name: 'Opacity' }).boundingBox())!;
	const y = box.y + box.height / 2;
	await drag(page, [box.x + box.width - 3, y], [box.x + box.width * 0.4, y]);
}

test('after dragging the opacity slider, Delete deletes the selected shape', async ({ openBoard }) => {
	const page = await oneSelectedRect(openBoard);
	await dragOpacity(page);
	await expect.poll(async () => (await shapes(page))[0]?.opacity).toBeLessThan(0.9);
	await expect(page.getByRole('slider', { name: 'Opacity' })).not.toBeFocused();

	await page.keyboard.press('Delete');
	await expectShapeCount(page, 0);
});

test('after dragging the opacity slider, Ctrl+Z undoes the opacity change', async ({ openBoard }) => {
	const page = await oneSelectedRect(openBoard);
	await dragOpacity(page);
	await expect.poll(async () => (await shapes(page))[0]?.opacity).toBeLessThan(0.9);

	await page.keyboard.press('Control+z');
	await expect.poll(async () => (await shapes(page))[0]?.opacity).toBe(1);
	await expectShapeCount(page, 1);
});

test('after clicking a colour swatch, Ctrl+Z undoes the colour change', async ({ openBoard }) => {
	const page = await oneSelectedRect(openBoard);
	const before = (await shapes(page))[0]!.stroke;
	const red = page.getByRole('button', { name: 'Stroke colour: Red' });
	await red.click();
	await expect.poll(async () => (await shapes(page))[0]?.stroke).toBe('#e03131');
	await expect(red).not.toBeFocused();

	await page.keyboard.press('Control+z');
	await expect.poll(async () => (await shapes(page))[0]?.stroke).toBe(before);
});

test('a slider reached with the keyboard keeps its keys: arrows change the opacity, Delete does not delete', async ({ openBoard }) => {
	const page = await oneSelectedRect(openBoard);
	const slider = page.getByRole('slider', { name: 'Opacity' });
	await slider.focus();
	await page.keyboard.press('ArrowLeft');
	await expect.poll(async () => (await shapes(page))[0]?.opacity).toBeLessThan(1);
	await expect(slider).toBeFocused();
	await page.keyboard.press('Delete');
	await expect(slider).toBeFocused();
	await expectShapeCount(page, 1);
});
