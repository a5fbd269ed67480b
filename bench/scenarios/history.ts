/**
 * Version history's cost to the live board (issue 18): the same board with 500 stored versions and with none,
 * each in its own SQLite file: cold load through the registry, log appends/s, and bytes (live board, versions, file).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { createBoard, insertShapes, type NewShape, type Shape } from '../../src/lib/board/index.ts';
import type { VersionInfo } from '../../src/lib/shared/history.ts';
import { encodeVersionContent } from '../../server/history/content.ts';
import { DEFAULT_HISTORY, systemClock } from '../../server/history/policy.ts';
import { createLogger } from '../../server/log.ts';
import { RoomRegistry } from '../../server/rooms/registry.ts';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite.ts';
import { benchRect } from '../lib/board-clients.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { kib, median, ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const BOARD = 'history';
const VERSIONS = 500;
/** Shapes moved between one version and the next (a few gestures' worth). */
const MOVED_PER_VERSION = 20;
const SHAPES_PER_UPDATE = 100;

interface Side {
	label: string;
	dir: string;
	versions: number;
	loadMs: number[];
	appendsPerSecond: number[];
	liveBytes: number;
	versionBytes: number;
	fileBytes: number;
}

const log = createLogger('silent');

/** The board as the bench's clients build it (benchRect through the board model, 100 shapes per update): its updates. */
function boardUpdates(shapes: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const board = createBoard(doc, { warn: () => {} });
	for (let done = 0; done < shapes; done += SHAPES_PER_UPDATE) {
		const batch: NewShape[] = [];
		for (let i = done; i < Math.min(shapes, done + SHAPES_PER_UPDATE); i++) batch.push(benchRect(i));
		insertShapes(board, batch);
	}
	doc.destroy();
	return updates;
}

/** Stores the board as a server leaves it after shutdown: one snapshot (compacted), an empty log. */
async function storeBoard(storage: SqliteStorage, updates: Uint8Array[], snapshot: Uint8Array): Promise<void> {
	await storage.compact(BOARD, snapshot, await storage.append(BOARD, updates));
}

function snapshotOf(updates: Uint8Array[]): Uint8Array {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	const snapshot = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return snapshot;
}

function registry(storage: SqliteStorage): RoomRegistry {
	return new RoomRegistry({
		storage,
		log,
		unloadDelayMs: 0,
		limits: { maxBoardBytes: Number.POSITIVE_INFINITY, newBoardsPerMinute: 1e9 },
		history: { policy: DEFAULT_HISTORY, clock: systemClock }
	});
}

/** The board's shapes as the recorder reads them (Room.storedShapes, through the registry). */
async function storedShapes(dir: string): Promise<Shape[]> {
	const storage = openSqliteStorage(dir);
	try {
		const rooms = registry(storage);
		const shapes = await rooms.shapes(BOARD);
		await untilUnloaded(rooms);
		if (!shapes) throw new Error('the room could not read its shapes');
		return shapes;
	} finally {
		await storage.close();
	}
}

/**
 * `count` versions a minute apart, oldest first, as the recorder writes them (encodeVersionContent, addVersion):
 * version k is the board with MOVED_PER_VERSION shapes moved since version k − 1.
 */
async function storeVersions(storage: SqliteStorage, base: Shape[], count: number): Promise<void> {
	const shapes = base.map((s) => ({ ...s }));
	const start = Date.now() - count * 60_000;
	for (let k = 0; k < count; k++) {
		if (k > 0) {
			for (let j = 0; j < MOVED_PER_VERSION; j++) {
				const i = (k * 7919 + j * 104_729) % shapes.length;
				const s = shapes[i]! as Shape & { x: number; y: number };
				shapes[i] = { ...s, x: s.x + 10, y: s.y + 5 } as Shape;
			}
		}
		const content = encodeVersionContent(shapes);
		const createdAt = start + k * 60_000;
		const info: VersionInfo = {
			id: `${createdAt.toString(36)}-bench${k}`,
			createdAt,
			kind: 'auto',
			name: null,
			editors: [{ name: 'bench', color: '#1971c2' }],
			summary: k === 0 ? { added: shapes.length, deleted: 0, changed: 0 } : { added: 0, deleted: 0, changed: MOVED_PER_VERSION },
			shapes: shapes.length,
			bytes: content.byteLength
		};
		await storage.addVersion(BOARD, info, content);
	}
}

