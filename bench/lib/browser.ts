/** Headless Chromium for the browser scenarios: a current build of the app, our server with a board of N shapes, fresh pages. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { buildBoard, joinOnce, type BoardStyle, type Builder } from './board-clients.ts';
import { claimBoard } from './claim.ts';
import { ROOT, startServer, type BenchServer } from './servers.ts';

/** The e2e tests' window: what the figures are measured at. */
export const VIEWPORT = { width: 1280, height: 800 };
/** The board the targets are about, and the small one measured beside it as the baseline. */
export const BIG_BOARD = 10_000;
export const SMALL_BOARD = 100;
const PAINT_TIMEOUT_MS = 60_000;

/** CHROMIUM_PATH, Debian's chromium, or Playwright's own (the lookup of scripts/find-chromium.mjs, without installing). */
function chromiumPath(): string | undefined {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((file): file is string => {
		if (!file) return false;
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/** Rebuilds the app when src/ is newer than build/ (the server serves build/). */
export function ensureBuild(): void {
	execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath() });
}

/**
 * A bench board: a shape count (plain rects), or a count, how they are drawn, and whether nobody keeps
 * it open (`cold`: the builder leaves once the server stored it, so each visit loads it from SQLite).
 */
export type BoardSpec = number | { shapes: number; style?: BoardStyle; cold?: boolean };

export interface BoardServer {
	server: BenchServer;
	/** The edit link of one of the boards it was started with. */
	url(room: string): string;
	/** Claims a new board `room`, as its first page would, and gives its edit link. */
	claimedUrl(room: string): Promise<string>;
	/** Resolves once every cold board has been unloaded again (after the last visitor left). */
	coldAgain(): Promise<void>;
	close(): Promise<void>;
}

/** How long a cold board stays loaded after its last visitor left (ROOM_UNLOAD_DELAY_MS). */
const COLD_UNLOAD_DELAY_MS = 300;
const COLD_TIMEOUT_MS = 30_000;

async function loadedRooms(server: BenchServer): Promise<number> {
	// /metrics answers loopback, where the bench runs its servers.
	const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
	return Number(/^boardwalk_rooms (\d+)$/m.exec(metrics)?.[1] ?? NaN);
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
	const deadline = Date.now() + COLD_TIMEOUT_MS;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/**
 * Our server (as users run it) with one room per entry of `boards` (room → board), each built
 * by a client that stays connected, so the rooms stay in memory: the figures measure the browser,
 * not our load from SQLite (the cold-load scenario measures that). Cold boards are the exception.
 */
export async function startBoardServer(boards: Record<string, BoardSpec>): Promise<BoardServer> {
	const specs = Object.entries(boards).map(([room, spec]) => ({ room, ...(typeof spec === 'number' ? { shapes: spec } : spec) }));
	const anyCold = specs.some((spec) => spec.cold);
	const server = await startServer('boardwalk', anyCold ? { env: { ROOM_UNLOAD_DELAY_MS: String(COLD_UNLOAD_DELAY_MS) } } : {});
	const builders: Builder[] = [];
	// Every board is claimed first, as its first page would: pages then open it by its edit link.
	const tokens = new Map<string, string>();
	try {
		for (const { room, shapes, style, cold } of specs) {
			const token = await claimBoard(server.httpUrl, room);
			tokens.set(room, token);
			if (shapes === 0) continue;
			const builder = await buildBoard(server.wsUrl, room, shapes, style, token);
			if (!cold) {
				builders.push(builder);
				continue;
			}
			await until(async () => (await joinOnce(server.wsUrl, room, token)).shapes === shapes, `the server to store ${room}`);
			builder.close();
		}
	} catch (error) {
		for (const builder of builders) builder.close();
		await server.stop();
		throw error;
	}
	const warmRooms = builders.length;
	return {
		server,
		url: (room) => {
			const token = tokens.get(room);
			if (token === undefined) throw new Error(`${room} is not one of this server's boards: claimedUrl makes a new one`);
			return `${server.httpUrl}/b/${room}#t=${token}`;
		},
		claimedUrl: async (room) => `${server.httpUrl}/b/${room}#t=${await claimBoard(server.httpUrl, room)}`,
		coldAgain: () => until(async () => (await loadedRooms(server)) <= warmRooms, 'the cold boards to unload'),
		async close() {
			for (const builder of builders) builder.close();
			await server.stop();
		}
	};
}

/** One shape-layer draw, as the page's test hook reports it (src/lib/canvas/board-canvas.ts `Paint`). */
export interface Paint {
	/** performance.now() in the page when the draw finished. */
	at: number;
	ms: number;
	shapes: number;
	nodes: number;
	/** Shapes painted by the overview pass instead of nodes (a dense view at low zoom). */
	overview: number;
	/** The server's preview was on show (the doc not synced yet). */
	preview: boolean;
}

/** The part of the page's `window.__boardwalk` (src/lib/components/test-hook.ts) the bench reads. */
interface BenchHook {
	paints(): Paint[];
	shapes(): Array<{ id: string; type: string; points?: number[] }>;
	camera(): { x: number; y: number; zoom: number };
	status(): string;
	/** The canvas is mounted and takes input. */
	ready(): boolean;
	/** An image's state here by hash ('loading' | 'ready' | 'missing'); asking starts loading it. */
	imageState(hash: string): string;
	/** The page's IndexedDB copy holds every change it has seen. */
	keptLocally(): boolean;
}

declare global {
	interface Window {
		__boardwalk?: BenchHook;
	}
}

/**
 * A fresh context (empty IndexedDB, like a first visit). tsx compiles the bench with esbuild's keepNames,
 * which wraps named functions inside page.evaluate callbacks in `__name(…)`: the page needs a no-op one.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: VIEWPORT });
	await context.addInitScript('globalThis.__name = (fn) => fn;');
	return context;
}

/**
 * Opens `url` in a fresh context (empty IndexedDB, like a first visit); resolves at the first draw with
 * all `shapes` on the board: from the server's preview or the synced doc, or with `synced` only from
 * the synced doc (the board is editable, and its sync will not land in what is measured next).
 */
export async function openUntilPainted(
	browser: Browser,
	url: string,
	shapes: number,
	{ synced = false } = {}
): Promise<{ page: Page; paint: Paint; paints: Paint[] }> {
	const context = await newContext(browser);
	const page = await context.newPage();
	try {
		await page.goto(url);
		// Polled, not per frame: the poll itself would load the main thread being measured.
		await page.waitForFunction(
			([n, syncedOnly]) => window.__boardwalk?.paints().some((p) => p.shapes >= n && !(syncedOnly && p.preview)) ?? false,
			[shapes, synced] as [number, boolean],
			{ polling: 100, timeout: PAINT_TIMEOUT_MS }
		);
		const paints = await page.evaluate(() => window.__boardwalk!.paints());
		const paint = paints.find((p) => p.shapes >= shapes && !(synced && p.preview))!;
		return { page, paint, paints };
	} catch (error) {
		await context.close();
		throw error;
	}
}
