/**
 * Bulk operations (issue 19): delete, duplicate, move and restyle of 1k, 5k and 10k shapes. In Node, the
 * model's op as the app runs it (one transaction, the undo manager, the change observer, the update
 * encoded for the local store and the provider); in Chromium, the whole keypress until the change is
 * drawn. Baselines in the same run: the undo of the same op, and the 1k board's time per shape.
 */
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import { createBoard, deleteShapes, duplicateShapes, insertShapes, observeShapes, translateShapes, updateShapes, type Board, type NewShape } from '../../src/lib/board/index.ts';
import { createHistory, type History } from '../../src/lib/board/history.ts';
import { benchRect } from '../lib/board-clients.ts';
import { ensureBuild, launchBrowser, openUntilPainted, startBoardServer } from '../lib/browser.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { kib, median, ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const SIZES = { quick: [1_000, 5_000], full: [1_000, 5_000, 10_000] };
const MODEL_ROUNDS = { quick: 3, full: 7 };
const SHAPES_PER_UPDATE = 100;

/** A board as the app holds one: the model, its undo manager, a change observer (the scene's), and the doc's update listener. */
interface ModelBoard {
	doc: Y.Doc;
	board: Board;
	history: History;
	ids: string[];
	/** Bytes of the updates since the last reset: what the local store and the provider were handed. */
	updateBytes: number;
	updates: number;
}

function modelBoard(count: number): ModelBoard {
	const doc = new Y.Doc();
	const board = createBoard(doc, { warn: () => {} });
	for (let done = 0; done < count; done += SHAPES_PER_UPDATE) {
		const batch: NewShape[] = [];
		for (let i = done; i < Math.min(count, done + SHAPES_PER_UPDATE); i++) batch.push(benchRect(i));
		insertShapes(board, batch);
	}
	const ids = [...board.shapes.keys()];
	let selection: string[] = ids;
	const history = createHistory(board, { getSelection: () => selection });
	const model: ModelBoard = { doc, board, history, ids, updateBytes: 0, updates: 0 };
	// As the editor does: ids a change removed leave the selection.
	observeShapes(board, (changes) => {
		if (changes.removed.length === 0) return;
		const gone = new Set(changes.removed);
		selection = selection.filter((id) => !gone.has(id));
	});
	doc.on('update', (update: Uint8Array) => {
		model.updateBytes += update.length;
		model.updates++;
	});
	return model;
}

const MODEL_OPS: Record<string, (m: ModelBoard) => unknown> = {
	delete: (m) => deleteShapes(m.board, m.ids),
	duplicate: (m) => duplicateShapes(m.board, m.ids),
	move: (m) => translateShapes(m.board, m.ids, 1, 0),
	restyle: (m) => updateShapes(m.board, m.ids.map((id) => ({ id, patch: { stroke: '#e03131', strokeWidth: 4 } })))
};

interface Timing {
	opMs: number[];
	undoMs: number[];
	bytes: number;
	updates: number;
}

function timeModel(count: number, rounds: number): Map<string, Timing> {
	const out = new Map<string, Timing>();
	for (let round = 0; round < rounds; round++) {
		const m = modelBoard(count);
		for (const [name, op] of Object.entries(MODEL_OPS)) {
			const timing = out.get(name) ?? { opMs: [], undoMs: [], bytes: 0, updates: 0 };
			out.set(name, timing);
			m.updateBytes = 0;
			m.updates = 0;
			const start = performance.now();
			op(m);
			timing.opMs.push(performance.now() - start);
			timing.bytes = m.updateBytes;
			timing.updates = m.updates;
			const undoStart = performance.now();
			m.history.undo();
			timing.undoMs.push(performance.now() - undoStart);
		}
		m.history.destroy();
		m.board.destroy();
		m.doc.destroy();
	}
	return out;
}

function modelTable(context: BenchContext, sizes: number[]): void {
	const rounds = MODEL_ROUNDS[context.quick ? 'quick' : 'full'];
	// A warm-up round, not counted: the first size would otherwise pay for the JIT compiling the ops.
	timeModel(sizes[0]!, 1);
	const rows: Row[] = [];
	const perShapeAt1k = new Map<string, number>();
	for (const count of sizes) {
		const timings = timeModel(count, rounds);
		for (const [name, t] of timings) {
			const op = median(t.opMs);
			const perShape = (op * 1000) / count;
			if (!perShapeAt1k.has(name)) perShapeAt1k.set(name, perShape);
			rows.push({
				shapes: count,
				op: name,
				'op ms': ms(op),
				'undo ms': ms(median(t.undoMs)),
				'×undo': ratio(op, median(t.undoMs)),
				'µs/shape': perShape.toFixed(1),
				'µs/shape ×first size': ratio(perShape, perShapeAt1k.get(name)!),
				updates: t.updates,
				'update KiB': kib(t.bytes)
			});
		}
	}
	context.report.table('bulk', 'bulk: model op on N selected shapes (Node: one transaction + undo manager + observer + update encoding)', rows, [
		`Median of ${rounds} rounds (after a warm-up round), each on a fresh board of benchRect shapes (the bench's 10k board's rects). op = the board op on every shape as the command runs it (deleteShapes, duplicateShapes, translateShapes by 1 unit, updateShapes of stroke + width), through its one transaction: the undo manager capturing the step, the change observer (observeShapes, as the scene and editor get it) and the doc's update event (the update encoded once, as the local store and the provider receive it).`,
		'undo ms = the undo of the same op right after it (the baseline: the same shapes written back by Yjs). µs/shape ×first size: the time per shape against the smallest board in this run; ~1.0× at every size means proportional to the count (O(n), not O(n²)).',
		'updates must be 1 for every op: one transaction, one update, one undo step (src/lib/board/bulk.test.ts asserts it).',
		loadNote('model part')
	]);
}

