/** createApp(deps): the Hono routes (health, metrics, board sockets, previews, the access API, images and export, the web app), without listening; tests build it with their own deps. */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type Handler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Box } from '../src/lib/shared/model/index.ts';
import { EXPORT_PATH_PREFIX, PREVIEW_PATH_PREFIX, WS_PATH_PREFIX, isValidRoomName } from '../src/lib/shared/wire.ts';
import type { AccessRequest, Authorize, Authorizer, Refusal } from './auth/authorize.ts';
import { accessApi } from './http/access-api.ts';
import { exportRoute, imagesApi } from './http/images-api.ts';
import { historyApi } from './http/history-api.ts';
import type { VersionStorage } from './storage/types.ts';
import { clientAddress } from './http/client-address.ts';
import { DEFAULT_LIMITS, MAX_CONCURRENT_PREVIEWS, RateLimitedError, retryAfterSeconds, type Limits } from './limits/limits.ts';
import type { Logger } from './log.ts';
import { ShuttingDownError, type RoomRegistry } from './rooms/registry.ts';
import { BoardUnreadableError } from './rooms/room.ts';
import type { SocketServer } from './sockets/server.ts';
import type { ImageStorage } from './storage/types.ts';

export interface AppDeps {
	registry: RoomRegistry;
	sockets: Pick<SocketServer, 'upgrade' | 'refuse' | 'closeWhere'>;
	log: Logger;
	/** Who may open which board (server/auth/authorize.ts); the access API works on its records. */
	auth: Authorizer;
	/** Decides instead of `auth.authorize` for sockets and previews: tests give their own. */
	authorize?: Authorize;
	/** Serves everything that is not the API (the SvelteKit app in production). */
	fallback?: Handler;
	/** Reverse proxies whose X-Forwarded-For names the client (config.trustProxy); 0 when left out. */
	trustProxy?: number;
	/** ORIGIN as the operator set it, for the links the API hands out; null: each request's own origin. */
	publicOrigin?: string | null;
	/** A Bearer token that opens /metrics to addresses other than loopback (METRICS_TOKEN). */
	metricsToken?: string | null;
	/** Where images are stored; without it the image routes and /export are not served. */
	images?: ImageStorage;
	/** DEFAULT_LIMITS when left out (the image limits are read here). */
	limits?: Limits;
	/** Where versions are stored; without it the history routes are not served. */
	versions?: VersionStorage;
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

const refuse = (c: Context, refused: Refusal) => c.json({ error: refused.error, message: refused.message }, refused.status);

const isLoopback = (address: string | null) => address !== null && (address === '::1' || address.startsWith('127.'));

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** The counts /healthz used to give, for Prometheus (text format 0.0.4). */
function metricsText(registry: RoomRegistry): string {
	return [
		'# HELP boardwalk_rooms Boards loaded in memory.',
		'# TYPE boardwalk_rooms gauge',
		`boardwalk_rooms ${registry.roomCount}`,
		'# HELP boardwalk_connections Open board sockets.',
		'# TYPE boardwalk_connections gauge',
		`boardwalk_connections ${registry.connectionCount}`,
		''
	].join('\n');
}

export function createApp(deps: AppDeps): Hono {
	const { registry, sockets, log, auth, authorize = auth.authorize, trustProxy = 0 } = deps;
	const app = new Hono();
	/** Previews waiting for a room load or for stores (MAX_CONCURRENT_PREVIEWS). */
	let previewsInFlight = 0;

	// A WebSocket upgrade is only answered on /ws/: nothing else (the web app included) can take one.
	app.use('*', async (c, next) => {
		if (isUpgrade(c) && !c.req.path.startsWith(WS_PATH_PREFIX)) return c.text('No WebSocket here: boards are at /ws/<room>.\n', 400);
		await next();
	});

	// Public, so it says nothing but "up": how many boards and people are here is for /metrics.
	app.get('/healthz', (c) => c.json({ ok: true }));

	app.get('/metrics', (c) => {
		const { remoteAddress } = accessRequest(c, trustProxy);
		const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
		const allowed = isLoopback(remoteAddress) || (!!deps.metricsToken && bearer !== undefined && sameSecret(bearer, deps.metricsToken));
		if (!allowed) return c.text('Metrics answer only to loopback, or to the METRICS_TOKEN as a Bearer token.\n', 403);
		return c.body(metricsText(registry), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
	});

	app.route(
		'/api/boards',
		accessApi({ auth, sockets, requestOf: (c) => accessRequest(c, trustProxy), publicOrigin: deps.publicOrigin ?? null, trustProxy })
	);

	if (deps.images) {
		const imageDeps = {
			auth,
			storage: deps.images,
			registry,
			limits: deps.limits ?? DEFAULT_LIMITS,
			requestOf: (c: Context) => accessRequest(c, trustProxy),
			log
		};
		app.route('/api/boards', imagesApi(imageDeps));
		app.route(EXPORT_PATH_PREFIX.slice(0, -1), exportRoute(imageDeps));
	}

	if (deps.versions) {
		app.route(
			'/api/boards',
			historyApi({ auth, access: auth.options.access, storage: deps.versions, registry, requestOf: (c) => accessRequest(c, trustProxy), log })
		);
	}

	// An upgrade: the board is parsed from the path once → authorize → the handshake → the room join.
	app.get(`${WS_PATH_PREFIX}*`, async (c) => {
		const board = roomNameFromPath(c.req.path);
		if (board === null) return c.text(BAD_ROOM_NAME, 400);
		if (!isUpgrade(c)) return c.text('This endpoint speaks the y-websocket protocol over WebSocket.\n', 426);
		// @hono/node-server routes every upgrade as a GET; the handshake itself must be one.
		const method = incomingOf(c)?.method;
		if (method !== undefined && method !== 'GET') return c.text('A WebSocket handshake is a GET.\n', 400);
		const decision = await authorize(accessRequest(c, trustProxy), board);
		if ('grant' in decision) return sockets.upgrade(c, decision.grant);
		const { refused } = decision;
		// A page of another origin gets no socket at all; a token problem is a close code the page can read.
		if (refused.closeCode === undefined) return c.text(`${refused.message}\n`, refused.status);
		return sockets.refuse(c, refused.closeCode, refused.reason ?? refused.error);
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
