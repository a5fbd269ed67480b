// Screenshots of the home page (several boards, and empty), a board's top bar with its title, the invalid-link page and the
// 404 page at three sizes, into /tmp/shots-home/ (run: npx tsx tests/e2e/home-shots.mts).
import type { Page } from '@playwright/test';
import { drawBox, ready, SHOT_SIZES, startShots } from './shots.ts';

const OUT = '/tmp/shots-home';
const shots = await startShots(OUT);
const { server, browser } = shots;

async function draw(page: Page, key: string, boxes: [number, number, number, number][]) {
	for (const [x, y, w, h] of boxes) await drawBox(page, key, x, y, w, h);
}

try {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const boards: [string, string, [number, number, number, number][]][] = [
		['', 'r', [[300, 200, 200, 150]]],
		['Sprint planning', 'o', [[250, 250, 300, 200], [600, 300, 200, 200]]],
		['A rather long title for a board that goes on and on about everything we discussed', 'r', [[320, 150, 700, 400], [450, 250, 150, 150]]],
		['Roadmap', 'n', [[350, 200, 200, 200], [650, 300, 200, 200]]]
	];
	for (const [title, key, boxes] of boards) {
		await page.goto(`${server.url}/new`);
		await page.waitForURL(/#t=e/);
		await ready(page);
		await draw(page, key, boxes);
		if (title) {
			await page.getByRole('button', { name: /^Board title/ }).click();
			await page.getByRole('textbox', { name: 'Board title' }).fill(title);
			await page.getByRole('textbox', { name: 'Board title' }).press('Enter');
		}
	}
	const last = page.url();
	await page.goto(server.url);
	for (const [width, height] of SHOT_SIZES) {
		const tag = `${width}x${height}`;
		const p = await context.newPage();
		await p.setViewportSize({ width, height });
		await p.goto(server.url);
		await p.screenshot({ path: `${OUT}/home-${tag}.png`, fullPage: true });
		await p.goto(last);
		await ready(p);
		await p.screenshot({ path: `${OUT}/board-${tag}.png` });
		await p.goto(`${server.url}/b/a.b`);
		await p.getByRole('heading').first().waitFor();
		await p.screenshot({ path: `${OUT}/invalid-${tag}.png` });
		await p.goto(`${server.url}/nope`);
		await p.getByRole('heading').first().waitFor();
		await p.screenshot({ path: `${OUT}/404-${tag}.png` });
		const fresh = await (await browser.newContext({ viewport: { width, height } })).newPage();
		await fresh.goto(server.url);
		await fresh.getByRole('heading').first().waitFor();
		await fresh.screenshot({ path: `${OUT}/empty-${tag}.png` });
		await p.close();
	}
} finally {
	await shots.close();
}
