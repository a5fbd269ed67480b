// Screenshots of several selected shapes, each outlined, and of the hover highlight, at desktop size, into
// /tmp/shots-bulk/ (run: npx tsx tests/e2e/bulk-shots.mts).
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { createBoard, insertShapes } from '../../src/lib/board/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { smallRects } from './board.ts';
import { drawBox as draw, ready, startShots } from './shots.ts';

const OUT = '/tmp/shots-bulk';
const shots = await startShots(OUT);
const { server, browser } = shots;

try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await page.goto(`${server.url}/b/shotsbulk${Date.now()}`);
	await page.waitForURL(/#t=e/);
	await ready(page);
	await draw(page, 'r', 380, 260, 160, 110);
	await draw(page, 'o', 600, 240, 140, 140);
	await draw(page, 'r', 800, 300, 120, 80);
	await draw(page, 'l', 420, 450, 220, 60);
	await draw(page, 'r', 720, 440, 180, 100);
	await page.keyboard.press('Escape');
	await page.keyboard.press('Control+a');
	await page.waitForFunction(() => window.__boardwalk!.outlines().selected === 5);
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	await page.screenshot({ path: `${OUT}/multi-select-1280x800.png` });

	await page.keyboard.press('Escape');
	await page.mouse.move(300, 650);
	await page.mouse.move(601, 310, { steps: 6 }); // over the ellipse's edge (an unfilled shape is hit on its line)
	await page.waitForFunction(() => window.__boardwalk!.outlines().hover !== null);
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	await page.screenshot({ path: `${OUT}/hover-1280x800.png` });

	// Hover next to a selected group: the hovered shape gets the highlight, the selection its outlines.
	await page.keyboard.down('Shift');
	for (const [x, y] of [[380, 262], [800, 302]] as const) await page.mouse.click(x + 2, y + 2);
	await page.keyboard.up('Shift');
	await page.mouse.move(722, 442, { steps: 4 });
	await page.waitForFunction(() => window.__boardwalk!.outlines().hover !== null);
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	await page.screenshot({ path: `${OUT}/select-and-hover-1280x800.png` });
	// A big selection: 1,200 shapes, the Transformer on one box around them, each shape outlined.
	const big = await ctx.newPage();
	const room = `shotsbig${Date.now()}`;
	await big.goto(`${server.url}/b/${room}`);
	await big.waitForURL(/#t=e/);
	await big.waitForFunction(() => window.__boardwalk?.ready() && window.__boardwalk?.status() === 'connected');
	const token = new URL(big.url()).hash.replace(/^#t=/, '');
	const client = await connectClient(server.wsUrl, room, { params: { token } });
	insertShapes(createBoard(client.doc), smallRects(1200));
	await big.waitForFunction(() => window.__boardwalk!.shapes().length === 1200);
	client.destroy();
	await big.keyboard.press('Control+a');
	await big.waitForFunction(() => window.__boardwalk!.outlines().selected > 0);
	await big.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	await big.screenshot({ path: `${OUT}/big-selection-1280x800.png` });
	console.log(fs.readdirSync(OUT).join('\n'));
} finally {
	await shots.close();
}
