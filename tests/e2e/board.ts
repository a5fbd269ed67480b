/** Helpers for driving a board page like a person (mouse and keyboard) and reading it through `window.__boardwalk`. */
import { expect, type Page } from '@playwright/test';
import type { NewShape } from '../../src/lib/board/index.ts';
import { SHAPE_DEFAULTS } from '../../src/lib/shared/model/schema.ts';

export interface ShapeInfo {
	id: string;
	type: string;
	x: number;
	y: number;
	w?: number;
	h?: number;
	text?: string;
	stroke: string;
	fill: string;
	opacity: number;
	index: string;
}

/** Waits until the canvas takes input and the page has synced with the server (the status badge says so, too). */
export async function waitConnected(page: Page): Promise<void> {
	await expect.poll(() => page.evaluate(() => window.__boardwalk?.ready() ?? false)).toBe(true);
	await expect(page.getByRole('status', { name: 'Connection: Connected' })).toBeVisible({ timeout: 15_000 });
	await expect.poll(() => page.evaluate(() => window.__boardwalk?.status())).toBe('connected');
}

export function shapes(page: Page): Promise<ShapeInfo[]> {
	return page.evaluate(() => (window.__boardwalk?.shapes() ?? []) as unknown as ShapeInfo[]);
}

export function nodeCount(page: Page): Promise<number> {
	return page.evaluate(() => window.__boardwalk?.nodeCount() ?? -1);
}

export function selection(page: Page): Promise<string[]> {
	return page.evaluate(() => window.__boardwalk?.selection() ?? []);
}

/** Shape types on the board, bottom to top. */
export async function types(page: Page): Promise<string[]> {
	return (await shapes(page)).map((s) => s.type);
}

/** Waits until the board shows exactly `count` shapes, in the doc and as painted Konva nodes. */
export async function expectShapeCount(page: Page, count: number): Promise<void> {
	await expect.poll(async () => (await shapes(page)).length).toBe(count);
	await expect.poll(() => nodeCount(page)).toBe(count);
}

/** A board point in page coordinates. */
export function toClient(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
	return page.evaluate(([bx, by]) => window.__boardwalk!.toClient({ x: bx!, y: by! }), [x, y]);
}

export async function pickTool(page: Page, name: RegExp | string): Promise<void> {
	await page.getByRole('button', { name }).click();
}

/** Press, move in steps, release: how a person drags. */
export async function drag(page: Page, from: [number, number], to: [number, number], steps = 8): Promise<void> {
	await page.mouse.move(...from);
	await page.mouse.down();
	await page.mouse.move(...to, { steps });
	await page.mouse.up();
}

export async function openTwo(openBoard: (id?: string) => Promise<Page>): Promise<[Page, Page]> {
	const a = await openBoard();
	const b = await openBoard();
	await Promise.all([waitConnected(a), waitConnected(b)]);
	return [a, b];
}

export function hexToRgbTuple(hex: string): [number, number, number] {
	const n = parseInt(hex.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The colour painted at a page point, read from the displayed Konva layers (topmost opaque pixel). */
export function pixel(page: Page, x: number, y: number): Promise<[number, number, number] | null> {
	return page.evaluate(
		([px, py]) => {
			const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="board-canvas"] canvas')].reverse();
			for (const canvas of canvases) {
				const rect = canvas.getBoundingClientRect();
				// A layer with nothing to show is hidden (display: none): it paints nothing.
				if (rect.width === 0) continue;
				const scale = canvas.width / rect.width;
				const data = canvas.getContext('2d')!.getImageData(Math.round((px! - rect.left) * scale), Math.round((py! - rect.top) * scale), 1, 1).data;
				if (data[3]! > 200) return [data[0]!, data[1]!, data[2]!];
			}
			return null;
		},
		[x, y]
	);
}

/** `count` 10×10 rects in rows of 40, 12 units apart, from row `fromRow`: 1,000 fit the 1280×800 view at 100 %. */
export function smallRects(count: number, fromRow = 0): NewShape[] {
	return Array.from({ length: count }, (_, i) => ({
		type: 'rect' as const,
		...SHAPE_DEFAULTS.rect,
		x: 400 + (i % 40) * 12,
		y: 200 + (fromRow + Math.floor(i / 40)) * 12,
		w: 10,
		h: 10
	}));
}

/**
 * Holds what the server sends on `page`'s board socket (and, with `outgoing`, what the page sends it)
 * until the returned function is called; frames keep their order. `onSent` sees each frame the page sends.
 */
export async function holdSocket(page: Page, options: { outgoing?: boolean; onSent?: (message: string | Buffer) => void } = {}): Promise<() => void> {
	let release = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.routeWebSocket(/\/ws\//, (ws) => {
		const upstream = ws.connectToServer();
		if (options.outgoing || options.onSent) {
			ws.onMessage(async (message) => {
				options.onSent?.(message);
				if (options.outgoing) await released;
				upstream.send(message);
			});
		}
		upstream.onMessage(async (message) => {
			await released;
			ws.send(message);
		});
	});
	return release;
}

/**
 * Routes `page`'s board socket through a gate, reloading the page so that its socket is the routed one. While
 * held, what the server sends waits (in order) until released, as on a slow link where two people's edits cross
 * in flight; what the page sends goes on. Keep holds short: a socket that hears nothing for about 3.5 s is
 * replaced (HEARTBEAT_TIMEOUT_MS in src/lib/collab/provider.ts).
 */
export async function gateSocket(page: Page): Promise<{ hold(): void; release(): void }> {
	let gate = Promise.resolve();
	let open = () => {};
	await page.routeWebSocket(/\/ws\//, (ws) => {
		const upstream = ws.connectToServer();
		upstream.onMessage(async (message) => {
			await gate;
			ws.send(message);
		});
	});
	await page.reload();
	await waitConnected(page);
	return {
		hold: () => {
			gate = new Promise((resolve) => (open = resolve));
		},
		release: () => open()
	};
}

/** Records in the `updates` store of the IndexedDB database `name` (one per stored Yjs update), read through a connection of its own. */
export function storedRecords(page: Page, name: string): Promise<number> {
	return page.evaluate(
		(db) =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open(db);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const count = open.result.transaction('updates', 'readonly').objectStore('updates').count();
					count.onsuccess = () => {
						open.result.close();
						resolve(count.result);
					};
				};
			}),
		name
	);
}
