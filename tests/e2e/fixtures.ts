/** Playwright fixtures: a real Boardwalk server (built app + sync) per worker, and fresh board ids per test. */
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

export interface Fixtures {
	/** A fresh board id no other test uses. */
	boardId: string;
	/** Opens `/b/<boardId>` in a new browser context (a separate "person"), waiting until the board is connected. */
	openBoard(id?: string): Promise<Page>;
}

export interface WorkerFixtures {
	server: ServerProcess;
}

async function newPerson(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
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
			await page.goto(`${server.url}/b/${id}`);
			return page;
		});
		for (const page of pages) await page.context().close();
	}
});

export { expect };
