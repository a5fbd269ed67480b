/** Browser: a 5 MB photo dropped on a board until both tabs show it, and the 10,000-shape board exported as PNG, SVG and .boardwalk. */
import type { Browser, Page } from '@playwright/test';
import { BIG_BOARD, SMALL_BOARD, ensureBuild, launchBrowser, newContext, openUntilPainted, startBoardServer, type BoardServer } from '../lib/browser.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { median, mib, ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const TARGETS = { photoOtherTabMs: 2_000, png1xMs: 3_000, svgMs: 2_000 };
/** A phone camera's 24 Mpx: past DOWNSCALE_MAX_SIDE_PX (4096), so the upload goes through the browser's downscale. */
const PHOTO = { width: 6000, height: 4000, targetBytes: 5_000_000 };
const WAIT_MS = 60_000;
/** In-page polls: often enough for a ms-scale figure, rare enough not to load the page being measured. */
const POLL_MS = 5;

/**
 * What the pages record, in page time: the upload POST's answer and size (a wrapped fetch: BoardImages
 * calls the global at each request), the image GET's answer, and for export, the Download click and the
 * blob handed to the download (a wrapped URL.createObjectURL). Both are set up before the app's scripts.
 */
const RECORDER = `(() => {
	const rec = (window.__bench = { uploads: [], gets: [], clicks: [], blobs: [] });
	const realFetch = window.fetch.bind(window);
	window.fetch = async (input, init) => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		const isImages = /\\/api\\/boards\\/[^/]+\\/images/.test(url);
		const method = (init && init.method) || 'GET';
		const startedAt = performance.now();
		const response = await realFetch(input, init);
		if (isImages && method === 'POST') rec.uploads.push({ startedAt, at: performance.now(), status: response.status, bytes: init.body && init.body.size });
		else if (isImages) rec.gets.push({ at: performance.now(), status: response.status });
		return response;
	};
	const realUrl = URL.createObjectURL;
	URL.createObjectURL = (object) => {
		if (object instanceof Blob) rec.blobs.push({ at: performance.now(), bytes: object.size, type: object.type });
		return realUrl.call(URL, object);
	};
	window.addEventListener('click', (e) => {
		const button = e.target instanceof Element ? e.target.closest('button') : null;
		if (button && button.textContent.trim() === 'Download') rec.clicks.push(performance.now());
	}, true);
})();`;

interface Recorded {
	uploads: Array<{ startedAt: number; at: number; status: number; bytes: number }>;
	gets: Array<{ at: number; status: number }>;
	clicks: number[];
	blobs: Array<{ at: number; bytes: number; type: string }>;
}

declare global {
	interface Window {
		__bench?: Recorded;
		__benchPhoto?: File;
	}
}

async function openRecorded(browser: Browser, url: string): Promise<Page> {
	const context = await newContext(browser);
	await context.addInitScript(RECORDER);
	const page = await context.newPage();
	await page.goto(url);
	await page.waitForFunction(() => window.__boardwalk?.ready() && window.__boardwalk.status() === 'connected', null, { polling: 50, timeout: WAIT_MS });
	return page;
}

/**
 * A photo-like JPEG in the page (kept as window.__benchPhoto): smooth gradients, blobs and sensor-like
 * noise, with the run's seed so every run's pixels (and hash) differ; the highest quality whose file
 * stays within the target size. Made before the measured interval.
 */
