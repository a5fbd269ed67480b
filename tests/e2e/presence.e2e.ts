// Presence: people on one board see who is here, each other's named pointers, live work,
// selections and (on request) each other's view, all driven by mouse and keyboard.
import { test, expect } from './fixtures.ts';
import { drag, hexToRgbTuple, openTwo, pixel, shapes, nodeCount, toClient, waitConnected } from './board.ts';
import type { Page } from '@playwright/test';

interface Identity {
	name: string;
	color: string;
}

/** The name and colour a page shows its user in (as everyone else sees them), read from its own avatar. */
async function identity(page: Page): Promise<Identity> {
	const avatar = page.getByRole('button', { name: /\(you\): change your name/ });
	const [name, color] = await avatar.evaluate((el: HTMLElement) => [el.title.replace(/ \(you\)$/, ''), el.style.getPropertyValue('--peer')]);
	return { name: name!, color: color! };
}
const camera = (page: Page) => page.evaluate(() => window.__boardwalk!.camera());
const peopleList = (page: Page, count: number) => page.getByRole('list', { name: `People on this board: ${count}` });
/** Two people on one board who see each other (so each shows in its final colour). */
async function openPair(openBoard: (id?: string) => Promise<Page>): Promise<[Page, Page]> {
	const [a, b] = await openTwo(openBoard);
	await expect(peopleList(a, 2)).toBeVisible();
	await expect(peopleList(b, 2)).toBeVisible();
	return [a, b];
}

/** Someone's pointer as drawn on this page. */
const cursorOf = (page: Page, name: string) => page.locator(`.cursor[data-name="${name}"]`);

/** Where the tip of someone's pointer is drawn on this page (page coordinates), or null. */
async function cursorTip(page: Page, name: string): Promise<{ x: number; y: number } | null> {
	const box = await cursorOf(page, name).boundingBox();
	// The arrow's tip sits 3 px right and 2 px down from the element's corner (see Cursors.svelte).
	return box ? { x: box.x + 3, y: box.y + 2 } : null;
}

/** The board point under a page point, from the page's own camera (the board fills the window). */
async function boardPointAt(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
	const c = await camera(page);
	return { x: x / c.zoom - c.x, y: y / c.zoom - c.y };
}

test("A's pointer shows on B's screen at the same board point, with A's name in A's colour", async ({ openBoard }) => {
	const [a, b] = await openPair(openBoard);
	const me = await identity(a);

	// B looks at another part of the board, zoomed: screen positions differ, board positions must not.
	await b.mouse.move(640, 400);
	await b.mouse.wheel(180, 90);
	await b.keyboard.press('+');
	await expect.poll(async () => (await camera(b)).zoom).toBeGreaterThan(1);

	await a.mouse.move(300, 250);
	await a.mouse.move(520, 410, { steps: 10 });
	const target = await boardPointAt(a, 520, 410);
	const expected = await toClient(b, target.x, target.y);

	await expect(cursorOf(b, me.name)).toBeVisible();
	await expect(cursorOf(b, me.name)).toHaveText(me.name);
	await expect(cursorOf(b, me.name).locator('.label')).toHaveCSS('background-color', hexToRgb(me.color));
	await expect
		.poll(async () => {
			const tip = await cursorTip(b, me.name);
			return tip ? Math.max(Math.abs(tip.x - expected.x), Math.abs(tip.y - expected.y)) : Infinity;
		})
		.toBeLessThan(3);

	// Leaving the window takes the pointer off everyone's board.
	await a.mouse.move(-20, 300, { steps: 2 });
	await expect(cursorOf(b, me.name)).toHaveCount(0);
});

test('renaming yourself shows the new name to everyone at once, and is kept for the next visit', async ({ openBoard }) => {
	const [a, b] = await openPair(openBoard);
	const before = await identity(a);
	await a.mouse.move(400, 300, { steps: 3 });
	await expect(cursorOf(b, before.name)).toBeVisible();

	await a.getByRole('button', { name: /\(you\): change your name/ }).click();
	const field = a.getByRole('textbox', { name: /name/i });
	await expect(field).toBeFocused();
	await a.keyboard.press('Control+A');
	await a.keyboard.type('Ada Lovelace');
	await a.keyboard.press('Enter');

	await expect(cursorOf(b, 'Ada Lovelace')).toHaveText('Ada Lovelace');
	await expect(b.getByRole('button', { name: 'Follow Ada Lovelace' })).toHaveAttribute('title', /Ada Lovelace/);
	await expect(cursorOf(b, before.name)).toHaveCount(0);
	// Typing the name did not drive the board (no tool switched, nothing drawn).
	expect(await shapes(a)).toEqual([]);

	await a.reload();
	await waitConnected(a);
	await expect(a.getByRole('button', { name: 'Ada Lovelace (you): change your name' })).toBeVisible();
	await expect(b.getByRole('button', { name: 'Follow Ada Lovelace' })).toBeVisible();
});

test('the presence list shows everyone, with or without a pointer, and drops a person who closes the page', async ({
	openBoard
}) => {
	const [a, b] = await openPair(openBoard);
	const nameA = (await identity(a)).name;
	await expect(peopleList(a, 2)).toBeVisible();
	await expect(peopleList(b, 2)).toBeVisible();
	await expect(b.getByTestId('presence-count')).toHaveText('2');
	// Nobody has moved a pointer yet: A is listed anyway, named on hover.
	await expect(b.getByRole('button', { name: `Follow ${nameA}` })).toHaveAttribute('title', new RegExp(nameA));

	const c = await openBoard();
	await waitConnected(c);
	await expect(peopleList(b, 3)).toBeVisible({ timeout: 2_000 });

	// Random names can repeat: A is known in B's list by A's awareness client id.
	const idA = await b.getByRole('button', { name: `Follow ${nameA}` }).first().getAttribute('data-client-id');
	const avatarA = b.locator(`.avatar[data-client-id="${idA}"]`);
	await expect(avatarA).toHaveCount(1);
	await a.context().close();
	await expect(peopleList(b, 2)).toBeVisible({ timeout: 3_000 });
	await expect(peopleList(c, 2)).toBeVisible({ timeout: 3_000 });
	await expect(avatarA).toHaveCount(0);
});

