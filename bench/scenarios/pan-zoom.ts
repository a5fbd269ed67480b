/** Browser: frame times while panning and zooming a 10,000-shape board with the wheel (vs a 100-shape board). */
import type { Page } from '@playwright/test';
import { ensureBuild, launchBrowser, openUntilPainted, startBoardServer, type Paint, BIG_BOARD, SMALL_BOARD } from '../lib/browser.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { median, ms, percentile, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const TARGET_P95_MS = 20;

/** One wheel event per frame: deltas in CSS px; `zoom` = ctrl+wheel (deltaY 20 ≈ ×0.94 per frame). */
interface Step {
	dx: number;
	dy: number;
	zoom: boolean;
}

const repeat = (count: number, step: Step): Step[] => Array.from({ length: count }, () => step);

/** Pan, zoom out to ~45 %, pan, zoom in to ~220 %, pan, back to ~100 %: what a person exploring the board does. */
const EXPLORE: Step[] = [
	...repeat(30, { dx: 15, dy: 9, zoom: false }),
	...repeat(12, { dx: 0, dy: 20, zoom: true }),
	...repeat(30, { dx: -15, dy: 12, zoom: false }),
	...repeat(24, { dx: 0, dy: -20, zoom: true }),
	...repeat(30, { dx: 12, dy: -9, zoom: false }),
	...repeat(12, { dx: 0, dy: 20, zoom: true })
];
const ZOOM_OUT_FULLY = repeat(40, { dx: 0, dy: 100, zoom: true });
/** Zoomed out until the whole 12,000-unit board is in view (10 %), then panned: no culling can help here. */
const WHOLE_BOARD_PAN: Step[] = [...ZOOM_OUT_FULLY, ...repeat(60, { dx: 6, dy: 4, zoom: false })];
/** From 10 %, zoomed in to ~25 % and back out, a frame at a time: the board stays in the overview. */
const WHOLE_BOARD_ZOOM: Step[] = [...ZOOM_OUT_FULLY, ...repeat(15, { dx: 0, dy: -20, zoom: true }), ...repeat(15, { dx: 0, dy: 20, zoom: true })];

interface Motion {
	frameMs: number[];
	drawMs: number[];
	nodes: number[];
	overview: number[];
}

/**
 * Dispatches one wheel event per animation frame on the canvas (a trackpad's rate) and records the
 * interval between frames (requestAnimationFrame timestamps), plus the shape-layer draws meanwhile.
 */
