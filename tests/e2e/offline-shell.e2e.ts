// The offline app shell (src/service-worker.ts): a reload without the server opens the board from this browser's
// copy, and after an upgrade the next online reload runs the new release, with the old build's cache gone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, waitConnected } from './board.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { tempDataDir } from '../helpers/test-server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const status = (page: Page) => page.evaluate(() => window.__boardwalk?.status());
const cacheNames = (page: Page) => page.evaluate(() => caches.keys());

/** A person whose browser runs the service worker (the shared fixture's contexts block it). */
async function personWithWorker(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ serviceWorkers: 'allow' });
	return context.newPage();
}

/** Waits until the page is controlled by an active worker that has cached this release. */
async function waitForWorker(page: Page): Promise<void> {
	await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
	await expect.poll(async () => (await cacheNames(page)).length).toBe(1);
}

async function drawRect(page: Page, x: number, y: number): Promise<void> {
	await page.keyboard.press('r');
	await drag(page, [x, y], [x + 60, y + 40]);
}

/** Version of a build, as its service worker names its cache. */
const buildVersion = (root: string): string =>
	(JSON.parse(fs.readFileSync(path.join(root, 'build/client/_app/version.json'), 'utf8')) as { version: string }).version;

/** The global the build's HTML defines (its name hashes the build's version): which release a page runs. */
async function pageGlobal(url: string): Promise<string> {
	const html = await (await fetch(url)).text();
	const name = /__sveltekit_\w+/.exec(html)?.[0];
	if (!name) throw new Error(`no SvelteKit global in ${url}`);
	return name;
}

/** A second release of the same sources, built into its own tree: what an operator deploys over the first. */
function buildRelease(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-release-'));
	for (const entry of ['src', 'static', 'server', 'vite-plugins', 'package.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'])
		fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
	execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: dir, stdio: 'pipe' });
	return dir;
}

test('a reload without the server opens the board from this browser’s copy, and so do home and boards not seen yet', async ({
	browser
}) => {
	const dataDir = tempDataDir();
	let server: ServerProcess = await startServerProcess({ dataDir });
	const board = `e2eshell${Date.now().toString(36)}`;
	const page = await personWithWorker(browser);
	await page.goto(`${server.url}/b/${board}`);
	await waitConnected(page);
	await waitForWorker(page);
	await drawRect(page, 300, 300);
	await drawRect(page, 450, 300);
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.keptLocally())).toBe(true);

	server.child.kill('SIGKILL');
	await server.exited;
	await page.reload();
	await expectShapeCount(page, 2);
	await expect.poll(() => status(page)).toBe('offline');

	// Home lists the board from this browser's memory; a board address never opened here still opens the app.
	await page.goto(`${server.url}/`);
	await expect(page.getByRole('link', { name: /^Open / })).toHaveCount(1);
	await page.goto(`${server.url}/b/${board}x`);
	await expect.poll(() => status(page)).toBe('offline');

	server = await startServerProcess({ dataDir, port: server.port });
	await expect.poll(() => status(page), { timeout: 30_000 }).toBe('connected');
	server.child.kill('SIGTERM');
	await server.exited;
	await page.context().close();
});

test('after an upgrade, the next online reload runs the new release and the old build’s cache is gone', async ({ browser }) => {
	test.setTimeout(180_000);
	const release = buildRelease();
	const dataDir = tempDataDir();
	let server: ServerProcess = await startServerProcess({ dataDir });
	const board = `e2eupgrade${Date.now().toString(36)}`;
	const oldGlobal = await pageGlobal(`${server.url}/b/${board}`);
	const page = await personWithWorker(browser);
	await page.goto(`${server.url}/b/${board}`);
	await waitConnected(page);
	await waitForWorker(page);
	await drawRect(page, 300, 300);
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.saveState())).toBe('saved');
	expect(await cacheNames(page)).toEqual([`boardwalk-app-${buildVersion(ROOT)}`]);
	expect(await page.evaluate((name) => name in window, oldGlobal)).toBe(true);

	server.child.kill('SIGTERM');
	await server.exited;
	server = await startServerProcess({ dataDir, port: server.port, root: release });
	const newGlobal = await pageGlobal(`${server.url}/b/${board}`);
	expect(newGlobal).not.toBe(oldGlobal);

	// The old worker still controls the tab: its cached shell must not be what this reload runs.
	await page.reload();
	expect(await page.evaluate((name) => name in window, newGlobal)).toBe(true);
	await waitConnected(page);
	await expectShapeCount(page, 1);
	await expect.poll(() => cacheNames(page), { timeout: 30_000 }).toEqual([`boardwalk-app-${buildVersion(release)}`]);

	server.child.kill('SIGTERM');
	await server.exited;
	await page.context().close();
	fs.rmSync(release, { recursive: true, force: true });
});
