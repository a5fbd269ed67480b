// Every tool creates its shape in one person's tab, and the other person's tab shows (and paints) it.
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, openTwo, pickTool, shapes, types, waitConnected } from './board.ts';

test('each drawing tool creates its shape in A and it appears in B', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);

	await pickTool(a, 'Rectangle (R)');
	await drag(a, [300, 200], [420, 300]);
	await a.keyboard.press('o');
	await drag(a, [500, 200], [620, 300]);
	await a.keyboard.press('l');
	await drag(a, [300, 380], [450, 420]);
	await a.keyboard.press('a');
	await drag(a, [500, 380], [650, 440]);
	await a.keyboard.press('p');
	await drag(a, [300, 500], [420, 560], 15);
	await a.keyboard.press('t');
	await a.mouse.click(500, 520);
	await a.keyboard.type('Hello from A');
	await a.keyboard.press('Escape');
	await a.keyboard.press('n');
	await a.mouse.click(800, 300);
	await a.keyboard.type('Sticky from A');
	await a.keyboard.press('Escape');

	const expected = ['rect', 'ellipse', 'line', 'arrow', 'pen', 'text', 'sticky'];
	await expect.poll(() => types(a)).toEqual(expected);
	await expect.poll(() => types(b)).toEqual(expected);
	await expectShapeCount(b, expected.length);

	const remote = await shapes(b);
	expect(remote.find((s) => s.type === 'text')?.text).toBe('Hello from A');
	expect(remote.find((s) => s.type === 'sticky')?.text).toBe('Sticky from A');
	expect(remote.find((s) => s.type === 'rect')).toMatchObject({ w: 120, h: 100 });
});

test('the eraser removes what it sweeps over, for everyone', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('l');
	await drag(a, [300, 300], [500, 300]);
	await expectShapeCount(b, 1);

	await pickTool(a, 'Eraser (E)');
	await drag(a, [400, 250], [400, 350]);
	await expectShapeCount(a, 0);
	await expectShapeCount(b, 0);
});

test('a stroke in progress reaches the other person before the pen lifts', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('p');
	await a.mouse.move(300, 300);
	await a.mouse.down();
	for (let i = 1; i <= 10; i++) await a.mouse.move(300 + i * 20, 300 + (i % 2) * 20);
	// Still pressed: B already has the stroke with several points.
	await expect
		.poll(async () => {
			const [stroke] = (await shapes(b)) as unknown as { points: number[] }[];
			return stroke ? stroke.points.length / 2 : 0;
		})
		.toBeGreaterThan(3);
	await a.mouse.up();
});

test('the toolbar names every tool with its key and highlights the active one', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	for (const name of ['Select (V)', 'Hand (H)', 'Pen (P)', 'Rectangle (R)', 'Ellipse (O)', 'Line (L)', 'Arrow (A)', 'Text (T)', 'Sticky note (N)', 'Eraser (E)']) {
		await expect(page.getByRole('button', { name })).toBeVisible();
	}
	await page.keyboard.press('r');
	await expect(page.getByRole('button', { name: 'Rectangle (R)' })).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByRole('button', { name: 'Select (V)' })).toHaveAttribute('aria-pressed', 'false');
});

test('double-clicking a sticky note edits its text for everyone', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('n');
	await a.mouse.click(600, 400);
	await a.keyboard.type('First');
	await a.keyboard.press('Escape');
	await expect.poll(async () => (await shapes(b))[0]?.text).toBe('First');

	await a.mouse.dblclick(600, 400);
	await expect(a.getByRole('textbox', { name: 'Sticky note text' })).toBeFocused();
	await a.keyboard.press('End');
	await a.keyboard.type(' and second');
	// Typing reaches B before the edit is finished.
	await expect.poll(async () => (await shapes(b))[0]?.text).toBe('First and second');
	await a.keyboard.press('Escape');
	await expect(a.getByRole('textbox', { name: 'Sticky note text' })).toHaveCount(0);
	await expectShapeCount(b, 1);
});

test('double-clicking empty canvas starts a text there; a drag then a quick click does not', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	// A marquee followed at once by a click where it began: two presses, but only one was a click.
	await drag(a, [300, 300], [500, 400], 2);
	await a.mouse.click(300, 300);
	await expect(a.getByRole('textbox', { name: 'Text' })).toHaveCount(0);

	await a.mouse.dblclick(600, 400);
	await expect(a.getByRole('textbox', { name: 'Text' })).toBeFocused();
	await a.keyboard.type('Hello');
	await a.keyboard.press('Escape');
	await expect.poll(async () => (await shapes(b))[0]?.text).toBe('Hello');
});

test('the shortcut list opens with ? or its button, lists the keys, and holds other keys until Escape', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await page.keyboard.press('Shift+?');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('definition').filter({ hasText: 'P' }).first()).toHaveText('P· D');
	await expect(dialog).toContainText('Ctrl+Z · Ctrl+Shift+Z · Ctrl+Y');
	await page.keyboard.press('r');
	await expect(page.getByRole('button', { name: 'Select (V)' })).toHaveAttribute('aria-pressed', 'true');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await page.keyboard.press('r');
	await expect(page.getByRole('button', { name: 'Rectangle (R)' })).toHaveAttribute('aria-pressed', 'true');
	await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click();
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(dialog).toBeHidden();
});
