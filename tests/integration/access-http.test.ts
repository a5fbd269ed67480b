// Who may ask at all: page origins, the server secret across restarts and rotation, /healthz and /metrics, the access API's answers.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_FILE_NAME } from '../../server/auth/secret.ts';
import { openRaw, upgradeStatus } from '../helpers/clients.ts';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
afterEach(async () => {
	await server?.stop();
});

const upgradeStatusOf = (board: string, headers: Record<string, string> = {}) => upgradeStatus(`${server.wsUrl}/${board}`, headers);

async function claim(board: string, headers: Record<string, string> = {}): Promise<{ token: string; links: { edit: string; view: string } }> {
	const response = await fetch(`${server.url}/api/boards/${board}/claim`, { method: 'POST', headers });
	expect(response.status).toBe(201);
	return (await response.json()) as { token: string; links: { edit: string; view: string } };
}

const api = (route: string, init: RequestInit & { token?: string } = {}) =>
	fetch(`${server.url}/api/boards/${route}`, {
		...init,
		headers: { ...(init.token && { authorization: `Bearer ${init.token}` }), 'content-type': 'application/json', ...(init.headers as Record<string, string>) }
	});

describe('origins', () => {
	it("refuses a page of another origin with 403 before any upgrade; allows ORIGIN, ALLOWED_ORIGINS, the server's own origin and none", async () => {
		server = await startTestServer({ env: { ORIGIN: 'https://board.example.com', ALLOWED_ORIGINS: 'https://app.example.com' } });
		expect(await upgradeStatusOf('b', { origin: 'https://evil.example' })).toBe(403);
		expect(await upgradeStatusOf('b', { origin: 'https://board.example.com.evil.example' })).toBe(403);
		expect(await upgradeStatusOf('b', { origin: 'https://board.example.com' })).toBe(101);
		expect(await upgradeStatusOf('b', { origin: 'https://app.example.com' })).toBe(101);
		expect(await upgradeStatusOf('b', { origin: server.url })).toBe(101);
		expect(await upgradeStatusOf('b')).toBe(101);
		// The same rule for previews and the API.
		expect((await fetch(`${server.url}/preview/b`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
		expect((await api('b/claim', { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(403);
		expect((await fetch(`${server.url}/preview/b`, { headers: { origin: 'https://app.example.com' } })).status).toBe(200);
	});

	it('takes the server\'s own origin from X-Forwarded-Proto and -Host only behind a trusted proxy', async () => {
		const forwarded = { origin: 'https://public.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
		server = await startTestServer();
		expect(await upgradeStatusOf('b', forwarded)).toBe(403);
		await server.stop();
		server = await startTestServer({ env: { TRUST_PROXY: '1' } });
		expect(await upgradeStatusOf('b', forwarded)).toBe(101);
	});
});

describe('the server secret', () => {
	it('is made once in DATA_DIR with mode 0600 and kept across restarts: links stay valid', async () => {
		const dataDir = tempDataDir();
		server = await startTestServer({ dataDir });
		const file = path.join(dataDir, SECRET_FILE_NAME);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		const { token } = await claim('kept');
		await server.stop();
		server = await startTestServer({ dataDir });
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(await (await api('kept/access', { token })).json()).toMatchObject({ access: 'edit', claimed: true });
	});

	it('once rotated (SECRET set instead) makes every old link invalid', async () => {
		const dataDir = tempDataDir();
		server = await startTestServer({ dataDir });
		const { token } = await claim('rotated');
		await server.stop();
		server = await startTestServer({ dataDir, env: { SECRET: 'r'.repeat(40) } });
		expect(await (await openRaw(server.wsUrl, `rotated?token=${token}`)).closed).toEqual({ code: 4001, reason: 'invalid link' });
		expect((await api('rotated/access', { token })).status).toBe(403);
	});
});

describe('health and metrics', () => {
	it('/healthz says only ok; /metrics answers loopback, and others only with METRICS_TOKEN', async () => {
		server = await startTestServer({ env: { TRUST_PROXY: '1', METRICS_TOKEN: 'scrape' } });
		expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
		const local = await fetch(`${server.url}/metrics`);
		expect(local.status).toBe(200);
		expect(await local.text()).toMatch(/^boardwalk_connections 0$/m);
		// Behind the trusted proxy, the client is the address it names.
		const remote = { 'x-forwarded-for': '203.0.113.9' };
		expect((await fetch(`${server.url}/metrics`, { headers: remote })).status).toBe(403);
		expect((await fetch(`${server.url}/metrics`, { headers: { ...remote, authorization: 'Bearer wrong' } })).status).toBe(403);
		expect((await fetch(`${server.url}/metrics`, { headers: { ...remote, authorization: 'Bearer scrape' } })).status).toBe(200);
	});
});

describe('the access API', () => {
	it('answers access for each kind of request with its status', async () => {
		server = await startTestServer();
		expect(await (await api('fresh/access')).json()).toEqual({ access: 'edit', claimed: false, links: {} });
		const { token, links } = await claim('b');
		const view = new URL(links.view).hash.slice('#t='.length);
		expect(await (await api('b/access', { token })).json()).toEqual({ access: 'edit', claimed: true, links });
		expect(await (await fetch(`${server.url}/api/boards/b/access?token=${view}`)).json()).toEqual({
			access: 'view',
			claimed: true,
			links: { view: links.view }
		});
		const none = await api('b/access');
		expect(none.status).toBe(403);
		expect(await none.json()).toMatchObject({ error: 'link-required' });
		const bad = await api('b/access', { token: 'e0000000000000000000000' });
		expect(bad.status).toBe(403);
		expect(await bad.json()).toMatchObject({ error: 'link-invalid' });
		expect((await api('bad.name/access')).status).toBe(400);
	});

	it('resets links for editors only, giving an editor who reset the edit link its new token', async () => {
		server = await startTestServer();
		const { token, links } = await claim('r');
		const view = new URL(links.view).hash.slice('#t='.length);
		expect((await api('r/links/reset', { method: 'POST', token: view, body: JSON.stringify({ right: 'view' }) })).status).toBe(403);
		expect((await api('r/links/reset', { method: 'POST', token, body: JSON.stringify({ right: 'all' }) })).status).toBe(400);
		expect((await api('r/links/reset', { method: 'POST', body: JSON.stringify({ right: 'edit' }) })).status).toBe(403);
		const reset = await api('r/links/reset', { method: 'POST', token, body: JSON.stringify({ right: 'edit' }) });
		expect(reset.status).toBe(200);
		const body = (await reset.json()) as { token: string; links: { edit: string; view: string } };
		expect(body.token).not.toBe(token);
		expect(body.links).toEqual({ edit: `${server.url}/b/r#t=${body.token}`, view: links.view });
		expect((await api('r/access', { token })).status).toBe(403);
		expect((await api('r/access', { token: body.token })).status).toBe(200);
		expect((await api('unclaimed/links/reset', { method: 'POST', body: JSON.stringify({ right: 'edit' }) })).status).toBe(409);
	});

	it('puts ORIGIN in the links when it is set, and the preview needs a grant once the board is claimed', async () => {
		server = await startTestServer({ env: { ORIGIN: 'https://board.example.com' } });
		const { token, links } = await claim('p');
		expect(links.edit).toBe(`https://board.example.com/b/p#t=${token}`);
		expect((await fetch(`${server.url}/preview/p`)).status).toBe(403);
		expect((await fetch(`${server.url}/preview/p?token=${new URL(links.view).hash.slice(3)}`)).status).toBe(200);
	});
});
