// Pages: `/new` opens a fresh, unguessable board, whose address becomes its edit link; `/` creates nothing; `/healthz` answers from the same origin.
import { test, expect } from './fixtures.ts';

/** A new board's address once its page claimed it: the board's edit link. */
const EDIT_LINK = /\/b\/[A-Za-z0-9_-]{10,}#t=e[A-Za-z0-9_-]{22}$/;

test('/new redirects to a new board with an unguessable id, and the address becomes its edit link', async ({ page, server }) => {
	await page.goto(`${server.url}/new`);
	await expect(page).toHaveURL(EDIT_LINK);
	const first = new URL(page.url()).pathname;
	await page.goto(`${server.url}/new`);
	await expect(page).toHaveURL(EDIT_LINK);
	expect(new URL(page.url()).pathname).not.toBe(first);
});

test('/ is the home page: it opens no board', async ({ page, server }) => {
	await page.goto(server.url);
	await expect(page.getByRole('heading', { name: 'Start your first board' })).toBeVisible();
	expect(new URL(page.url()).pathname).toBe('/');
});

test('the app and the sync server share one origin', async ({ request, server }) => {
	const health = await request.get(`${server.url}/healthz`);
	expect(health.ok()).toBe(true);
	expect(await health.json()).toMatchObject({ ok: true });
});
