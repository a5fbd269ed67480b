// Screenshots of two people typing into one sticky note at three sizes, into /tmp/shots-cotext/ (run: npx tsx tests/e2e/cotext-shots.mts; ONLY=<width> for one size).
import type { Page } from '@playwright/test';
import { ready, SHOT_SIZES, startShots } from './shots.ts';

const OUT = '/tmp/shots-cotext';
const shots = await startShots(OUT);
const { server, browser } = shots;

const note = (page: Page) => page.getByRole('textbox', { name: 'Sticky note text' });

try {
	for (const [width, height] of SHOT_SIZES) {
		const tag = `${width}x${height}`;
		const [ctxA, ctxB] = [await browser.newContext({ viewport: { width, height } }), await browser.newContext({ viewport: { width, height } })];
		const a = await ctxA.newPage();
		await a.goto(`${server.url}/b/cotext${width}${Date.now()}`);
		await a.waitForURL(/#t=e/);
		await ready(a);
		const b = await ctxB.newPage();
		await b.goto(a.url());
		await ready(b);
		await a.keyboard.press('n');
		await a.mouse.click(width * 0.5, height * 0.45);
		await note(a).waitFor();
		await a.keyboard.type('Agenda: launch');
		await b.waitForFunction(() => window.__boardwalk!.shapes()[0]?.text === 'Agenda: launch');
		const s = await b.evaluate(() => window.__boardwalk!.shapes()[0]!);
		const centre = await b.evaluate((p) => window.__boardwalk!.toClient(p), { x: s.x + s.w! / 2, y: s.y + s.h! / 2 });
		await b.mouse.dblclick(centre.x, centre.y);
		await note(b).waitFor();
		await b.keyboard.press('ControlOrMeta+Home');
		await b.keyboard.type('Mon: ');
		await a.keyboard.type(' review');
		await a.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement).value === 'Mon: Agenda: launch review');
		await b.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement).value === 'Mon: Agenda: launch review');
		for (const page of [a, b]) await page.locator('.peer-caret').waitFor();
		await a.screenshot({ path: `${OUT}/a-${tag}.png` });
		await b.screenshot({ path: `${OUT}/b-${tag}.png` });
		// B deletes the note under A's typing.
		await b.keyboard.press('Escape');
		await b.keyboard.press('Delete');
		await a.getByRole('alert').filter({ hasText: 'Someone deleted' }).waitFor();
		await a.screenshot({ path: `${OUT}/deleted-${tag}.png` });
		await ctxA.close();
		await ctxB.close();
	}
} finally {
	await shots.close();
}
