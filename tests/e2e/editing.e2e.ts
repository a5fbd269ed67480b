// Editing syncs: move, resize, restyle and delete in A show up in B; undo only takes back one's own changes.
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, openTwo, selection, shapes, toClient, types, waitConnected } from './board.ts';

test('moving, resizing, restyling and deleting a shape in A syncs to B', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('r');
	await drag(a, [300, 200], [400, 300]);
	await expectShapeCount(b, 1);
	const [created] = await shapes(a);

	// Move: grab the outline (the rectangle is not filled) and drag it 100 px right.
	await a.keyboard.press('Escape');
	const edge = await toClient(a, created!.x, created!.y + 50);
	await drag(a, [edge.x, edge.y], [edge.x + 100, edge.y + 40]);
	await expect.poll(async () => (await shapes(b))[0]).toMatchObject({ x: created!.x + 100, y: created!.y + 40 });

	// Resize: the Transformer's bottom-right handle sits just outside the corner.
	const [moved] = await shapes(a);
	const corner = await toClient(a, moved!.x + moved!.w!, moved!.y + moved!.h!);
	await drag(a, [corner.x + 4, corner.y + 4], [corner.x + 54, corner.y + 24]);
	await expect.poll(async () => Math.round((await shapes(b))[0]!.w!)).toBe(150);
	await expect.poll(async () => Math.round((await shapes(b))[0]!.h!)).toBe(120);

	// Style: the panel applies to the selection.
	await a.getByRole('button', { name: 'Stroke colour: Red' }).click();
	await a.getByRole('button', { name: 'Fill: Blue' }).click();
	await expect.poll(async () => (await shapes(b))[0]).toMatchObject({ stroke: '#e03131', fill: '#a5d8ff' });

	// Arrow keys nudge (Shift = 10 px).
	const before = (await shapes(a))[0]!;
	await a.keyboard.press('Shift+ArrowRight');
	await a.keyboard.press('ArrowDown');
	await expect.poll(async () => (await shapes(b))[0]).toMatchObject({ x: before.x + 10, y: before.y + 1 });

	await a.keyboard.press('Delete');
	await expectShapeCount(a, 0);
	await expectShapeCount(b, 0);
});

test("A's undo removes A's change and not B's; redo brings it back", async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('r');
	await drag(a, [300, 200], [400, 300]);
	await expectShapeCount(b, 1);
	await b.keyboard.press('o');
	await drag(b, [600, 200], [700, 300]);
	await expect.poll(() => types(a)).toEqual(['rect', 'ellipse']);

	await a.keyboard.press('Control+z');
	await expect.poll(() => types(a)).toEqual(['ellipse']);
	await expect.poll(() => types(b)).toEqual(['ellipse']);
	await expectShapeCount(b, 1);

	await a.keyboard.press('Control+Shift+z');
	await expect.poll(() => types(b)).toEqual(['rect', 'ellipse']);
	await a.keyboard.press('Control+z');
	await a.keyboard.press('Control+y');
	await expect.poll(() => types(b)).toEqual(['rect', 'ellipse']);
});

test('a whole drag is one undo step', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await page.keyboard.press('r');
	await drag(page, [300, 200], [400, 300]);
	await page.keyboard.press('Escape');
	const [shape] = await shapes(page);
	const edge = await toClient(page, shape!.x, shape!.y + 50);
	await drag(page, [edge.x, edge.y], [edge.x + 200, edge.y], 20);
	await expect.poll(async () => (await shapes(page))[0]!.x).toBe(shape!.x + 200);
	await page.keyboard.press('Control+z');
	await expect.poll(async () => (await shapes(page))[0]!.x).toBe(shape!.x);
});

test('select with a marquee, Ctrl+A, duplicate with Ctrl+D and reorder with ] and [', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	await page.keyboard.press('r');
	await drag(page, [300, 200], [400, 300]);
	await page.keyboard.press('o');
	await drag(page, [500, 200], [600, 300]);
	await page.keyboard.press('Escape');
	expect(await selection(page)).toEqual([]);

	// A second marquee from the same point straight away (well inside the double-click time) is a marquee,
	// not a double-click that starts a text.
	await drag(page, [250, 150], [450, 350], 2);
	await drag(page, [250, 150], [450, 350], 2);
	const [rect, ellipse] = await shapes(page);
	await expect.poll(() => selection(page)).toEqual([rect!.id]);
	await expect(page.getByRole('textbox', { name: /text/i })).toHaveCount(0);

	await page.keyboard.press('Control+a');
	await expect.poll(() => selection(page)).toHaveLength(2);

	await page.keyboard.press('Escape');
	await expect.poll(() => selection(page)).toEqual([]);
	await drag(page, [250, 150], [450, 350]);
	await expect.poll(() => selection(page)).toEqual([rect!.id]);
	await page.keyboard.press('Control+d');
	await expect.poll(() => types(page)).toEqual(['rect', 'ellipse', 'rect']);

	// The duplicate is selected and on top; [ sends it below the ellipse, ] brings it back.
	await page.keyboard.press('[');
	await expect.poll(() => types(page)).toEqual(['rect', 'rect', 'ellipse']);
	await page.keyboard.press(']');
	await expect.poll(() => types(page)).toEqual(['rect', 'ellipse', 'rect']);
	expect((await shapes(page))[1]!.id).toBe(ellipse!.id);
});

test("a peer's move repaints only the moved shape's node", async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	for (let i = 0; i < 5; i++) {
		await a.keyboard.press('r');
		await drag(a, [300 + i * 120, 200], [400 + i * 120, 300]);
	}
	await expectShapeCount(b, 5);
	await a.keyboard.press('Escape');
	const before = await b.evaluate(() => window.__boardwalk!.renderStats());
	const [first] = await shapes(a);
	// A nudge is exactly one small transaction on one shape.
	await a.mouse.click(300, 250);
	await a.keyboard.press('ArrowRight');
	await expect.poll(async () => (await shapes(b))[0]!.x).toBe(first!.x + 1);
	const after = await b.evaluate(() => window.__boardwalk!.renderStats());
	expect(after.created - before.created).toBe(0);
	expect(after.destroyed - before.destroyed).toBe(0);
	expect(after.updated - before.updated).toBe(1);
});

test('a drag in progress reaches the other person before the mouse is released', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('r');
	await drag(a, [300, 200], [400, 300]);
	await expectShapeCount(b, 1);
	// Deselect, so the press lands on the outline and not on the resize handle drawn over it.
	await a.keyboard.press('Escape');
	const [shape] = await shapes(a);
	const edge = await toClient(a, shape!.x, shape!.y + 50);
	await a.mouse.move(edge.x, edge.y);
	await a.mouse.down();
	await a.mouse.move(edge.x + 150, edge.y, { steps: 10 });
	await expect.poll(async () => (await shapes(b))[0]!.x).toBe(shape!.x + 150);
	expect(await a.evaluate(() => window.__boardwalk!.toolState())).toBe('select.translating');
	await a.mouse.up();
});
