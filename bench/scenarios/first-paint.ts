/** Browser: time from navigating to a 10,000-shape board until the canvas has drawn every shape in view (vs a 100-shape board). */
import type { Browser, Page } from '@playwright/test';
import { ensureBuild, launchBrowser, openUntilPainted, startBoardServer, type BoardServer, type BoardSpec, BIG_BOARD, SMALL_BOARD } from '../lib/browser.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { median, ms, percentile, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const TARGET_MS = 1_000;
const LOCAL_COPY_TIMEOUT_MS = 30_000;

interface Load {
	/** First draw of the (still empty) canvas: the app is up. */
	readyMs: number;
	/** First draw with every shape of the board known to the canvas (from the server's preview, or synced). */
	paintMs: number;
	/** Whether that draw showed the preview (GET /preview), the doc not synced yet. */
	fromPreview: boolean;
	/** First draw with every shape of the board in the synced doc: from here the board is editable. */
	syncedMs: number;
	/** How long that draw took. */
	drawMs: number;
	nodes: number;
	/** The same after a reload once the local copy holds the board: a returning visit. */
	revisitMs: number;
}

/** How long a returning visitor waits: the page reloaded with the browser's cache and IndexedDB copy warm. */
async function reloadUntilPainted(page: Page, shapes: number): Promise<number> {
	await page.waitForFunction(() => window.__boardwalk!.keptLocally(), null, { polling: 100, timeout: LOCAL_COPY_TIMEOUT_MS });
	await page.reload();
	await page.waitForFunction((n) => window.__boardwalk?.paints().some((p) => p.shapes >= n) ?? false, shapes, { polling: 100, timeout: LOCAL_COPY_TIMEOUT_MS });
	return page.evaluate((n) => window.__boardwalk!.paints().find((p) => p.shapes >= n)!.at, shapes);
}

/** When the board was first drawn from the synced doc (after the preview, if one was drawn). */
async function syncedPaint(page: Page, shapes: number): Promise<number> {
	const synced = (n: number) => window.__boardwalk!.paints().find((p) => !p.preview && p.shapes >= n)?.at ?? null;
	await page.waitForFunction(synced, shapes, { polling: 100, timeout: LOCAL_COPY_TIMEOUT_MS });
	return (await page.evaluate(synced, shapes))!;
}

async function load(browser: Browser, boards: BoardServer, room: string, shapes: number): Promise<Load> {
	// A cold board must be unloaded from the server again since its last visit.
	await boards.coldAgain();
	const { page, paint, paints } = await openUntilPainted(browser, boards.url(room), shapes);
	try {
		const syncedMs = await syncedPaint(page, shapes);
		const revisitMs = await reloadUntilPainted(page, shapes);
		return { readyMs: paints[0]!.at, paintMs: paint.at, fromPreview: paint.preview, syncedMs, drawMs: paint.ms, nodes: paint.nodes, revisitMs };
	} finally {
		await page.context().close();
	}
}

/** The boards loaded, in rotation: the small one is the baseline, the plain 10k one the target's board. */
const BOARDS: Array<{ room: string; label: string; spec: BoardSpec }> = [
	{ room: 'small', label: `${SMALL_BOARD.toLocaleString('en')} shapes`, spec: SMALL_BOARD },
	{ room: 'big', label: `${BIG_BOARD.toLocaleString('en')} shapes`, spec: BIG_BOARD },
	{ room: 'styled', label: `${BIG_BOARD.toLocaleString('en')} styled (every field set)`, spec: { shapes: BIG_BOARD, style: 'styled' } },
	{ room: 'cold', label: `${BIG_BOARD.toLocaleString('en')}, nobody has it open (loaded from SQLite)`, spec: { shapes: BIG_BOARD, cold: true } }
];

const shapeCount = (spec: BoardSpec): number => (typeof spec === 'number' ? spec : spec.shapes);