async function makePhoto(page: Page, seed: number): Promise<{ bytes: number; quality: number }> {
	return page.evaluate(
		async ({ width, height, targetBytes, seed }) => {
			const canvas = document.createElement('canvas');
			canvas.width = width;
			canvas.height = height;
			const ctx = canvas.getContext('2d')!;
			const sky = ctx.createLinearGradient(0, 0, width * 0.3, height);
			sky.addColorStop(0, '#4a7fb5');
			sky.addColorStop(0.55, '#c9d8e6');
			sky.addColorStop(0.56, '#6b7f3a');
			sky.addColorStop(1, '#2f3d1c');
			ctx.fillStyle = sky;
			ctx.fillRect(0, 0, width, height);
			let state = seed * 2654435761 + 1;
			const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
			for (let i = 0; i < 400; i++) {
				ctx.fillStyle = `hsla(${random() * 360}, 45%, ${30 + random() * 40}%, 0.35)`;
				ctx.beginPath();
				ctx.ellipse(random() * width, random() * height, 30 + random() * 400, 30 + random() * 300, random() * Math.PI, 0, Math.PI * 2);
				ctx.fill();
			}
			// Sensor noise, row band by row band (one ImageData of 24 Mpx would be 96 MB at once).
			const band = 200;
			for (let y = 0; y < height; y += band) {
				const rows = Math.min(band, height - y);
				const data = ctx.getImageData(0, y, width, rows);
				const px = data.data;
				for (let i = 0; i < px.length; i += 4) {
					const n = (random() - 0.5) * 36;
					px[i] = px[i]! + n;
					px[i + 1] = px[i + 1]! + n;
					px[i + 2] = px[i + 2]! + n;
				}
				ctx.putImageData(data, 0, y);
			}
			const encode = (quality: number) => new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', quality));
			// Down from the top quality until the file is under the target; the nearer of the last two is kept.
			let chosen = { blob: await encode(0.95), quality: 0.95 };
			for (let quality = 0.9; quality >= 0.3 && chosen.blob.size > targetBytes; quality -= 0.05) {
				const next = { blob: await encode(quality), quality };
				if (next.blob.size <= targetBytes && targetBytes - next.blob.size > chosen.blob.size - targetBytes) break;
				chosen = next;
			}
			window.__benchPhoto = new File([chosen.blob], `photo-${seed}.jpg`, { type: 'image/jpeg' });
			return { bytes: chosen.blob.size, quality: Math.round(chosen.quality * 100) / 100 };
		},
		{ ...PHOTO, seed }
	);
}

/** Every timestamp in epoch ms (timeOrigin + now), so two tabs' clocks compare. */
interface PhotoRun {
	originalBytes: number;
	quality: number;
	uploadedBytes: number;
	natural: string;
	/** From the drop to: the upload's answer; this tab's draw with the picture; the other tab's placeholder, its GET's answer, its draw with the picture. */
	uploadedMs: number;
	shownHereMs: number;
	placeholderThereMs: number;
	fetchedThereMs: number;
	shownThereMs: number;
	/** Navigation to the first full paint of the 100-shape board, in this run: the baseline. */
	smallPaintMs: number;
}

/** Waits in the page until the first image shape is on its board and drawn with its picture: when (epoch ms) it appeared and was drawn. */
function watchImage(page: Page): Promise<{ appearedAt: number; shownAt: number; hash: string; natural: string }> {
	return page.evaluate(
		({ poll, timeout }) =>
			new Promise((resolve, reject) => {
				const epoch = () => performance.timeOrigin + performance.now();
				let appearedAt = 0;
				const started = Date.now();
				const timer = setInterval(() => {
					if (Date.now() - started > timeout) {
						clearInterval(timer);
						reject(new Error('the image was not shown in time'));
						return;
					}
					const image = window.__boardwalk!.shapes().find((s) => s.type === 'image') as { hash: string; naturalW: number; naturalH: number } | undefined;
					if (!image) return;
					if (!appearedAt) appearedAt = epoch();
					// Asked only once the shape is here, as the canvas asks: asking starts the load.
					if (window.__boardwalk!.imageState(image.hash) !== 'ready') return;
					clearInterval(timer);
					// Ready is decoded; the picture is on screen once the next frame has been drawn.
					requestAnimationFrame(() =>
						requestAnimationFrame(() => resolve({ appearedAt, shownAt: epoch(), hash: image.hash, natural: `${image.naturalW}×${image.naturalH}` }))
					);
				}, poll);
			}),
		{ poll: POLL_MS, timeout: WAIT_MS }
	);
}

async function photoRun(browser: Browser, boards: BoardServer, room: string, seed: number): Promise<PhotoRun> {
	const baseline = await openUntilPainted(browser, boards.url('small'), SMALL_BOARD);
	const smallPaintMs = baseline.paint.at;
	await baseline.page.context().close();
	const here = await openRecorded(browser, boards.url(room));
	const there = await openRecorded(browser, boards.url(room));
	try {
		const { bytes: originalBytes, quality } = await makePhoto(here, seed);
		const watchingThere = watchImage(there);
		const watchingHere = watchImage(here);
		const droppedAt = await here.evaluate(() => {
			const dt = new DataTransfer();
			dt.items.add(window.__benchPhoto!);
			const target = document.querySelector('[data-testid="board-canvas"]')!;
			const rect = target.getBoundingClientRect();
			const init = { dataTransfer: dt, clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2, bubbles: true, cancelable: true };
			const at = performance.timeOrigin + performance.now();
			target.dispatchEvent(new DragEvent('dragover', init));
			target.dispatchEvent(new DragEvent('drop', init));
			return at;
		});
		const [shownHere, shownThere] = await Promise.all([watchingHere, watchingThere]);
		const toEpoch = (page: Page) => page.evaluate(() => ({ origin: performance.timeOrigin, rec: window.__bench! }));
		const hereRec = await toEpoch(here);
		const thereRec = await toEpoch(there);
		const upload = hereRec.rec.uploads.find((u) => u.status === 200 || u.status === 201);
		if (!upload) throw new Error(`no successful upload (answers: ${hereRec.rec.uploads.map((u) => u.status).join(', ') || 'none'})`);
		const got = thereRec.rec.gets.filter((g) => g.status === 200).at(-1);
		return {
			originalBytes,
			quality,
			uploadedBytes: upload.bytes,
			natural: shownHere.natural,
			uploadedMs: hereRec.origin + upload.at - droppedAt,
			shownHereMs: shownHere.shownAt - droppedAt,
			placeholderThereMs: shownThere.appearedAt - droppedAt,
			fetchedThereMs: got ? thereRec.origin + got.at - droppedAt : Number.NaN,
			shownThereMs: shownThere.shownAt - droppedAt,
			smallPaintMs
		};
	} finally {
		await here.context().close();
		await there.context().close();
	}
}

