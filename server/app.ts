/** createApp(deps): the Hono routes (health, board sockets, previews, the web app), without listening; tests build it with their own deps. */
import { Hono, type Context, type Handler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Box } from '../src/lib/shared/model/index.ts';
import { PREVIEW_PATH_PREFIX, WS_PATH_PREFIX, isValidRoomName } from '../src/lib/shared/wire.ts';
import { authorize as authorizeRequest, type AccessRequest } from './auth/authorize.ts';
import { clientAddress } from './http/client-address.ts';
import { MAX_CONCURRENT_PREVIEWS, RateLimitedError, retryAfterSeconds } from './limits/limits.ts';
import type { Logger } from './log.ts';
import { ShuttingDownError, type RoomRegistry } from './rooms/registry.ts';
import { BoardUnreadableError } from './rooms/room.ts';
import type { SocketServer } from './sockets/server.ts';

export interface AppDeps {
	registry: RoomRegistry;
	sockets: Pick<SocketServer, 'upgrade'>;
	log: Logger;
	/** server/auth/authorize.ts unless a test gives another. */
	authorize?: typeof authorizeRequest;
	/** Serves everything that is not the API (the SvelteKit app in production). */
	fallback?: Handler;
	/** Reverse proxies whose X-Forwarded-For names the client (config.trustProxy); 0 when left out. */
	trustProxy?: number;
}

/** The room name in a `/ws/<room>` path (or `prefix<room>`), or null when it is not a valid name. */
export function roomNameFromPath(path: string, prefix = WS_PATH_PREFIX): string | null {
	if (!path.startsWith(prefix)) return null;
	let name: string;
	try {
		name = decodeURIComponent(path.slice(prefix.length));
	} catch {
		return null;
	}
	return isValidRoomName(name) ? name : null;
}

const BAD_ROOM_NAME = 'Bad room name: use 1 to 64 characters from A-Z, a-z, 0-9, _ and -.\n';

/** Board coordinates beyond this are no view anyone draws: refused rather than computed with. */
const MAX_VIEW_COORDINATE = 1e9;

/** `x,y,w,h` (board units) as a box, or null when it is not four finite numbers with w, h ≥ 0. */
function parseView(text: string): Box | null {
	const parts = text.split(',');
	if (parts.length !== 4 || parts.some((part) => part.trim() === '')) return null;
	const [x, y, w, h] = parts.map(Number) as [number, number, number, number];
	if (![x, y, w, h].every((n) => Number.isFinite(n) && Math.abs(n) <= MAX_VIEW_COORDINATE) || w < 0 || h < 0) return null;
	return { x, y, w, h };
}

/** The Node request behind `c`; none for requests made without a Node server (app.request in a test). */
const incomingOf = (c: Context) => (c.env as Partial<HttpBindings> | undefined)?.incoming;

function accessRequest(c: Context, trustProxy: number): AccessRequest {
	const remoteAddress = clientAddress(incomingOf(c)?.socket.remoteAddress, c.req.header('x-forwarded-for'), trustProxy);
	return { headers: c.req.raw.headers, url: c.req.url, remoteAddress };
}

const isUpgrade = (c: Context) => c.req.header('upgrade')?.toLowerCase() === 'websocket';

function refuse(c: Context, refused: { status: 401 | 403 | 404; message: string }): Response {
	return c.text(`${refused.message}\n`, refused.status);
}

export function createApp(deps: AppDeps): Hono {
	const { registry, sockets, log, authorize = authorizeRequest, trustProxy = 0 } = deps;
	const app = new Hono();
	/** Previews waiting for a room load or for stores (MAX_CONCURRENT_PREVIEWS). */
	let previewsInFlight = 0;

	// A WebSocket upgrade is only answered on /ws/: nothing else (the web app included) can take one.
	app.use('*', async (c, next) => {
		if (isUpgrade(c) && !c.req.path.startsWith(WS_PATH_PREFIX)) return c.text('No WebSocket here: boards are at /ws/<room>.\n', 400);
		await next();
	});

	app.get('/healthz', (c) => c.json({ ok: true, rooms: registry.roomCount, connections: registry.connectionCount }));

	// An upgrade: the board is parsed from the path once → authorize → the handshake → the room join.
	app.get(`${WS_PATH_PREFIX}*`, async (c) => {
		const board = roomNameFromPath(c.req.path);
		if (board === null) return c.text(BAD_ROOM_NAME, 400);
		if (!isUpgrade(c)) return c.text('This endpoint speaks the y-websocket protocol over WebSocket.\n', 426);
		// @hono/node-server routes every upgrade as a GET; the handshake itself must be one.
		const method = incomingOf(c)?.method;
		if (method !== undefined && method !== 'GET') return c.text('A WebSocket handshake is a GET.\n', 400);
		const decision = await authorize(accessRequest(c, trustProxy), board);
		if ('refused' in decision) return refuse(c, decision.refused);
		return sockets.upgrade(c, decision.grant);
	});

	// The same decision as a socket's: a preview is the board's content.
	app.get(`${PREVIEW_PATH_PREFIX}*`, async (c) => {
		const board = roomNameFromPath(c.req.path, PREVIEW_PATH_PREFIX);
		if (board === null) return c.text(BAD_ROOM_NAME, 400);
		const decision = await authorize(accessRequest(c, trustProxy), board);
		if ('refused' in decision) return refuse(c, decision.refused);
		const viewParam = c.req.query('view');
		const view = viewParam === undefined ? null : parseView(viewParam);
		if (viewParam !== undefined && view === null) return c.text('Bad view: use view=x,y,w,h in board units (w and h not negative).\n', 400);
		// Never cached: the board changes, and the Yjs sync that follows is what the page keeps.
		c.header('Cache-Control', 'no-store');
		if (previewsInFlight >= MAX_CONCURRENT_PREVIEWS) return c.text('Too many previews at once: try again shortly.\n', 503, { 'Retry-After': '1' });
		let preview: string | null;
		previewsInFlight++;
		try {
			preview = await registry.preview(board, view, decision.grant.remoteAddress);
		} catch (error) {
			if (error instanceof RateLimitedError) return c.text('Too many new boards from your address.\n', 429, { 'Retry-After': retryAfterSeconds(error.retryAfterMs) });
			if (error instanceof ShuttingDownError) return c.text('Server shutting down.\n', 503);
			if (!(error instanceof BoardUnreadableError)) log.error({ err: error, room: board }, 'preview failed');
			return c.text('The board could not be loaded.\n', 503);
		} finally {
			previewsInFlight--;
		}
		// No preview to give (see Room.preview): the page waits for the sync instead.
		if (preview === null) return c.body(null, 204);
		return c.body(preview, 200, { 'Content-Type': 'application/json' });
	});

	if (deps.fallback) app.all('*', deps.fallback);
	return app;
}
