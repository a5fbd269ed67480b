// Pages: `/` opens a fresh, unguessable board; `/healthz` answers from the same origin.
import { test, expect } from './fixtures.ts';

test('/ redirects to a new board with an unguessable id', async ({ page, server }) => {
	await page.goto(server.url);
	await expect(page).toHaveURL(/\/b\/[A-Za-z0-9_-]{10,}$/);
	const first = new URL(page.url()).pathname;
	await page.goto(server.url);
	await expect(page).toHaveURL(/\/b\/[A-Za-z0-9_-]{10,}$/);
	expect(new URL(page.url()).pathname).not.toBe(first);
});

test('the app and the sync server share one origin', async ({ request, server }) => {
	const health = await request.get(`${server.url}/healthz`);
	expect(health.ok()).toBe(true);
	expect(await health.json()).toMatchObject({ ok: true });
});