interface ExportRun {
	ms: number;
	bytes: number;
	/** The dialog's words when the export failed (e.g. a canvas past the browser's limit). */
	error: string | null;
}

const EXPORTS = [
	{ label: 'PNG 1×', format: 'PNG', scale: '1×' },
	{ label: 'SVG', format: 'SVG', scale: null },
	{ label: 'PNG 2×', format: 'PNG', scale: '2×' }
] as const;
/** 2× of the 10k board is a ~576 Mpx canvas: tried once, last, and given up on after this (the page is closed then). */
const PNG_2X_BIG_TIMEOUT_MS = 20_000;

/** One export through the Export dialog (whole board, board colour on), timed in the page from the Download click to the blob handed to the download. */
async function exportOnce(page: Page, kind: (typeof EXPORTS)[number], timeoutMs = WAIT_MS): Promise<ExportRun> {
	await page.getByRole('button', { name: 'Export image (Ctrl+Shift+E)' }).click();
	const dialog = page.getByRole('dialog', { name: 'Export' });
	await dialog.waitFor({ state: 'visible', timeout: 10_000 });
	try {
		await dialog.getByLabel('Whole board').check({ timeout: 10_000 });
	} catch (error) {
		const html = await page.evaluate(() => document.querySelector('dialog[open]')?.outerHTML.slice(0, 600) ?? 'no open dialog');
		throw new Error(`the Export dialog has no "Whole board" (${html})`, { cause: error });
	}
	await dialog.getByLabel(kind.format, { exact: true }).check();
	if (kind.scale) await dialog.getByLabel(kind.scale).check();
	await dialog.getByLabel('Board colour').setChecked(true);
	const before = await page.evaluate(() => window.__bench!.blobs.length);
	await dialog.getByRole('button', { name: 'Download' }).click();
	const outcome = await page
		.waitForFunction(
		(n) => {
			const rec = window.__bench!;
			if (rec.blobs.length > n) return { ms: rec.blobs[n]!.at - rec.clicks.at(-1)!, bytes: rec.blobs[n]!.bytes, error: null };
			const notice = document.querySelector('dialog [role="status"]')?.textContent?.trim() ?? '';
			const busy = document.querySelector<HTMLButtonElement>('dialog button.primary')?.disabled ?? true;
			return notice && !busy && !notice.startsWith('Downloaded') ? { ms: Number.NaN, bytes: Number.NaN, error: notice } : null;
		},
			before,
			{ polling: 50, timeout: timeoutMs }
		)
		.catch(() => null);
	// Still at work: the page is left as it is (the caller closes it).
	if (!outcome) return { ms: Number.NaN, bytes: Number.NaN, error: `not finished after ${timeoutMs / 1000} s` };
	const result = (await outcome.jsonValue()) as ExportRun;
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'hidden' });
	return result;
}

/** GET /export/<room>.boardwalk from Node with the board's edit token: time to the whole body, and its size. */
async function serverExport(boards: BoardServer, room: string): Promise<{ ms: number; bytes: number }> {
	const link = new URL(boards.url(room));
	const token = new URLSearchParams(link.hash.slice(1)).get('t')!;
	const started = performance.now();
	const response = await fetch(`${boards.server.httpUrl}/export/${room}.boardwalk`, { headers: { Authorization: `Bearer ${token}` } });
	const body = await response.arrayBuffer();
	if (!response.ok) throw new Error(`GET /export/${room}.boardwalk answered ${response.status}`);
	return { ms: performance.now() - started, bytes: body.byteLength };
}

