// Never lose a stroke: boards stay editable offline, keep edits in IndexedDB across a closed tab, reconnect by
// themselves after a restart or kill -9, say when changes are saved, and stop (with a reason) on a fatal close.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test as base, editLink, expect } from './fixtures.ts';
import { drag, expectShapeCount, shapes, waitConnected } from './board.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { tempDataDir } from '../helpers/test-server.ts';

/** A server of this test's own, so stopping it leaves the worker's shared `server` alone. */
interface OwnServer {
	readonly url: string;
	readonly process: ServerProcess;
	/** Starts it, or starts it again on the same port and data dir. */
	start(env?: Record<string, string>): Promise<void>;
	/** Stops it with `signal` (SIGTERM: graceful; SIGKILL: kill -9) and waits for the exit. */
	stop(signal: NodeJS.Signals): Promise<void>;
}

const RECONNECT_TIMEOUT_MS = 30_000;

const test = base.extend<{ own: OwnServer; person: () => Promise<BrowserContext> }>({
	own: async ({}, use) => {
		const dataDir = tempDataDir();
		let current: ServerProcess | null = null;
		let port = 0;
		const own: OwnServer = {
			get url() {
				return `http://127.0.0.1:${port}`;
			},
			get process() {
				if (!current) throw new Error('the server is not running');
				return current;
			},
			async start(env = {}) {
				current = await startServerProcess({ dataDir, port, env: { LOG_LEVEL: 'debug', ...env } });
				port = current.port;
			},
			async stop(signal) {
				if (!current) return;
				const stopping = current;
				current = null;
				stopping.child.kill(signal);
				await stopping.exited;
			}
		};
		await use(own);
		await own.stop('SIGKILL');
	},
	// A person is a browser context: their tabs share IndexedDB, other people's do not.
	person: async ({ browser }: { browser: Browser }, use) => {
		const contexts: BrowserContext[] = [];
		await use(async () => {
			const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
			contexts.push(context);
			return context;
		});
		for (const context of contexts) await context.close();
	}
});

async function openTab(context: BrowserContext, url: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(url);
	await waitConnected(page);
	return page;
}

const reconnectState = (page: Page) => page.evaluate(() => window.__boardwalk!.reconnect());
const status = (page: Page) => page.evaluate(() => window.__boardwalk?.status());
const saveState = (page: Page) => page.evaluate(() => window.__boardwalk?.saveState());
const keptLocally = (page: Page) => page.evaluate(() => window.__boardwalk?.keptLocally() ?? false);
const ids = async (page: Page) => (await shapes(page)).map((s) => s.id).sort();

/** Draws a 60×40 rectangle; keep x ≥ 350 so the drag starts right of the style panel. */
async function drawRect(page: Page, x: number, y: number): Promise<void> {
	await page.keyboard.press('r');
	await drag(page, [x, y], [x + 60, y + 40]);
}

/** Waits until the tab is connected and the server confirmed every change it made. */
async function expectSynced(page: Page): Promise<void> {
	await expect.poll(() => status(page), { timeout: RECONNECT_TIMEOUT_MS }).toBe('connected');
	await expect.poll(() => saveState(page), { timeout: RECONNECT_TIMEOUT_MS }).toBe('saved');
}

async function expectOffline(page: Page): Promise<void> {
	await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible();
}

