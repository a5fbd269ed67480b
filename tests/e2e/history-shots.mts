// Screenshots of the History panel and a version's preview at three sizes, into /tmp/shots-history/ (run: npx tsx tests/e2e/history-shots.mts; ONLY=<width> for one size).
import type { Page } from '@playwright/test';
import { drawBox, ready, SHOT_SIZES, startShots } from './shots.ts';

const OUT = '/tmp/shots-history';
const shots = await startShots(OUT);
const { server, browser } = shots;

const rect = (page: Page, x: number, y: number, w: number, h: number) => drawBox(page, 'r', x, y, w, h);

const saved = (page: Page) => page.waitForFunction(() => window.__boardwalk?.saveState() === 'saved');

try {
	for (const [width, height] of SHOT_SIZES) {
		const tag = `${width}x${height}`;
		const ctx = await browser.newContext({ viewport: { width, height } });
		const page = await ctx.newPage();
		await page.goto(`${server.url}/b/shots${width}${Date.now()}`);
		await page.waitForURL(/#t=e/);
		await ready(page);
		const cells = [
			[0.15, 0.3],
			[0.45, 0.3],
			[0.15, 0.55],
			[0.45, 0.55]
		];
		for (const [fx, fy] of cells) await rect(page, width * fx!, height * fy!, width * 0.2, height * 0.1);
		await saved(page);
		const panel = page.getByRole('complementary', { name: 'Version history' });
		await page.getByRole('button', { name: 'Version history (Ctrl+Shift+H)' }).click();
		await panel.getByRole('button', { name: 'Save version…' }).click();
		await panel.getByRole('textbox', { name: 'Version name' }).fill('Four boxes, before the review');
		await panel.getByRole('button', { name: 'Save', exact: true }).click();
		await panel.getByText('Four boxes, before the review').waitFor();
		await panel.getByRole('button', { name: 'Close version history' }).click();
		// Delete two, move one, add one.
		const shapes = await page.evaluate(() => window.__boardwalk!.shapes());
		await page.evaluate(() => 0);
		for (const [i, s] of shapes.slice(0, 2).entries()) {
			const p = await page.evaluate((pt) => window.__boardwalk!.toClient(pt), { x: s.x, y: s.y + 10 });
			await page.mouse.click(p.x, p.y, { modifiers: i === 0 ? [] : ['Shift'] });
		}
		await page.keyboard.press('Delete');
		await rect(page, width * 0.3, height * 0.75, width * 0.25, height * 0.08);
		await saved(page);
		await page.getByRole('button', { name: 'Version history (Ctrl+Shift+H)' }).click();
		await panel.getByRole('button', { name: 'Save version…' }).click();
		await panel.getByRole('textbox', { name: 'Version name' }).fill('After');
		await panel.getByRole('button', { name: 'Save', exact: true }).click();
		await panel.getByText('After', { exact: true }).waitFor();
		await page.screenshot({ path: `${OUT}/panel-${tag}.png` });
		await panel.getByRole('button', { name: /Four boxes/ }).click();
		await page.getByRole('region', { name: 'Version preview' }).waitFor();
		await page.waitForTimeout(300);
		await page.screenshot({ path: `${OUT}/preview-${tag}.png` });
		await ctx.close();
	}
} finally {
	await shots.close();
}