async function run({ quick, report }: BenchContext): Promise<void> {
	const photoRuns = quick ? 1 : 3;
	const exportRounds = quick ? 1 : 3;
	ensureBuild();
	const photoRooms = Array.from({ length: photoRuns + 1 }, (_, i) => `photo-${i}`);
	const boards = await startBoardServer({ small: SMALL_BOARD, big: BIG_BOARD, ...Object.fromEntries(photoRooms.map((room) => [room, 0])) });
	const browser = await launchBrowser();
	const notes = [loadNote('start')];
	const photos: PhotoRun[] = [];
	const exports = new Map<string, { big: ExportRun[]; small: ExportRun[] }>(EXPORTS.map((e) => [e.label, { big: [], small: [] }]));
	const served = { big: [] as Array<{ ms: number; bytes: number }>, small: [] as Array<{ ms: number; bytes: number }> };
	let bigDrawMs = Number.NaN;
	try {
		// The first photo warms the browser (JPEG codec, compiled app) and the server's image path: not counted.
		await photoRun(browser, boards, photoRooms[0]!, 0);
		for (let i = 1; i <= photoRuns; i++) photos.push(await photoRun(browser, boards, photoRooms[i]!, i));

		const pages: Record<'big' | 'small', Page> = {
			big: await openRecorded(browser, boards.url('big')),
			small: await openRecorded(browser, boards.url('small'))
		};
		for (const [key, n] of [['big', BIG_BOARD], ['small', SMALL_BOARD]] as const) {
			await pages[key].waitForFunction((count) => window.__boardwalk!.shapes().length >= count, n, { polling: 100, timeout: WAIT_MS });
		}
		bigDrawMs = await pages.big.evaluate(() => window.__boardwalk!.paints().find((p) => !p.preview && p.shapes >= 10_000)?.ms ?? Number.NaN);
		// Warm-up: the first export of each kind compiles its code paths.
		for (const kind of EXPORTS) await exportOnce(pages.small, kind);
		for (let round = 0; round < exportRounds; round++) {
			for (const kind of EXPORTS) {
				exports.get(kind.label)!.small.push(await exportOnce(pages.small, kind));
				if (kind.label !== 'PNG 2×') exports.get(kind.label)!.big.push(await exportOnce(pages.big, kind));
			}
			for (const key of ['small', 'big'] as const) served[key].push(await serverExport(boards, key));
		}
		exports.get('PNG 2×')!.big.push(await exportOnce(pages.big, EXPORTS[2], PNG_2X_BIG_TIMEOUT_MS));
		for (const page of Object.values(pages)) await page.context().close().catch(() => {});
	} finally {
		await browser.close();
		await boards.close();
	}
	notes.push(loadNote('end'));

	const med = (values: number[]) => median(values.filter(Number.isFinite));
	const base = med(photos.map((p) => p.smallPaintMs));
	const photoFigure = (label: string, values: number[], target?: number): Row => ({
		'from the drop until': label,
		runs: values.length,
		'median ms': ms(med(values)),
		'min–max ms': `${ms(Math.min(...values))}–${ms(Math.max(...values))}`,
		'×100-shape first paint': ratio(med(values), base),
		target: target ? `< ${target} ms` : ''
	});
	const photoRows: Row[] = [
		photoFigure('the upload answered (the server has it)', photos.map((p) => p.uploadedMs)),
		photoFigure('this tab shows it', photos.map((p) => p.shownHereMs)),
		photoFigure('the other tab has the shape (placeholder)', photos.map((p) => p.placeholderThereMs)),
		photoFigure('the other tab fetched the file', photos.map((p) => p.fetchedThereMs)),
		photoFigure('the other tab shows it', photos.map((p) => p.shownThereMs), TARGETS.photoOtherTabMs),
		{ 'from the drop until': 'baseline: 100-shape board, navigation → first full paint', runs: photos.length, 'median ms': ms(base), 'min–max ms': '', '×100-shape first paint': '1.00×', target: '' }
	];
	const first = photos[0];
	report.table('images', `Photo dropped on a board: a ${PHOTO.width}×${PHOTO.height} JPEG of ~${(PHOTO.targetBytes / 1e6).toFixed(0)} MB, until each tab shows it (${photos.length} runs)`, photoRows, [
		`Bytes: original ${photos.map((p) => mib(p.originalBytes)).join(', ')} MiB (JPEG quality ${first?.quality ?? 'n/a'}), uploaded after the browser's downscale ${photos.map((p) => mib(p.uploadedBytes)).join(', ')} MiB (${first ? ratio(med(photos.map((p) => p.uploadedBytes)), med(photos.map((p) => p.originalBytes))) : 'n/a'} of the original), stored at ${first?.natural ?? 'n/a'} px.`,
		'The photo is drawn in the page (gradients, blobs and ±18 noise, a different seed each run, so each upload is new to the server) before the timed interval; the drop is a DragEvent on the canvas as the e2e tests send it. Times are epoch ms in both tabs (performance.timeOrigin + now()).',
		'uploaded = the POST /api/boards/<board>/images answer reached the page (after the read, downscale to 4096 px, re-encode and hash); this tab shows it = the shape is on the board and its picture decoded, two frames later (the shape is added once the upload answered); the other tab (a second fresh context on the board) = the shape arrived by Yjs, the GET of its file answered, its picture decoded and two frames drawn.',
		'Baseline: navigation to the first full paint of the 100-shape board, measured once before each run in the same browser: what "the board is there" costs a visitor, against "a photo is there" for the other person.',
		`Target: the other tab shows the photo in under ${TARGETS.photoOtherTabMs} ms on loopback. A warm-up photo on its own board runs first and is not counted.`
	]);

	const exportRows: Row[] = EXPORTS.map((kind) => {
		const { big, small } = exports.get(kind.label)!;
		const failed = big.find((r) => r.error);
		const target = kind.label === 'PNG 1×' ? TARGETS.png1xMs : kind.label === 'SVG' ? TARGETS.svgMs : null;
		return {
			export: kind.label,
			rounds: big.length,
			[`${BIG_BOARD.toLocaleString('en')} shapes median ms`]: failed ? `failed: ${failed.error}` : ms(med(big.map((r) => r.ms))),
			'×100-shape board': ratio(med(big.map((r) => r.ms)), med(small.map((r) => r.ms))),
			'×first draw of the view': ratio(med(big.map((r) => r.ms)), bigDrawMs),
			'size MiB': mib(med(big.map((r) => r.bytes))),
			[`${SMALL_BOARD} shapes ms`]: ms(med(small.map((r) => r.ms))),
			[`${SMALL_BOARD} shapes KiB`]: (med(small.map((r) => r.bytes)) / 1024).toFixed(1),
			target: target ? `< ${target} ms` : ''
		};
	});
	exportRows.push({
		export: 'GET /export/<board>.boardwalk (Node)',
		rounds: served.big.length,
		[`${BIG_BOARD.toLocaleString('en')} shapes median ms`]: ms(med(served.big.map((r) => r.ms))),
		'×100-shape board': ratio(med(served.big.map((r) => r.ms)), med(served.small.map((r) => r.ms))),
		'×first draw of the view': '',
		'size MiB': mib(med(served.big.map((r) => r.bytes))),
		[`${SMALL_BOARD} shapes ms`]: ms(med(served.small.map((r) => r.ms))),
		[`${SMALL_BOARD} shapes KiB`]: (med(served.small.map((r) => r.bytes)) / 1024).toFixed(1),
		target: ''
	});
	report.table('images', `Export of the whole ${BIG_BOARD.toLocaleString('en')}-shape board (${exportRounds} rounds, after a warm-up export of each kind)`, exportRows, [
		'PNG and SVG: through the Export dialog (Whole board, board colour), timed in the page from the Download click (a capture listener) to the finished blob handed to the download (a wrapped URL.createObjectURL): collecting the shapes, building the Konva stage or the SVG text, encoding. Downloads themselves are not timed.',
		`Board: the bench's rect grid, 100 per row 120 units apart (~12,000 × 12,000 units, so the 1× PNG is ~144 Mpx and the 2× one ~576 Mpx, past the 268 Mpx (16,384²) canvas area Chromium allows, so the export caps it at 64 Mpx). 2× of the 10k board is tried once, last, and given up after ${PNG_2X_BIG_TIMEOUT_MS / 1000} s; 2× of the 100-shape board is timed every round.`,
		`Baselines: the same export of the ${SMALL_BOARD}-shape board in the same run (rounds alternate), and the first draw of the 10k board from the synced doc in that page (${ms(bigDrawMs)} ms: it creates the nodes of the ~100 shapes in a 1280×800 view at 100 %, 1 Mpx; the export builds all 10,000 and fills ~144 Mpx): how many such draws an export costs.`,
		'GET /export: from Node with the edit token, time to the whole body; the server encodes the stored shapes (and images, none here) as JSON.',
		`Targets: PNG 1× under ${TARGETS.png1xMs} ms, SVG under ${TARGETS.svgMs} ms for the 10k board.`,
		...notes
	]);
}

export const images: Scenario = {
	name: 'images',
	summary: 'browser: a 5 MB photo dropped until another tab shows it; PNG/SVG/.boardwalk export of the 10,000-shape board',
	inQuick: false,
	run
};
