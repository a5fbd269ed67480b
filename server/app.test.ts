// The upgrade pipeline and the preview: the board is parsed once, `authorize` decides before anything is served, its grant goes to the socket.
import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from 'hono';
import { createApp } from './app.ts';
import { testAuthorizer } from '../tests/helpers/test-server.ts';
import type { AccessRequest, Decision, Grant } from './auth/authorize.ts';
import { createLogger } from './log.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { MemoryStorage } from './storage/memory.ts';

const log = createLogger('silent');
const registries: RoomRegistry[] = [];
afterEach(async () => {
	for (const registry of registries.splice(0)) await registry.shutdown();
});

/** The app over a real registry, with an `authorize` that answers `decide` and a socket server that records upgrades. */
function app(decide: (request: AccessRequest, board: string) => Decision, fallback?: () => Response) {
	const asked: Array<{ board: string; origin: string | null }> = [];
	const upgraded: Grant[] = [];
	const storage = new MemoryStorage();
	const registry = new RoomRegistry({ storage, log, unloadDelayMs: 0 });
	registries.push(registry);
	const auth = testAuthorizer(storage, log, ['http://board.test']);
	const hono = createApp({
		registry,
		log,
		auth,
		sockets: {
			upgrade: async (_c: Context, grant: Grant) => {
				upgraded.push(grant);
				return new Response('upgraded');
			},
			refuse: async (_c: Context, code: number, reason: string) => new Response(`closed ${code} ${reason}`),
			closeWhere: () => 0
		},
		authorize: async (request: AccessRequest, board: string) => {
			asked.push({ board, origin: request.headers.get('origin') });
			return decide(request, board);
		},
		fallback
	});
	return { hono, asked, upgraded };
}

const grant = (request: AccessRequest, board: string): Decision => ({
	grant: { board, access: 'edit', remoteAddress: request.remoteAddress, origin: request.headers.get('origin'), tokenKind: 'open' }
});
const forbidden = (): Decision => ({ refused: { status: 403, error: 'origin-refused', message: 'Not yours.' } });
const revoked = (): Decision => ({ refused: { status: 403, error: 'link-invalid', message: 'Old link.', closeCode: 4001, reason: 'link reset' } });
const upgrade = { headers: { upgrade: 'websocket', origin: 'http://board.test' } };

describe('the upgrade pipeline', () => {
	it('parses the board from the path once, asks authorize, and upgrades with its grant', async () => {
		const { hono, asked, upgraded } = app(grant);
		const response = await hono.request('/ws/Board_1', upgrade);
		expect(await response.text()).toBe('upgraded');
		expect(asked).toEqual([{ board: 'Board_1', origin: 'http://board.test' }]);
		expect(upgraded).toEqual([{ board: 'Board_1', access: 'edit', remoteAddress: null, origin: 'http://board.test', tokenKind: 'open' }]);
	});

	it('answers a refusal without a close code (another origin) with its HTTP status, before any upgrade', async () => {
		const { hono, upgraded } = app(forbidden);
		const response = await hono.request('/ws/Board_1', upgrade);
		expect(response.status).toBe(403);
		expect(await response.text()).toBe('Not yours.\n');
		expect(upgraded).toEqual([]);
	});

	it('answers a token refusal with an upgrade closed at once with its code, which a browser can read', async () => {
		const { hono, upgraded } = app(revoked);
		const response = await hono.request('/ws/Board_1', upgrade);
		expect(await response.text()).toBe('closed 4001 link reset');
		expect(upgraded).toEqual([]);
	});

	it('refuses an upgrade outside /ws/ with 400, and a handshake that is not a GET, before anything else sees them', async () => {
		let webApp = 0;
		const { hono, asked } = app(grant, () => {
			webApp++;
			return new Response('the web app');
		});
		expect((await hono.request('/', upgrade)).status).toBe(400);
		expect((await hono.request('/preview/Board_1', upgrade)).status).toBe(400);
		expect(await (await hono.request('/')).text()).toBe('the web app');
		expect(webApp).toBe(1);
		// @hono/node-server hands every upgrade to the app as a GET; the Node request has the real method.
		const post = await hono.request('/ws/Board_1', upgrade, { incoming: { method: 'POST', socket: {} } });
		expect(post.status).toBe(400);
		expect(asked).toEqual([]);
	});

	it('refuses a bad board name and explains a plain GET without asking authorize', async () => {
		const { hono, asked } = app(grant);
		expect((await hono.request('/ws/bad.name', upgrade)).status).toBe(400);
		expect((await hono.request('/ws/good-name')).status).toBe(426);
		expect(asked).toEqual([]);
	});
});

describe('the preview', () => {
	it('asks the same authorize, and serves nothing it refuses', async () => {
		const { hono, asked } = app(forbidden);
		const response = await hono.request('/preview/Board_1', { headers: { origin: 'http://board.test' } });
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ error: 'origin-refused', message: 'Not yours.' });
		expect(asked).toEqual([{ board: 'Board_1', origin: 'http://board.test' }]);
	});

	it('serves the board it grants', async () => {
		const { hono, asked } = app(grant);
		const response = await hono.request('/preview/Board_1');
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ total: 0, shapes: [] });
		expect(asked.map((a) => a.board)).toEqual(['Board_1']);
	});
});
