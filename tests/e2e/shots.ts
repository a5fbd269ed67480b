/** What the screenshot scripts (`*-shots.mts`, run by hand) share: a real server and Chromium, the sizes to look at, and a few moves. */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

/** Phone, tablet and desktop; `ONLY=<width>` keeps one of them. */
export const SHOT_SIZES = (
	[
		[390, 844],
		[820, 1180],
		[1280, 800]
	] as const
).filter(([w]) => !process.env.ONLY || String(w) === process.env.ONLY);

export interface Shots {
	server: ServerProcess;
	browser: Browser;
	/** Closes the browser and stops the server. */
	close(): Promise<void>;
}

/** Starts a server and Chromium, and makes the folder the shots go to (if any). */
export async function startShots(out?: string): Promise<Shots> {
	if (out) fs.mkdirSync(out, { recursive: true });
	const server = await startServerProcess();
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
	return {
		server,
		browser,
		async close() {
			await browser.close();
			server.child.kill('SIGTERM');
			await server.exited;
		}
	};
}

/** Waits until the board takes input and is connected. */
export async function ready(page: Page): Promise<void> {
	await page.waitForFunction(() => window.__boardwalk?.ready() && window.__boardwalk?.status() === 'connected');
}

/** Draws a box with the tool of `key` from (x, y) by (w, h), then lets go of the selection. */
export async function drawBox(page: Page, key: string, x: number, y: number, w: number, h: number): Promise<void> {
	await page.keyboard.press(key);
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + w, y + h, { steps: 5 });
	await page.mouse.up();
	await page.keyboard.press('Escape');
}