test('edits made while the server is down reach it after a restart, also from a tab closed meanwhile; deletes stay deleted', async ({
	own,
	person,
	boardId
}) => {
	await own.start();
	const url = await editLink(own.url, boardId);
	const alice = await person();
	const bob = await person();
	const a = await openTab(alice, url);
	let b = await openTab(bob, url);
	await drawRect(a, 400, 200);
	await drawRect(b, 600, 200);
	await expectShapeCount(a, 2);
	await expectShapeCount(b, 2);
	const before = await ids(a);
	await expectSynced(a);
	await expectSynced(b);

	await own.stop('SIGTERM');
	await expectOffline(a);
	await expectOffline(b);

	// Offline, A deletes everything that was there and draws two new shapes; the board stays editable.
	await a.keyboard.press('Escape');
	await a.keyboard.press('Control+a');
	await a.keyboard.press('Delete');
	await expectShapeCount(a, 0);
	await drawRect(a, 400, 400);
	await drawRect(a, 500, 400);
	await expectShapeCount(a, 2);
	await expect(a.getByRole('status', { name: 'Save state: Kept on this device' })).toBeVisible();

	// B (still holding the shapes A deleted) draws one and closes its tab once the local copy has it.
	await drawRect(b, 700, 400);
	await expectShapeCount(b, 3);
	await expect.poll(() => keptLocally(b)).toBe(true);
	expect(await saveState(b)).toBe('unsaved');
	const bobsOffline = (await ids(b)).filter((id) => !before.includes(id));
	await b.close();

	await own.start();
	await expectSynced(a); // no reload: the tab reconnects by itself
	const aliceOffline = await ids(a);
	const carol = await openTab(await person(), url);
	await expect.poll(() => ids(carol)).toEqual(aliceOffline);

	// Bob opens the board again: his offline shape comes from IndexedDB and merges; A's deletes win.
	b = await openTab(bob, url);
	const all = [...aliceOffline, ...bobsOffline].sort();
	for (const page of [a, b, carol]) {
		await expect.poll(() => ids(page), { timeout: RECONNECT_TIMEOUT_MS }).toEqual(all);
		await expectShapeCount(page, 3);
	}
	await expectSynced(b);
	for (const id of before) expect(all).not.toContain(id);
});

test('after kill -9 during drawing in two tabs, both reconnect and converge with every stroke', async ({ own, person, boardId }) => {
	await own.start();
	const url = await editLink(own.url, boardId);
	const a = await openTab(await person(), url);
	const b = await openTab(await person(), url);
	for (const page of [a, b]) await page.keyboard.press('p');

	const stroke = async (page: Page, y: number) => drag(page, [400, y], [900, y + 30], 10);
	for (let i = 0; i < 3; i++) await Promise.all([stroke(a, 100 + i * 40), stroke(b, 120 + i * 40)]);

	// Both are mid-stroke when the server dies; they finish the stroke and draw more.
	for (const page of [a, b]) {
		await page.mouse.move(400, 400);
		await page.mouse.down();
		await page.mouse.move(600, 420, { steps: 5 });
	}
	await own.stop('SIGKILL');
	for (const page of [a, b]) {
		await page.mouse.move(900, 440, { steps: 5 });
		await page.mouse.up();
	}
	await expectOffline(a);
	await expectOffline(b);
	for (let i = 0; i < 2; i++) await Promise.all([stroke(a, 500 + i * 40), stroke(b, 520 + i * 40)]);
	const shown = [...new Set([...(await ids(a)), ...(await ids(b))])].sort();
	expect(shown).toHaveLength(12);

	await own.start();
	for (const page of [a, b]) {
		await expectSynced(page);
		await expect.poll(() => ids(page)).toEqual(shown);
		await expectShapeCount(page, 12);
	}
	const fresh = await openTab(await person(), url);
	await expect.poll(() => ids(fresh)).toEqual(shown);
});