test("A's pen stroke is painted on B's canvas while A is still drawing", async ({ openBoard }) => {
	const [a, b] = await openPair(openBoard);
	await a.keyboard.press('p');
	await a.mouse.move(300, 300);
	await a.mouse.down();
	for (let i = 1; i <= 12; i++) await a.mouse.move(300 + i * 25, 300 + (i % 2) * 40, { steps: 3 });

	// Mouse still down: B already has the stroke in its doc and on its canvas.
	await expect.poll(async () => (await shapes(b)).map((s) => s.type)).toEqual(['pen']);
	await expect.poll(() => nodeCount(b)).toBe(1);
	expect(await a.evaluate(() => window.__boardwalk!.toolState())).toBe('pen.drawing');
	const live = (await shapes(b))[0] as unknown as { points: number[] };
	expect(live.points.length).toBeGreaterThan(4);

	await a.mouse.move(700, 360, { steps: 3 });
	await a.mouse.up();
	await expect.poll(async () => (await shapes(b)).length).toBe(1);
	expect(await a.evaluate(() => window.__boardwalk!.toolState())).toBe('pen.idle');
});

test("following A moves B's view with A's pans and zooms; B's own pan or Escape stops it", async ({ openBoard }) => {
	const [a, b] = await openPair(openBoard);
	const nameA = (await identity(a)).name;
	const banner = b.getByRole('status', { name: `Following ${nameA}` });

	await b.getByRole('button', { name: `Follow ${nameA}` }).click();
	await expect(banner).toBeVisible();
	await expect(banner).toContainText(`Following ${nameA}`);

	// A pans and zooms: B's camera shows what A's shows (same window size, so the same camera).
	await a.mouse.move(640, 400);
	await a.mouse.wheel(300, 200);
	await a.keyboard.press('+');
	await expect.poll(async () => (await camera(a)).zoom).toBeCloseTo(1.25);
	const seen = await camera(a);
	await expect.poll(async () => roundCamera(await camera(b))).toEqual(roundCamera(seen));

	// B pans by itself: following stops, and A's next pan no longer moves B.
	await b.mouse.move(640, 400);
	await b.mouse.wheel(-100, 0);
	await expect(banner).toBeHidden();
	const own = await camera(b);
	await a.mouse.wheel(0, 400);
	await a.mouse.move(600, 420, { steps: 4 });
	// Once B sees A's pointer where A put it after that pan, B has A's newest viewport too (one state per update).
	const at = await boardPointAt(a, 600, 420);
	const expected = await toClient(b, at.x, at.y);
	await expect
		.poll(async () => {
			const tip = await cursorTip(b, nameA);
			return tip ? Math.max(Math.abs(tip.x - expected.x), Math.abs(tip.y - expected.y)) : Infinity;
		})
		.toBeLessThan(3);
	expect(roundCamera(await camera(b))).toEqual(roundCamera(own));

	// Follow again, then Escape; the banner's Stop button works as well.
	await b.getByRole('button', { name: `Follow ${nameA}` }).click();
	await expect(banner).toBeVisible();
	await expect.poll(async () => roundCamera(await camera(b))).toEqual(roundCamera(await camera(a)));
	await b.keyboard.press('Escape');
	await expect(banner).toBeHidden();
	await b.getByRole('button', { name: `Follow ${nameA}` }).click();
	await banner.getByRole('button', { name: 'Stop' }).click();
	await expect(banner).toBeHidden();
});

test("A's selection is outlined in A's colour on B's canvas, and the outline follows the shape", async ({
	openBoard
}) => {
	const [a, b] = await openPair(openBoard);
	const me = await identity(a);
	await a.keyboard.press('r');
	await drag(a, [300, 300], [460, 420]);
	await expect.poll(async () => (await shapes(b)).length).toBe(1);
	const [rect] = await shapes(b);
	const outlines = () => b.evaluate(() => window.__boardwalk!.peerOutlines().map(({ id, color }) => ({ id, color })));

	// Drawing left the new rectangle selected in A.
	await expect.poll(outlines).toEqual([{ id: rect!.id, color: me.color }]);

	// Moved by A: the outline is re-fitted around the moved shape (checked on B's canvas pixels).
	await drag(a, [380, 360], [580, 460]);
	await expect.poll(async () => (await shapes(b))[0]?.x).toBeCloseTo(rect!.x + 200, 0);
	// The outline runs 7 px outside the shape's box (OUTLINE_GAP_PX in src/lib/canvas/peer-selections.ts).
	const edge = await toClient(b, rect!.x + 200 - 7, rect!.y + 100 + 60);
	await expect.poll(() => pixel(b, edge.x, edge.y)).toEqual(hexToRgbTuple(me.color));

	await a.keyboard.press('Escape');
	await expect.poll(outlines).toEqual([]);
});

function roundCamera(c: { x: number; y: number; zoom: number }) {
	return { x: Math.round(c.x), y: Math.round(c.y), zoom: Math.round(c.zoom * 1000) / 1000 };
}

function hexToRgb(hex: string): string {
	return `rgb(${hexToRgbTuple(hex).join(', ')})`;
}