async function untilUnloaded(rooms: RoomRegistry): Promise<void> {
	for (let i = 0; rooms.roomCount > 0; i++) {
		if (i > 500) throw new Error('the room did not unload');
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
}

/** A fresh store on the folder (as a fresh server process opens it), then the registry loads the board: ms of the load. */
async function coldLoad(side: Side): Promise<void> {
	const storage = openSqliteStorage(side.dir);
	try {
		const rooms = registry(storage);
		const started = performance.now();
		await rooms.admit(BOARD, null);
		side.loadMs.push(performance.now() - started);
		await untilUnloaded(rooms);
	} finally {
		await storage.close();
	}
}

/** `updates` appended one per transaction (as the server does when one tick brings one update). */
async function appendRound(side: Side, updates: Uint8Array[], snapshot: Uint8Array): Promise<void> {
	const storage = openSqliteStorage(side.dir);
	try {
		await storage.append(BOARD, updates.slice(0, 50)); // warm the statements and the seq cache
		const started = performance.now();
		for (const u of updates) await storage.append(BOARD, [u]);
		side.appendsPerSecond.push(updates.length / ((performance.now() - started) / 1000));
		// Back to the board as stored before the round (not timed), so every cold load reads the same board.
		await storage.compact(BOARD, snapshot, await storage.append(BOARD, []));
	} finally {
		await storage.close();
	}
}

/** Typical small updates: one shape moved per transaction (x, y), as a drag sends them. */
function moveUpdates(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	const shape = new Y.Map<unknown>();
	doc.getMap('shapes').set('moved', shape);
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (let i = 0; i < count; i++) doc.transact(() => (shape.set('x', i), shape.set('y', i)));
	doc.destroy();
	return updates;
}

function fileBytes(dir: string): number {
	let total = 0;
	for (const name of fs.readdirSync(dir)) if (name.endsWith('.sqlite') || name.includes('.sqlite-')) total += fs.statSync(path.join(dir, name)).size;
	return total;
}

async function measureBytes(side: Side): Promise<void> {
	const storage = openSqliteStorage(side.dir);
	try {
		const room = (await storage.listRooms()).find((r) => r.name === BOARD);
		side.liveBytes = room?.bytes ?? Number.NaN;
		const versions = await storage.listVersions(BOARD);
		if (versions.length !== side.versions) throw new Error(`${side.label}: ${versions.length} versions stored, expected ${side.versions}`);
		side.versionBytes = versions.reduce((sum, v) => sum + v.bytes, 0);
	} finally {
		await storage.close();
	}
	side.fileBytes = fileBytes(side.dir);
}

async function run({ quick, report }: BenchContext): Promise<void> {
	const shapes = quick ? 1_000 : 10_000;
	const rounds = quick ? 3 : 15;
	const appends = quick ? 2_000 : 20_000;
	const notes = [loadNote('start')];
	let snapshot: Uint8Array = new Uint8Array();
	const sides: Side[] = [
		{ label: 'no versions', dir: '', versions: 0, loadMs: [], appendsPerSecond: [], liveBytes: 0, versionBytes: 0, fileBytes: 0 },
		{ label: `${VERSIONS} versions`, dir: '', versions: VERSIONS, loadMs: [], appendsPerSecond: [], liveBytes: 0, versionBytes: 0, fileBytes: 0 }
	];
	try {
		const prepared = performance.now();
		const updates = boardUpdates(shapes);
		snapshot = snapshotOf(updates);
		for (const side of sides) {
			side.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-bench-history-'));
			const storage = openSqliteStorage(side.dir);
			try {
				await storeBoard(storage, updates, snapshot);
			} finally {
				await storage.close();
			}
		}
		const base = await storedShapes(sides[1]!.dir);
		if (base.length !== shapes) throw new Error(`the board holds ${base.length} shapes, expected ${shapes}`);
		const storage = openSqliteStorage(sides[1]!.dir);
		try {
			await storeVersions(storage, base, VERSIONS);
		} finally {
			await storage.close();
		}
		const prepareMs = performance.now() - prepared;
		for (const side of sides) await measureBytes(side);

		// Interleaved rounds (A B, B A, …): outside load hits both alike. A warm-up load of each first.
		for (const side of sides) await coldLoad(side);
		for (const side of sides) side.loadMs.length = 0;
		const moves = moveUpdates(appends);
		for (let r = 0; r < rounds; r++) {
			const order = r % 2 === 0 ? sides : [...sides].reverse();
			for (const side of order) await coldLoad(side);
			for (const side of order) await appendRound(side, moves, snapshot);
		}
		notes.push(`prepared in ${(prepareMs / 1000).toFixed(1)} s (board built, stored and compacted twice, ${VERSIONS} versions encoded and stored).`);
	} finally {
		for (const side of sides) if (side.dir) fs.rmSync(side.dir, { recursive: true, force: true });
	}
	notes.push(`cold loads in round order, ms: ${sides.map((s) => `${s.label} ${s.loadMs.map((v) => ms(v)).join(', ')}`).join('; ')}.`);
	notes.push(loadNote('end'));

	const [none, some] = sides as [Side, Side];
	const rows: Row[] = [
		{ figure: 'cold load (median ms)', 'no versions': ms(median(none.loadMs)), [`${VERSIONS} versions`]: ms(median(some.loadMs)), '×none': ratio(median(some.loadMs), median(none.loadMs)), target: '1.00× ±5%' },
		{ figure: 'cold load (min ms)', 'no versions': ms(Math.min(...none.loadMs)), [`${VERSIONS} versions`]: ms(Math.min(...some.loadMs)), '×none': ratio(Math.min(...some.loadMs), Math.min(...none.loadMs)), target: '' },
		{
			figure: 'appends/s (median, 1 per transaction)',
			'no versions': Math.round(median(none.appendsPerSecond)),
			[`${VERSIONS} versions`]: Math.round(median(some.appendsPerSecond)),
			'×none': ratio(median(some.appendsPerSecond), median(none.appendsPerSecond)),
			target: '1.00× ±5%'
		},
		{ figure: 'live board KiB (snapshot + log)', 'no versions': kib(none.liveBytes), [`${VERSIONS} versions`]: kib(some.liveBytes), '×none': ratio(some.liveBytes, none.liveBytes), target: 'identical' },
		{ figure: 'versions KiB (gzip\'d content)', 'no versions': kib(none.versionBytes), [`${VERSIONS} versions`]: kib(some.versionBytes), '×none': 'n/a', target: '' },
		{ figure: 'SQLite file KiB (+ -wal, -shm)', 'no versions': kib(none.fileBytes), [`${VERSIONS} versions`]: kib(some.fileBytes), '×none': ratio(some.fileBytes, none.fileBytes), target: '' }
	];
	report.table('history', `History's cost to the live board: a ${shapes.toLocaleString('en')}-shape board with ${VERSIONS} versions vs none (SQLite, a file each; ${rounds} interleaved rounds)`, rows, [
		`cold load = a fresh SqliteStorage on the board's folder and a RoomRegistry (history on, default policy) admitting the board: Room.load reads the snapshot + log and applies them; the OS page cache is warm (both files alike).`,
		`appends/s = ${appends.toLocaleString('en')} shape moves (~${Math.round(moveBytes(appends))} bytes each) appended one per transaction to the board's log, in this process; after each round the board is compacted back to its stored snapshot (not timed), so every load reads the same board.`,
		`versions: the board's shapes as Room.storedShapes reads them, ${MOVED_PER_VERSION} shapes moved between consecutive versions, encoded by the recorder's encodeVersionContent (gzip'd JSON) and stored with addVersion, a minute apart. Sizes are measured before the rounds.`,
		...notes
	]);
}

function moveBytes(count: number): number {
	const updates = moveUpdates(Math.min(count, 100));
	return updates.reduce((sum, u) => sum + u.byteLength, 0) / updates.length;
}

export const history: Scenario = {
	name: 'history',
	summary: 'a board with 500 versions vs none (SQLite): cold load, appends/s, live board and file bytes',
	inQuick: false,
	run
};