async function run({ quick, report }: BenchContext): Promise<void> {
	const loads = quick ? 2 : 9;
	// --quick loads the target's boards only (both kept open on the server).
	const boardsLoaded = quick ? BOARDS.slice(0, 2) : BOARDS;
	ensureBuild();
	const boards = await startBoardServer(Object.fromEntries(boardsLoaded.map((b) => [b.room, b.spec])));
	const browser = await launchBrowser();
	const results = new Map<string, Load[]>(boardsLoaded.map((b) => [b.room, []]));
	const notes = [loadNote('start')];
	try {
		// A first load of each warms the browser's caches (HTTP, compiled JS) and the server's encoded
		// reply for fresh joiners, which a loaded room keeps until it changes.
		for (const board of boardsLoaded) await load(browser, boards, board.room, shapeCount(board.spec));
		for (let i = 0; i < loads; i++) {
			// Rotate the order, so outside load hits every board alike.
			for (let k = 0; k < boardsLoaded.length; k++) {
				const board = boardsLoaded[(i + k) % boardsLoaded.length]!;
				results.get(board.room)!.push(await load(browser, boards, board.room, shapeCount(board.spec)));
			}
		}
	} finally {
		await browser.close();
		await boards.close();
	}
	notes.push(loadNote('end'));
	const base = median(results.get('small')!.map((l) => l.paintMs));
	const rows: Row[] = boardsLoaded.map((board) => {
		const measured = results.get(board.room)!;
		const paint = measured.map((l) => l.paintMs);
		return {
			board: board.label,
			loads: paint.length,
			'first full paint median ms': ms(median(paint)),
			'p95 ms': ms(percentile(paint, 0.95)),
			'×100-shape board': ratio(median(paint), base),
			'from preview': `${measured.filter((l) => l.fromPreview).length}/${measured.length}`,
			'synced paint median ms': ms(median(measured.map((l) => l.syncedMs))),
			'app ready (empty canvas) ms': ms(median(measured.map((l) => l.readyMs))),
			'returning visit median ms': ms(median(measured.map((l) => l.revisitMs))),
			'that draw ms': ms(median(measured.map((l) => l.drawMs))),
			'nodes drawn': median(measured.map((l) => l.nodes))
		};
	});
	report.table('first-paint', `Browser first paint: navigation to the first draw showing the whole board (${loads} loads each, fresh context each)`, rows, [
		'time = performance.now() in the page (from navigation start) when the shape layer finished the first draw made with every shape of the board received (window.__boardwalk.paints()): from the preview the server sends ahead of the Yjs sync (GET /preview/<room>), or from the synced doc if that came first. from preview = loads whose first full paint was the preview.',
		'synced paint = the first draw with every shape in the synced doc: from then on the board is editable (while it is a preview, the shapes are drawn but not yet selectable).',
		'Headless Chromium (software rendering), 1280×800, our server with the room in memory (its builder stays connected), except the board nobody has open: its builder left, and each visit waits until the server has unloaded it (ROOM_UNLOAD_DELAY_MS=300), so the server loads it from SQLite for that visit; rect grid 100 per row, 120 units apart, 60–100 units wide and high; camera at 100 %.',
		'Shapes store only the fields that differ from their defaults: a plain rect 6 fields, a styled one (colours, width, opacity, a 5° tilt) all 11. The target is about the plain board; the styled one is the most a rect board costs.',
		`Baseline: the same page and server with a ${SMALL_BOARD}-shape board, loads alternating. Target: 10k-shape board under ${TARGET_MS} ms, on a first visit.`,
		'returning visit = the same page reloaded once its IndexedDB copy holds the board: HTTP cache and compiled code warm, the board read from the local copy and the server sending only what it lacks.',
		...notes
	]);
}

export const firstPaint: Scenario = {
	name: 'first-paint',
	summary: 'browser: navigation to the first full paint of a 10,000-shape board (vs 100 shapes)',
	inQuick: true,
	run
};