test('the saved indicator goes saving → saved, and says offline while the server is down', async ({ own, person, boardId }) => {
	await own.start();
	const page = await openTab(await person(), `${own.url}/b/${boardId}`);
	await expect(page.getByRole('status', { name: 'Save state: All changes saved' })).toBeVisible();
	await page.evaluate(() => {
		const log: string[] = [];
		(window as unknown as { __saveLog: string[] }).__saveLog = log;
		const el = document.querySelector('[aria-label^="Save state"]')!;
		new MutationObserver(() => log.push(el.getAttribute('data-state')!)).observe(el, { attributeFilter: ['data-state'] });
	});
	await drawRect(page, 400, 300);
	await expect(page.getByRole('status', { name: 'Save state: All changes saved' })).toBeVisible();
	const log = await page.evaluate(() => (window as unknown as { __saveLog: string[] }).__saveLog);
	expect(log[0]).toBe('saving');
	expect(log.at(-1)).toBe('saved');

	await own.stop('SIGKILL');
	await expect(page.getByRole('status', { name: 'Connection: Offline' })).toContainText(/retrying in \d+ s/);
	await drawRect(page, 550, 300);
	await expect(page.getByRole('status', { name: 'Save state: Kept on this device' })).toBeVisible();
	expect(await saveState(page)).toBe('unsaved');

	// "Retry now" tries at once (and, the server still being down, schedules the next try).
	const attempts = (await reconnectState(page)).attempt;
	await page.getByRole('button', { name: 'Retry now' }).click();
	await expect.poll(async () => (await reconnectState(page)).attempt).toBeGreaterThan(attempts);

	await own.start();
	await expect(page.getByRole('status', { name: 'Save state: All changes saved' })).toBeVisible({ timeout: RECONNECT_TIMEOUT_MS });
	await expect(page.getByRole('status', { name: 'Connection: Connected' })).toBeVisible();
});

test('a change over the frame limit stops syncing with a readable reason instead of retrying forever', async ({
	own,
	person,
	boardId
}) => {
	await own.start({ MAX_FRAME_BYTES: '65536' });
	const url = await editLink(own.url, boardId);
	const alice = await person();
	const page = await openTab(alice, url);
	await page.keyboard.press('t');
	await page.mouse.click(500, 300);
	await page.keyboard.type('seed');
	await page.keyboard.press('Escape');
	await expectShapeCount(page, 1);
	await expectSynced(page);

	// Paste five 20,000-character texts at once: one ~100 KB update.
	await page.keyboard.press('Escape');
	await page.keyboard.press('Control+a');
	await page.keyboard.press('Control+c');
	await page.evaluate(async () => {
		const payload = JSON.parse(await navigator.clipboard.readText()) as { shapes: Array<Record<string, unknown>> };
		const [seed] = payload.shapes;
		payload.shapes = [0, 1, 2, 3, 4].map((i) => ({ ...seed, id: `${seed!.id}${i}`, y: Number(seed!.y) + 40 * (i + 1), text: 'x'.repeat(20_000) }));
		await navigator.clipboard.writeText(JSON.stringify(payload));
	});
	await page.mouse.move(600, 300);
	await page.keyboard.press('Control+v');
	await expectShapeCount(page, 6);

	await expect.poll(() => status(page)).toBe('stopped');
	await expect(page.getByRole('alert')).toContainText('too large');
	await expect(page.getByRole('status', { name: 'Connection: Disconnected' })).toBeVisible();
	await expect(page.getByRole('status', { name: 'Save state: Not sent · kept here' })).toBeVisible();
	expect(await reconnectState(page)).toMatchObject({ lastCloseCode: 1009, nextAttemptAt: null });

	// No retry loop: while another person joins and syncs, the stopped tab opens no new connection.
	const opened = () => own.process.lines.filter((line) => line.includes('connection opened')).length;
	const openedBefore = opened();
	const bob = await openTab(await person(), url);
	await expect.poll(async () => (await shapes(bob)).map((s) => s.text)).toEqual(['seed']);
	expect(opened()).toBe(openedBefore + 1);
	expect(await status(page)).toBe('stopped');

	// The advice works: undo the paste, reload, and the board syncs again without the oversized change.
	await page.keyboard.press('Control+z');
	await expectShapeCount(page, 1);
	await expect.poll(() => keptLocally(page)).toBe(true);
	await page.getByRole('button', { name: 'Reload' }).click();
	await waitConnected(page);
	await expectSynced(page);
	await expectShapeCount(page, 1);
	await expect.poll(async () => (await shapes(bob)).map((s) => s.text)).toEqual(['seed']);
});
