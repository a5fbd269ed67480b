// Two people in one note: their typing at the same moment merges (nothing is overwritten), each sees the other's
// name on the note and their caret inside it, a note deleted under someone typing keeps their text, tells
// them, and their next keys are not tool shortcuts, and a version 2 note (its text a string) that two people
// start typing into at once becomes one Y.Text holding both their typing.
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import { OpenedClients, type TestClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { editParams, test, expect } from './fixtures.ts';
import { gateSocket, openTwo, shapes, toClient, waitConnected } from './board.ts';

/** The name a page shows its user as (everyone else sees that name). */
async function myName(page: Page): Promise<string> {
	const avatar = page.getByRole('button', { name: /\(you\): change your name/ });
	return avatar.evaluate((el: HTMLElement) => el.title.replace(/ \(you\)$/, ''));
}

const noteBox = (page: Page) => page.getByRole('textbox', { name: 'Sticky note text' });
const textOf = async (page: Page, id: string) => (await shapes(page)).find((s) => s.id === id)?.text;

/** A places a note and types into it; B sees it, then opens it too. Both editors are open on the same note. */
async function bothInOneNote(openBoard: (id?: string) => Promise<Page>): Promise<{ a: Page; b: Page; id: string }> {
	const [a, b] = await openTwo(openBoard);
	await expect(a.getByRole('list', { name: 'People on this board: 2' })).toBeVisible();
	await a.keyboard.press('n');
	await a.mouse.click(400, 300);
	await expect(noteBox(a)).toBeFocused();
	await a.keyboard.type('Plan');
	const id = (await shapes(a))[0]!.id;
	await expect.poll(() => textOf(b, id)).toBe('Plan');
	const note = (await shapes(b))[0]!;
	const centre = await toClient(b, note.x + note.w! / 2, note.y + note.h! / 2);
	await b.mouse.dblclick(centre.x, centre.y);
	await expect(noteBox(b)).toBeFocused();
	await expect(noteBox(b)).toHaveValue('Plan');
	return { a, b, id };
}

test('two people typing into one note at the same moment both keep all they typed, in both tabs', async ({ openBoard }) => {
	const { a, b, id } = await bothInOneNote(openBoard);
	// Both type at once, a few milliseconds per key: each keystroke crosses the other's in flight.
	await Promise.all([a.keyboard.type(' first from A', { delay: 25 }), b.keyboard.type(' then from B', { delay: 25 })]);
	for (const page of [a, b]) {
		await expect(noteBox(page)).toHaveValue(/ first from A/);
		await expect(noteBox(page)).toHaveValue(/ then from B/);
	}
	const shown = await noteBox(a).inputValue();
	expect(shown).toHaveLength('Plan first from A then from B'.length);
	await expect(noteBox(b)).toHaveValue(shown);
	await a.keyboard.press('Escape');
	await b.keyboard.press('Escape');
	await expect.poll(() => textOf(a, id)).toBe(shown);
	await expect.poll(() => textOf(b, id)).toBe(shown);
});

test("each sees the other's name on the note being typed into, and their caret inside it", async ({ openBoard }) => {
	const { a, b, id } = await bothInOneNote(openBoard);
	const [nameA, nameB] = [await myName(a), await myName(b)];
	const mark = (page: Page, name: string) => page.locator(`.editing-peer[data-name="${name}"][data-shape-id="${id}"]`);
	await expect(mark(b, nameA)).toBeVisible();
	await expect(mark(b, nameA)).toHaveText(`${nameA} is typing`);
	await expect(mark(a, nameB)).toBeVisible();
	// The other's caret, in the open editor, labelled with their name.
	await expect(a.locator(`.peer-caret[data-name="${nameB}"]`)).toBeVisible();
	await expect(b.locator(`.peer-caret[data-name="${nameA}"]`)).toBeVisible();
	// B moves to the start and types: A sees B's caret there, left of A's own text.
	await b.keyboard.press('ControlOrMeta+Home');
	await b.keyboard.type('>> ');
	await expect(noteBox(a)).toHaveValue('>> Plan');
	// The text is centred in the note: B's caret after ">> " is left of the middle, A's own (at the end) right of it.
	const box = (await noteBox(a).boundingBox())!;
	const caretX = async () => (await a.locator(`.peer-caret[data-name="${nameB}"]`).boundingBox())!.x - box.x;
	await expect.poll(caretX).toBeLessThan(box.width / 2);
	await a.screenshot({ path: 'test-results/cotext-two-carets.png' });
	// Leaving the note takes the mark away.
	await a.keyboard.press('Escape');
	await expect(mark(b, nameA)).toHaveCount(0);
});

test('a note deleted while someone types into it comes back with their text, they are told, and typing on is not shortcuts', async ({ openBoard }) => {
	const { a, b, id } = await bothInOneNote(openBoard);
	// Both type into it first: B at the start, A at the end.
	await b.keyboard.press('ControlOrMeta+Home');
	await b.keyboard.type('Our ');
	await expect(noteBox(a)).toHaveValue('Our Plan');
	await a.keyboard.type(' to keep');
	await expect.poll(() => textOf(b, id)).toBe('Our Plan to keep');
	// B leaves the editor, selects the note and deletes it.
	await b.keyboard.press('Escape');
	await b.keyboard.press('Delete');
	await expect.poll(() => textOf(b, id)).toBeUndefined();

	await expect(a.getByRole('alert').filter({ hasText: 'Someone deleted this note while you were typing' })).toBeVisible();
	await expect(noteBox(a)).toHaveCount(0);
	// The text is kept: the note is back (a new one, selected) for everyone.
	await expect.poll(async () => (await shapes(a)).map((s) => s.text)).toEqual(['Our Plan to keep']);
	await expect.poll(async () => (await shapes(b)).map((s) => s.text)).toEqual(['Our Plan to keep']);
	const back = (await shapes(a))[0]!.id;
	expect(back).not.toBe(id);
	expect(await a.evaluate(() => window.__boardwalk!.selection())).toEqual([back]);

	// A was still typing: "r" (rectangle), Delete and Backspace do nothing on the board.
	await a.keyboard.type('r');
	await a.keyboard.press('Delete');
	await a.keyboard.press('Backspace');
	expect(await a.evaluate(() => window.__boardwalk!.toolState())).toMatch(/^select\./);
	expect((await shapes(a)).map((s) => s.id)).toEqual([back]);
	// Escape dismisses the notice; then the keys are shortcuts again.
	await a.keyboard.press('Escape');
	await expect(a.getByRole('alert').filter({ hasText: 'Someone deleted this note' })).toHaveCount(0);
	await a.keyboard.press('r');
	await expect.poll(() => a.evaluate(() => window.__boardwalk!.toolState())).toMatch(/^rect\./);
});

/** A note as a version 2 client writes it, on a board that says version 2: one Y.Map of plain fields, the text a string, defaults left out. */
function seedVersion2Note(client: TestClient, id: string, text: string): void {
	client.doc.transact(() => {
		client.doc.getMap('meta').set('schemaVersion', 2);
		client.shapes.set(id, new Y.Map<unknown>(Object.entries({ type: 'sticky', index: 'a0', x: 300, y: 200, text })));
	});
}

test('a version 2 note that two people start typing into at once keeps both their typing, in one Y.Text, for everyone', async ({
	openBoard,
	server,
	boardId
}) => {
	const clients = new OpenedClients(() => server.wsUrl);
	try {
		const { params } = await editParams(server.url, boardId);
		const id = 'groceries-v2';
		seedVersion2Note(await clients.client(boardId, params.token), id, 'Groceries: ');
		const check = await clients.client(boardId, params.token);
		await waitFor(() => check.shapes.has(id), 'the server to hold the version 2 note');

		const [a, b] = await openTwo(openBoard);
		// Each page's incoming frames can be held, so that both open the note before hearing of the other's conversion.
		const gates = await Promise.all([gateSocket(a), gateSocket(b)]);
		for (const page of [a, b]) await expect.poll(() => textOf(page, id)).toBe('Groceries: ');
		// Opening the board rewrote nothing.
		expect((check.shapes.get(id) as Y.Map<unknown>).get('text')).toBe('Groceries: ');
		expect(check.doc.getMap('meta').get('schemaVersion')).toBe(2);

		const centres = await Promise.all(
			[a, b].map(async (page) => {
				const note = (await shapes(page)).find((s) => s.id === id)!;
				return toClient(page, note.x + note.w! / 2, note.y + note.h! / 2);
			})
		);
		for (const gate of gates) gate.hold();
		// Both open the note and type at once: each converts the string to a Y.Text of its own and types into it.
		await Promise.all([a.mouse.dblclick(centres[0]!.x, centres[0]!.y), b.mouse.dblclick(centres[1]!.x, centres[1]!.y)]);
		for (const page of [a, b]) {
			await expect(noteBox(page)).toBeFocused();
			await expect(noteBox(page)).toHaveValue('Groceries: ');
		}
		await Promise.all([a.keyboard.type('eggs', { delay: 25 }), b.keyboard.type('milk', { delay: 25 })]);
		await expect(noteBox(a)).toHaveValue('Groceries: eggs');
		await expect(noteBox(b)).toHaveValue('Groceries: milk');
		// Only one conversion wins the key; the other page must carry its typing over into the winner's Y.Text.
		for (const gate of gates) gate.release();

		for (const page of [a, b]) {
			await expect(noteBox(page)).toHaveValue(/eggs/);
			await expect(noteBox(page)).toHaveValue(/milk/);
		}
		// The prefix, both words and nothing more: each word exactly once.
		const shown = await noteBox(a).inputValue();
		expect(shown.startsWith('Groceries: ')).toBe(true);
		expect(shown).toHaveLength('Groceries: eggsmilk'.length);
		await expect(noteBox(b)).toHaveValue(shown);
		await a.keyboard.press('Escape');
		await b.keyboard.press('Escape');
		await expect.poll(() => textOf(a, id)).toBe(shown);
		await expect.poll(() => textOf(b, id)).toBe(shown);

		// The server's doc, read by a fresh stock client: the field is a Y.Text now, and the board says version 3.
		const fresh = await clients.client(boardId, params.token);
		const field = () => (fresh.shapes.get(id) as Y.Map<unknown> | undefined)?.get('text');
		await waitFor(() => field() instanceof Y.Text && field()!.toString() === shown, 'the server to hold the merged Y.Text');
		expect(fresh.doc.getMap('meta').get('schemaVersion')).toBe(3);

		// Someone opening the board afterwards sees the same text.
		const c = await openBoard();
		await waitConnected(c);
		await expect.poll(() => textOf(c, id)).toBe(shown);
	} finally {
		clients.closeAll();
	}
});
