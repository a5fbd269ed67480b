/** createApp(deps): the Hono routes (health, room sockets, the web app), without listening; tests build it with their own deps. */
import type { Server } from 'node:http';
import { Hono, type Handler } from 'hono';
import type { Box } from '../src/lib/shared/model/index.ts';
import { PREVIEW_PATH_PREFIX, WS_PATH_PREFIX, isValidRoomName } from '../src/lib/shared/wire.ts';
import type { Logger } from './log.ts';
import { RoomRegistry, ShuttingDownError } from './rooms/registry.ts';
import type { RoomStorage } from './storage/types.ts';
import { createWebSockets } from './ws.ts';

export interface AppDeps {
	storage: RoomStorage;
	log: Logger;
	maxFrameBytes: number;
	roomUnloadDelayMs: number;
	pingIntervalMs?: number;
	compactAfterUpdates?: number;
	compactAfterBytes?: number;
	compactWhenIdleMs?: number;
	/** Serves everything that is not the API (the SvelteKit app in production). */
	fallback?: Handler;
}

export interface BoardwalkApp {
	app: Hono;
	registry: RoomRegistry;
	/** Attaches WebSocket upgrades to `server`; with `onlyOurPaths`, other upgrades (Vite HMR) are left alone. */
	attach(server: Server, onlyOurPaths?: boolean): void;
	/** Stores every room, closes every socket (1001). */
	shutdown(): Promise<void>;
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

export function createApp(deps: AppDeps): BoardwalkApp {
	const registry = new RoomRegistry({
		storage: deps.storage,
		log: deps.log,
		unloadDelayMs: deps.roomUnloadDelayMs,
		compactAfterUpdates: deps.compactAfterUpdates,
		compactAfterBytes: deps.compactAfterBytes,
		compactWhenIdleMs: deps.compactWhenIdleMs
	});
	const app = new Hono();
	const sockets = createWebSockets(app, {
		registry,
		log: deps.log,
		maxFrameBytes: deps.maxFrameBytes,
		pingIntervalMs: deps.pingIntervalMs
	});

	app.get('/healthz', (c) =>
		c.json({ ok: true, rooms: registry.roomCount, connections: registry.connectionCount })
	);

	const upgrade = sockets.handler((path) => roomNameFromPath(path) ?? '');
	app.get(`${WS_PATH_PREFIX}*`, async (c, next) => {
		if (roomNameFromPath(c.req.path) === null) return c.text(BAD_ROOM_NAME, 400);
		if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
			return c.text('This endpoint speaks the y-websocket protocol over WebSocket.\n', 426);
		}
		return upgrade(c, next);
	});

	app.get(`${PREVIEW_PATH_PREFIX}*`, async (c) => {
		const name = roomNameFromPath(c.req.path, PREVIEW_PATH_PREFIX);
		if (name === null) return c.text(BAD_ROOM_NAME, 400);
		const viewParam = c.req.query('view');
		const view = viewParam === undefined ? null : parseView(viewParam);
		if (viewParam !== undefined && view === null) return c.text('Bad view: use view=x,y,w,h in board units (w and h not negative).\n', 400);
		// Never cached: the board changes, and the Yjs sync that follows is what the page keeps.
		c.header('Cache-Control', 'no-store');
		let preview: string | null;
		try {
			preview = await registry.preview(name, view);
		} catch (error) {
			if (error instanceof ShuttingDownError) return c.text('Server shutting down.\n', 503);
			deps.log.error({ err: error, room: name }, 'preview failed');
			return c.text('The board could not be loaded.\n', 503);
		}
		// No preview to give (see Room.preview): the page waits for the sync instead.
		if (preview === null) return c.body(null, 204);
		return c.body(preview, 200, { 'Content-Type': 'application/json' });
	});

	if (deps.fallback) app.all('*', deps.fallback);

	return {
		app,
		registry,
		attach(server, onlyOurPaths = false) {
			sockets.attach(server, onlyOurPaths ? (url) => url.startsWith(WS_PATH_PREFIX) : undefined);
		},
		async shutdown() {
			await registry.shutdown();
			sockets.close();
		}
	};
}
