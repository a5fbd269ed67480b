// Screenshots of a board with shapes and two people at six sizes, light and dark, into /tmp/shots-layout/
// (run: npx tsx tests/e2e/layout-shots.mts; ONLY=<width> for one size, THEME=light|dark for one theme, EXTRA=1 for
// the phone's open style sheet, dialogs and home page).
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { ready, startShots } from './shots.ts';

const OUT = '/tmp/shots-layout';
const shots = await startShots(OUT);
const { server, browser } = shots;
const sizes = [
	[360, 740],
	[390, 844],
	[820, 1180],
	[1024, 768],
	[1280, 800],
	[1920, 1080]
] as const;
const themes = (['light', 'dark'] as const).filter((t) => !process.env.THEME || process.env.THEME === t);

async function person(b: Browser, width: number, height: number, theme: 'light' | 'dark'): Promise<Page> {
	const phone = width <= 720;
	const tablet = width <= 1024 && !phone;
	const options: BrowserContextOptions = { viewport: { width, height }, colorScheme: theme };
	if (phone || tablet) Object.assign(options, { isMobile: phone, hasTouch: true });
	return (await b.newContext(options)).newPage();
}

/** Draws a few shapes of each kind on a fresh board at desktop size; returns its edit link. */
async function seed(): Promise<string> {
	const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
	await page.goto(`${server.url}/b/layout${Date.now()}`);
	await page.waitForURL(/#t=e/);
	await ready(page);
	const drag = async (key: string, from: [number, number], to: [number, number]) => {
		await page.keyboard.press(key);
		await page.mouse.move(...from);
		await page.mouse.down();
		await page.mouse.move(...to, { steps: 6 });
		await page.mouse.up();
		await page.keyboard.press('Escape');
	};
	await drag('r', [480, 260], [640, 360]);
	await drag('o', [680, 280], [800, 380]);
	await drag('a', [560, 420], [760, 470]);
	await drag('p', [420, 420], [520, 500]);
	await page.keyboard.press('n');
	await page.mouse.click(860, 300);
	await page.keyboard.type('Sticky idea');
	await page.keyboard.press('Escape');
	await page.keyboard.press('t');
	await page.mouse.click(480, 200);
	await page.keyboard.type('Hello, board');
	await page.keyboard.press('Escape');
	await page.waitForFunction(() => window.__boardwalk?.saveState() === 'saved');
	const link = page.url();
	await page.context().close();
	return link;
}

try {
	const link = await seed();
	for (const [width, height] of sizes.filter(([w]) => !process.env.ONLY || String(w) === process.env.ONLY)) {
		for (const theme of themes) {
			const tag = `${width}x${height}-${theme}`;
			const me = await person(browser, width, height, theme);
			const other = await person(browser, 1280, 800, theme);
			await other.goto(link);
			await ready(other);
			await me.goto(link);
			await ready(me);
			await me.waitForFunction(() => document.querySelector('[data-testid="presence-count"]')?.textContent === '2');
			// Fit the drawing into view, and select the rectangle's tool so the style panel shows.
			await me.keyboard.press('Shift+1');
			await me.getByRole('button', { name: /^Rectangle/ }).click();
			await me.screenshot({ path: `${OUT}/board-${tag}.png` });
			if (process.env.EXTRA) {
				const toggle = me.locator('.sheet-toggle');
				if (await toggle.isVisible()) {
					await toggle.click();
					await me.screenshot({ path: `${OUT}/sheet-${tag}.png` });
					await toggle.click();
				}
				await me.getByRole('button', { name: 'Share' }).click();
				await me.screenshot({ path: `${OUT}/share-${tag}.png` });
				await me.keyboard.press('Escape');
				await me.getByRole('button', { name: /^Export/ }).click();
				await me.screenshot({ path: `${OUT}/export-${tag}.png` });
				await me.keyboard.press('Escape');
				await me.getByRole('button', { name: /^Version history/ }).click();
				await me.screenshot({ path: `${OUT}/history-${tag}.png` });
				await me.getByRole('button', { name: /^Version history/ }).click();
				await me.getByRole('button', { name: /^Keyboard shortcuts|^Help/ }).click();
				await me.screenshot({ path: `${OUT}/shortcuts-${tag}.png` });
				await me.keyboard.press('Escape');
				await me.context().setOffline(true);
				await me.getByRole('status', { name: 'Connection: Offline' }).waitFor();
				await me.screenshot({ path: `${OUT}/offline-${tag}.png` });
				await me.context().setOffline(false);
				await me.goto(`${server.url}/`);
				await me.screenshot({ path: `${OUT}/home-${tag}.png` });
			}
			await me.context().close();
			await other.context().close();
		}
	}
} finally {
	await shots.close();
}
