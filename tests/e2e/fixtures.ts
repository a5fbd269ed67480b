/** Playwright fixtures: a real Boardwalk server (built app + sync) per worker, fresh board ids per test, and each board's edit link. */
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

export interface Fixtures {
	/** A fresh board id no other test uses. */
	boardId: string;
	/**
	 * Opens the board in a new browser context (a separate "person"). The first page to open a board opens
	 * `/b/<id>` and claims it, as a person making a board does; every later one opens its edit link, as
	 * people the link was shared with do.
	 */
	openBoard(id?: string): Promise<Page>;
}

export interface WorkerFixtures {
	server: ServerProcess;
}

/** Each board's edit link, by server and board: boards are claimed once, by their first page or by `editLink`. */
const editLinks = new Map<string, string>();

/** The board's edit link; claims the board through the API if no page has yet. */
export async function editLink(serverUrl: string, board: string): Promise<string> {
	const key = `${serverUrl} ${board}`;
	const known = editLinks.get(key);
	if (known) return known;
	const response = await fetch(`${serverUrl}/api/boards/${board}/claim`, { method: 'POST' });
	if (response.status !== 201) throw new Error(`claiming ${board} answered ${response.status}: ${await response.text()}`);
	const { links } = (await response.json()) as { links: { edit: string } };
	editLinks.set(key, links.edit);
	return links.edit;
}

/** The edit token of an edit link (`…#t=<token>`). */
export const tokenOf = (link: string): string => new URL(link).hash.replace(/^#t=/, '');

/** A stock client's socket parameters for the board's edit link (claiming the board first, as the page would). */
export async function editParams(serverUrl: string, board: string): Promise<{ params: { token: string } }> {
	return { params: { token: tokenOf(await editLink(serverUrl, board)) } };
}

/** Opens `board` in `page`: by its edit link once it has one, else by its bare address, remembering the link the page claims. */
export async function gotoBoard(page: Page, serverUrl: string, board: string): Promise<void> {
	const key = `${serverUrl} ${board}`;
	const known = editLinks.get(key);
	if (known) {
		await page.goto(known);
		return;
	}
	await page.goto(`${serverUrl}/b/${board}`);
	await page.waitForURL(/#t=e/);
	editLinks.set(key, page.url());
}

async function newPerson(browser: Browser): Promise<Page> {
	// The offline app shell has tests of its own (offline-shell.e2e.ts); elsewhere every load comes from the server.
	const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'], serviceWorkers: 'block' });
	return context.newPage();
}

export const test = base.extend<Fixtures, WorkerFixtures>({
	server: [
		async ({}, use) => {
			const server = await startServerProcess();
			await use(server);
			server.child.kill('SIGTERM');
			await server.exited;
		},
		{ scope: 'worker' }
	],
	boardId: async ({}, use) => {
		await use(`e2e${randomBytes(9).toString('base64url')}`);
	},
	openBoard: async ({ browser, server, boardId }, use) => {
		const pages: Page[] = [];
		await use(async (id = boardId) => {
			const page = await newPerson(browser);
			pages.push(page);
			await gotoBoard(page, server.url, id);
			return page;
		});
		for (const page of pages) await page.context().close();
	}
});

export { expect };