async function drive(page: Page, steps: Step[], measureFrom: number): Promise<Motion> {
	const { frames, start, end } = await page.evaluate(async (script) => {
		const box = document.querySelector('[data-testid="board-canvas"]')!.getBoundingClientRect();
		const centre = { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
		// Where a real wheel over the middle of the board lands (the stage's canvas), so it bubbles as one would.
		const element = document.elementFromPoint(centre.clientX, centre.clientY)!;
		const cameraBefore = JSON.stringify(window.__boardwalk!.camera());
		const frames: number[] = [];
		let start = 0;
		return new Promise<{ frames: number[]; start: number; end: number }>((resolve) => {
			let i = 0;
			let last = 0;
			const step = (time: number) => {
				if (i === script.measureFrom) start = performance.now();
				if (last > 0 && i > script.measureFrom) frames.push(time - last);
				last = time;
				const s = script.steps[i++];
				if (!s) {
					// Frame times of a board that did not move would measure nothing.
					if (JSON.stringify(window.__boardwalk!.camera()) === cameraBefore) throw new Error('the wheel events did not move the board');
					return resolve({ frames, start, end: performance.now() });
				}
				element.dispatchEvent(new WheelEvent('wheel', { deltaX: s.dx, deltaY: s.dy, ctrlKey: s.zoom, bubbles: true, cancelable: true, ...centre }));
				requestAnimationFrame(step);
			};
			requestAnimationFrame(step);
		});
	}, { steps, measureFrom });
	const paints: Paint[] = (await page.evaluate(() => window.__boardwalk!.paints())).filter((p) => p.at >= start && p.at <= end);
	return { frameMs: frames, drawMs: paints.map((p) => p.ms), nodes: paints.map((p) => p.nodes), overview: paints.map((p) => p.overview) };
}

async function run({ quick, report }: BenchContext): Promise<void> {
	const rounds = quick ? 1 : 3;
	const motions: Array<{ name: string; steps: Step[]; warmup: number }> = [
		{ name: 'explore (pan, zoom 45–220 %)', steps: EXPLORE, warmup: 0 },
		...(quick
			? []
			: [
					{ name: 'whole board in view (zoom 10 %), panning', steps: WHOLE_BOARD_PAN, warmup: ZOOM_OUT_FULLY.length },
					{ name: 'whole board in view, zooming 10–25 %', steps: WHOLE_BOARD_ZOOM, warmup: ZOOM_OUT_FULLY.length }
				])
	];
	ensureBuild();
	const boards = await startBoardServer({ big: BIG_BOARD, small: SMALL_BOARD });
	const browser = await launchBrowser();
	const results = new Map<string, Motion>();
	const notes = [loadNote('start')];
	try {
		for (let round = 0; round < rounds; round++) {
			const order: Array<[string, number]> = round % 2 === 0 ? [['small', SMALL_BOARD], ['big', BIG_BOARD]] : [['big', BIG_BOARD], ['small', SMALL_BOARD]];
			for (const [room, shapes] of order) {
				const { page } = await openUntilPainted(browser, boards.url(room), shapes, { synced: true });
				try {
					for (const motion of motions) {
						// Each motion starts at 100 % (Ctrl+0); reopening the page would cost a sync per motion.
						await page.keyboard.press('Control+0');
						const result = await drive(page, motion.steps, motion.warmup);
						const key = `${motion.name}|${shapes}`;
						const sum = results.get(key) ?? { frameMs: [], drawMs: [], nodes: [], overview: [] };
						sum.frameMs.push(...result.frameMs);
						sum.drawMs.push(...result.drawMs);
						sum.nodes.push(...result.nodes);
						sum.overview.push(...result.overview);
						results.set(key, sum);
					}
				} finally {
					await page.context().close();
				}
			}
		}
	} finally {
		await browser.close();
		await boards.close();
	}
	notes.push(loadNote('end'));
	const rows: Row[] = [];
	for (const motion of motions) {
		const base = results.get(`${motion.name}|${SMALL_BOARD}`)!;
		for (const shapes of [SMALL_BOARD, BIG_BOARD]) {
			const r = results.get(`${motion.name}|${shapes}`)!;
			rows.push({
				motion: motion.name,
				board: `${shapes.toLocaleString('en')} shapes`,
				frames: r.frameMs.length,
				'frame median ms': ms(median(r.frameMs)),
				'frame p95 ms': ms(percentile(r.frameMs, 0.95)),
				'p95 ×100-shape board': ratio(percentile(r.frameMs, 0.95), percentile(base.frameMs, 0.95)),
				'layer draw median ms': ms(median(r.drawMs)),
				'layer draw p95 ms': ms(percentile(r.drawMs, 0.95)),
				'nodes drawn (median)': median(r.nodes),
				'overview shapes (median)': median(r.overview)
			});
		}
	}
	report.table('pan-zoom', `Browser pan/zoom: frame times with one wheel event per frame (${rounds} round(s) per board)`, rows, [
		'frame = interval between requestAnimationFrame callbacks while a wheel event (ctrl+wheel to zoom) is dispatched on the canvas each frame; 16.7 ms is the display rate, so a p95 above it means dropped frames.',
		'layer draw = the shape layer\'s own draw in that window (dots, overview pass, Konva nodes), from window.__boardwalk.paints(); nodes drawn = shape nodes on the layer (the culled set); overview shapes = shapes painted by the overview pass instead (a dense view at ≤ 30 % zoom, src/lib/canvas/overview.ts).',
		`Baseline: the same motion on a ${SMALL_BOARD}-shape board. Headless Chromium, software rendering, 1280×800. Target: p95 under ${TARGET_P95_MS} ms on the 10k board.`,
		...notes
	]);
}

export const panZoom: Scenario = {
	name: 'pan-zoom',
	summary: 'browser: frame times while panning and zooming a 10,000-shape board (vs 100 shapes)',
	inQuick: true,
	run
};