/** Keypress → the end of the first frame drawn after it, measured in the page (performance.now()). */
async function pressTimed(page: Page, key: string, until: (page: Page) => Promise<boolean>): Promise<number> {
	await page.evaluate(() => {
		const w = window as unknown as { __bulk?: { down: number; drawn: Promise<number> } };
		const listener = (event: KeyboardEvent) => {
			// Control+D arrives as Control, then D: the press is the key that runs the command.
			if (['Control', 'Shift', 'Alt', 'Meta'].includes(event.key)) return;
			window.removeEventListener('keydown', listener, { capture: true });
			const down = performance.now();
			// The first rAF runs in the frame whose draw shows the change (the app's handler has run by then); the second after it.
			const drawn = new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))));
			w.__bulk = { down, drawn };
		};
		window.addEventListener('keydown', listener, { capture: true });
	});
	await page.keyboard.press(key);
	const deadline = Date.now() + 120_000;
	while (!(await until(page))) {
		if (Date.now() > deadline) throw new Error(`${key}: the page did not reach the expected state`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return page.evaluate(async () => {
		const w = window as unknown as { __bulk: { down: number; drawn: Promise<number> } };
		const frameEnd = await w.__bulk.drawn;
		// The shape layer's draw that showed the change, when it came before the frame ended.
		const paint = window.__boardwalk!.paints().find((p) => p.at > w.__bulk.down && p.at <= frameEnd);
		return (paint?.at ?? frameEnd) - w.__bulk.down;
	});
}

const count = (page: Page) => page.evaluate(() => window.__boardwalk!.shapes().length);
const selected = (page: Page) => page.evaluate(() => (window.__boardwalk as unknown as { selection(): string[] }).selection().length);
const firstX = (page: Page) => page.evaluate(() => window.__boardwalk!.shapes()[0] as unknown as { x: number }).then((s) => s.x);

async function browserTable(context: BenchContext, sizes: number[]): Promise<void> {
	ensureBuild();
	const boards = Object.fromEntries(sizes.map((n) => [`bulk${n}`, n]));
	const server = await startBoardServer(boards);
	const browser = await launchBrowser();
	const rows: Row[] = [];
	const perShape = new Map<string, number>();
	try {
		for (const n of sizes) {
			const { page } = await openUntilPainted(browser, server.url(`bulk${n}`), n, { synced: true });
			try {
				const x0 = await firstX(page);
				const row = (op: string, opMs: number, undoMs: number) => {
					const per = (opMs * 1000) / n;
					if (!perShape.has(op)) perShape.set(op, per);
					rows.push({ shapes: n, op, 'keypress → drawn ms': ms(opMs), 'undo ms': ms(undoMs), '×undo': ratio(opMs, undoMs), 'µs/shape': per.toFixed(1), 'µs/shape ×first size': ratio(per, perShape.get(op)!) });
				};
				const all = await pressTimed(page, 'Control+a', async (p) => (await selected(p)) === n);
				rows.push({ shapes: n, op: 'select all (Ctrl+A)', 'keypress → drawn ms': ms(all), 'undo ms': '', '×undo': '', 'µs/shape': ((all * 1000) / n).toFixed(1), 'µs/shape ×first size': '' });
				const del = await pressTimed(page, 'Delete', async (p) => (await count(p)) === 0);
				const undel = await pressTimed(page, 'Control+z', async (p) => (await count(p)) === n);
				row('delete', del, undel);
				// Undoing a delete reselects what came back (before issue 19 it did not: select again, untimed).
				if ((await selected(page)) !== n) {
					await page.keyboard.press('Control+a');
					while ((await selected(page)) !== n) await new Promise((resolve) => setTimeout(resolve, 50));
				}
				const dup = await pressTimed(page, 'Control+d', async (p) => (await count(p)) === 2 * n && (await selected(p)) === n);
				const undup = await pressTimed(page, 'Control+z', async (p) => (await count(p)) === n && (await selected(p)) === n);
				row('duplicate', dup, undup);
				const move = await pressTimed(page, 'ArrowRight', async (p) => (await firstX(p)) === x0 + 1);
				const unmove = await pressTimed(page, 'Control+z', async (p) => (await firstX(p)) === x0);
				row('move (arrow key)', move, unmove);
			} finally {
				await page.context().close();
			}
		}
	} finally {
		await browser.close();
		await server.close();
	}
	context.report.table('bulk', 'bulk: keypress → drawn in Chromium, every shape of the board selected', rows, [
		'Headless Chromium at 1280×800, one fresh page per board (benchRect grid, synced from our server). Each figure: the keydown (a capturing listener in the page) until the shape layer drew the change (the first draw after it, or the end of the frame after it): the command, its transaction, the scene, the selection and the Transformer, Svelte effects and the draw.',
		'Every shape is selected (Ctrl+A) before the ops. undo ms = Ctrl+Z of the same op right after it (undoing a delete reselects what came back). µs/shape ×first size against the smallest board.',
		loadNote('browser part')
	]);
}

export const bulk: Scenario = {
	name: 'bulk',
	summary: 'delete / duplicate / move / restyle of 1k, 5k, 10k shapes: the model op (Node) and the keypress until drawn (Chromium), vs their undo',
	inQuick: true,
	async run(context) {
		const sizes = SIZES[context.quick ? 'quick' : 'full'];
		modelTable(context, sizes);
		await browserTable(context, sizes);
	}
};
