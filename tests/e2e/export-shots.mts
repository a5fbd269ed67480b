// Screenshots of the Export dialog at phone and desktop sizes (run by hand: node --import tsx tests/e2e/export-shots.mts).
import { chromium } from '@playwright/test';
import { startServerProcess } from '../helpers/server-process.ts';

const server = await startServerProcess();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
try {
	for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]] as const) {
		const page = await browser.newPage({ viewport });
		await page.goto(`${server.url}/b/shots${name}${Date.now()}`);
		await page.waitForURL(/#t=e/);
		await page.getByRole('button', { name: 'Export image (Ctrl+Shift+E)' }).click();
		await page.getByRole('dialog', { name: 'Export' }).waitFor();
		await page.screenshot({ path: `/tmp/export-dialog-${name}.png` });
		await page.close();
	}
} finally {
	await browser.close();
	server.child.kill('SIGTERM');
}
