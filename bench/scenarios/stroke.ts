/** Browser: tab-to-tab latency of a pen stroke point (A's pointer move until B paints it), vs the same samples sent through a raw relay. */
import type { Browser, Page } from '@playwright/test';
import { ensureBuild, launchBrowser, newContext, startBoardServer, VIEWPORT, type Paint } from '../lib/browser.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServer } from '../lib/servers.ts';
import { median, ms, percentile, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const TARGET_P95_MS = 50;
/** A mouse reports about once per frame; each sample 4 px from the last, so the pen keeps every one. */
const MOVE_INTERVAL_MS = 16;
const STEP_PX = 4;
const ARRIVAL_TIMEOUT_MS = 10_000;

/** Epoch ms (performance.timeOrigin + performance.now()): one clock for every page of the browser. */
interface StrokeTimes {
	/** A: when each pointer sample happened (coalesced samples included), in order. */
	samples: number[];
	/** B, relay: for each sample, when the next animation frame after its arrival began. */
	relayFrames: number[];
	/** B, board: [points the stroke has reached (from its end), when first seen] each time it grew (checked every frame). */
	seen: Array<[points: number, at: number]>;
	/** B: the shape-layer draws (epoch). */
	paints: number[];
}

async function openPage(browser: Browser, url: string): Promise<Page> {
	const page = await (await newContext(browser)).newPage();
	await page.goto(url);
	await page.waitForFunction(() => window.__boardwalk?.status() === 'connected', undefined, { polling: 50, timeout: 30_000 });
	return page;
}

/** A: logs each pointer sample's time and sends it through the relay. B: notes relay arrivals' next frame, and stroke growth per frame. */
async function instrument(a: Page, b: Page, relayUrl: string): Promise<void> {
	const opened = (page: Page, role: 'a' | 'b') =>
		page.evaluate(
			({ url, role, step }) =>
				new Promise<void>((resolve, reject) => {
					const probe = { samples: [] as number[], relayFrames: [] as number[], seen: [] as Array<[number, number]> };
					(window as unknown as { __stroke: typeof probe }).__stroke = probe;
					const socket = new WebSocket(url);
					socket.binaryType = 'arraybuffer';
					socket.onopen = () => resolve();
					socket.onerror = () => reject(new Error('relay socket failed'));
					const epoch = (t: number) => performance.timeOrigin + t;
					if (role === 'a') {
						window.addEventListener(
							'pointermove',
							(e) => {
								if (e.buttons === 0) return;
								for (const sample of e.getCoalescedEvents?.() ?? [e]) {
									const at = epoch(sample.timeStamp);
									probe.samples.push(at);
									socket.send(new Float64Array([at]));
								}
							},
							{ capture: true }
						);
						return;
					}
					socket.onmessage = () => requestAnimationFrame(() => probe.relayFrames.push(epoch(performance.now())));
					// Registered every frame before any message of the next interval arrives, so it runs before the canvas's draw in the frame that paints a change.
					let points = 0;
					const watch = () => {
						const pen = window.__boardwalk?.shapes().find((s) => s.type === 'pen');
						// Live writes are simplified, so B's point count says little: the stroke's end says how
						// far it has come (A moves STEP_PX to the right per sample, at zoom 1).
						const xs = pen?.points ?? [];
						const count = xs.length >= 2 ? Math.round(xs[xs.length - 2]! / step) + 1 : 0;
						if (count > points) probe.seen.push([count, epoch(performance.now())]);
						points = Math.max(points, count);
						requestAnimationFrame(watch);
					};
					requestAnimationFrame(watch);
				}),
			{ url: relayUrl, role, step: STEP_PX }
		);
	await Promise.all([opened(a, 'a'), opened(b, 'b')]);
}

/** One stroke of `samples` moves on A; releases only once B has every point (release simplifies the stored stroke). */
async function drawStroke(a: Page, b: Page, samples: number): Promise<StrokeTimes> {
	await a.keyboard.press('p');
	const x0 = VIEWPORT.width / 2 - (samples * STEP_PX) / 2;
	const y0 = VIEWPORT.height / 2;
	await a.mouse.move(x0, y0);
	await a.mouse.down();
	const started = performance.now();
	for (let i = 1; i <= samples; i++) {
		await a.mouse.move(x0 + i * STEP_PX, y0 + Math.round(20 * Math.sin(i / 8)));
		// Pacing, not synchronisation: a mouse's report rate.
		const wait = started + i * MOVE_INTERVAL_MS - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
	}
	await b.waitForFunction(
		(n) => (window as unknown as { __stroke: { seen: Array<[number, number]> } }).__stroke.seen.some(([count]) => count >= n),
		samples + 1,
		{ polling: 50, timeout: ARRIVAL_TIMEOUT_MS }
	);
	await a.mouse.up();
	const aTimes = await a.evaluate(() => (window as unknown as { __stroke: { samples: number[] } }).__stroke.samples);
	const bTimes = await b.evaluate(() => {
		const probe = (window as unknown as { __stroke: { relayFrames: number[]; seen: Array<[number, number]> } }).__stroke;
		const paints = window.__boardwalk!.paints().map((p: Paint) => performance.timeOrigin + p.at);
		return { relayFrames: probe.relayFrames, seen: probe.seen, paints };
	});
	return { samples: aTimes, ...bTimes };
}

/** Per sample k (point k of the stroke): B's first draw after it saw ≥ k+1 points, minus A's sample time. */
function latencies(times: StrokeTimes): { board: number[]; relay: number[] } {
	const board: number[] = [];
	const relay: number[] = [];
	times.samples.forEach((at, k) => {
		const seen = times.seen.find(([count]) => count >= k + 2);
		const paint = seen ? times.paints.find((p) => p >= seen[1]) : undefined;
		if (paint !== undefined) board.push(paint - at);
		const frame = times.relayFrames[k];
		if (frame !== undefined) relay.push(frame - at);
	});
	return { board, relay };
}

async function run({ quick, report }: BenchContext): Promise<void> {
	const strokes = quick ? 1 : 5;
	const samples = quick ? 60 : 120;
	ensureBuild();
	const boards = await startBoardServer({});
	const relay = await startServer('relay');
	const browser = await launchBrowser();
	const board: number[] = [];
	const floor: number[] = [];
	let sent = 0;
	const notes = [loadNote('start')];
	try {
		for (let i = 0; i < strokes; i++) {
			const room = `stroke${i}x${Date.now()}`;
			const url = await boards.claimedUrl(room);
			const [a, b] = await Promise.all([openPage(browser, url), openPage(browser, url)]);
			try {
				await instrument(a, b, `${relay.wsUrl}/${room}`);
				const result = latencies(await drawStroke(a, b, samples));
				sent += samples;
				board.push(...result.board);
				floor.push(...result.relay);
			} finally {
				await a.context().close();
				await b.context().close();
			}
		}
	} finally {
		await browser.close();
		await relay.stop();
		await boards.close();
	}
	notes.push(loadNote('end'));
	const rows: Row[] = [
		{ path: 'raw relay → next frame (floor)', samples: floor.length, 'p50 ms': ms(median(floor)), 'p95 ms': ms(percentile(floor, 0.95)), 'max ms': ms(Math.max(...floor)), '×floor (p95)': '1.00×' },
		{
			path: 'boardwalk: pen tool → Yjs → our server → B paints',
			samples: board.length,
			'p50 ms': ms(median(board)),
			'p95 ms': ms(percentile(board, 0.95)),
			'max ms': ms(Math.max(...board)),
			'×floor (p95)': ratio(percentile(board, 0.95), percentile(floor, 0.95))
		}
	];
	report.table('stroke', `Browser stroke latency: a pen point from tab A's pointer move until tab B has painted it (${strokes} stroke(s) × ${samples} samples, ${sent} sent)`, rows, [
		`A moves the mouse ${STEP_PX} px every ${MOVE_INTERVAL_MS} ms with the pen tool on an empty board; times are epoch ms in the pages (performance.timeOrigin + now), one clock for both tabs.`,
		'boardwalk = B\'s first shape-layer draw after B\'s doc held that point. floor = each sample\'s time sent by A as an 8-byte frame through the raw ws relay (same samples, same moment); B notes the next animation frame after it arrives: no Yjs, no throttle, no drawing.',
		`Target: p95 under ${TARGET_P95_MS} ms.`,
		...notes
	]);
}

export const stroke: Scenario = {
	name: 'stroke',
	summary: 'browser: tab-to-tab latency of a pen stroke point (vs a raw relay frame to the next frame)',
	// Keeps `--quick` under 2 minutes; `--quick --only=stroke` runs one short stroke.
	inQuick: false,
	run
};
