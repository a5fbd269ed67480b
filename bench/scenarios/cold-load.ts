/** Cold load: a late joiner of a 10,000-shape board (ours vs the reference), and our load of it from SQLite after a restart. */
import fs from 'node:fs';
import * as Y from 'yjs';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { buildBoard, joinOnce, waitUntilServed } from '../lib/board-clients.ts';
import { settledRss } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { SERVER_LABELS, startServer, startServers, type BenchServer } from '../lib/servers.ts';
import { median, mib, ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const SHAPES = 10_000;
const ROOM = 'coldload';

interface Case {
	server: string;
	case: string;
	joins: number[];
	loadMs: number[];
	roomBytes: number;
}

interface Loaded {
	server: BenchServer;
	close(): void;
	stateBytes: number;
	roomBytes: number;
}

/** Builds the board on `server` through a client that stays connected, keeping the room loaded. */
async function loadBoard(server: BenchServer): Promise<Loaded> {
	const before = await settledRss(server.pid);
	const builder = await buildBoard(server.wsUrl, ROOM, SHAPES);
	await waitUntilServed(server.wsUrl, ROOM, SHAPES); // also warms the sync path
	return { server, close: () => builder.close(), stateBytes: builder.stateBytes, roomBytes: (await settledRss(server.pid)) - before };
}

async function timeJoin(server: BenchServer): Promise<number> {
	const join = await joinOnce(server.wsUrl, ROOM);
	if (join.shapes !== SHAPES) throw new Error(`${server.label}: late joiner got ${join.shapes} of ${SHAPES} shapes`);
	return join.ms;
}

/** Restarts our server on the same data `restarts` times; each time one fresh client joins the not-yet-loaded room. */
async function afterRestart(dataDir: string, restarts: number): Promise<Case> {
	const result: Case = { server: SERVER_LABELS.boardwalk, case: 'after restart: loads from SQLite', joins: [], loadMs: [], roomBytes: 0 };
	const rooms: number[] = [];
	for (let i = 0; i < restarts; i++) {
		const server = await startServer('boardwalk', { dataDir });
		try {
			const before = await settledRss(server.pid);
			const join = await joinOnce(server.wsUrl, ROOM);
			if (join.shapes !== SHAPES) throw new Error(`after restart the late joiner got ${join.shapes} shapes`);
			result.joins.push(join.ms);
			const loaded = JSON.parse(await server.waitForLine((line) => line.includes('"room loaded"') && line.includes(ROOM))) as { ms: number };
			result.loadMs.push(loaded.ms);
			rooms.push((await settledRss(server.pid)) - before);
		} finally {
			await server.stop();
		}
	}
	result.roomBytes = median(rooms);
	return result;
}

/** Our cold load split in its steps, repeated in this process on the file the server wrote: where the time goes. */
async function loadSteps(dataDir: string, repeats: number): Promise<Row[]> {
	const storage = openSqliteStorage(dataDir);
	const read: number[] = [];
	const apply: number[] = [];
	const encode: number[] = [];
	let snapshotBytes = 0;
	let logUpdates = 0;
	try {
		for (let i = 0; i < repeats; i++) {
			let started = performance.now();
			const stored = await storage.load(ROOM);
			read.push(performance.now() - started);
			snapshotBytes = stored.snapshot?.byteLength ?? 0;
			logUpdates = stored.updates.length;
			started = performance.now();
			const doc = new Y.Doc();
			if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
			for (const update of stored.updates) Y.applyUpdate(doc, update);
			apply.push(performance.now() - started);
			started = performance.now();
			Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Y.Doc()));
			encode.push(performance.now() - started);
			doc.destroy();
		}
	} finally {
		await storage.close();
	}
	return [
		{ step: `read snapshot (${(snapshotBytes / 1024).toFixed(0)} KiB) + ${logUpdates} logged updates from SQLite`, 'median ms': ms(median(read)) },
		{ step: 'Y.applyUpdate into a fresh doc', 'median ms': ms(median(apply)) },
		{ step: "encodeStateAsUpdate for a joiner's empty state vector (sync step 2)", 'median ms': ms(median(encode)) }
	];
}

async function run({ quick, report }: BenchContext): Promise<void> {
	const joins = quick ? 3 : 9;
	const restarts = quick ? 1 : 5;
	const [referenceServer, oursServer] = await startServers(['reference', 'boardwalk']);
	const inMemory: Case[] = [
		{ server: SERVER_LABELS.reference, case: 'room in memory', joins: [], loadMs: [], roomBytes: 0 },
		{ server: SERVER_LABELS.boardwalk, case: 'room in memory', joins: [], loadMs: [], roomBytes: 0 }
	];
	const loaded: Loaded[] = [];
	let stateBytes = 0;
	try {
		for (const server of [referenceServer!, oursServer!]) loaded.push(await loadBoard(server));
		loaded.forEach((l, k) => (inMemory[k]!.roomBytes = l.roomBytes));
		stateBytes = loaded[1]!.stateBytes;
		// Alternate the servers join by join, so outside load hits both alike.
		for (let i = 0; i < joins; i++) {
			const order = i % 2 === 0 ? [0, 1] : [1, 0];
			for (const k of order) inMemory[k]!.joins.push(await timeJoin(loaded[k]!.server));
		}
	} finally {
		for (const l of loaded) l.close();
		await referenceServer!.stop();
		await oursServer!.stop(true); // SIGTERM: stores and compacts the room
	}
	const dataDir = oursServer!.dataDir!;
	const cases = [...inMemory];
	let steps: Row[] = [];
	try {
		cases.push(await afterRestart(dataDir, restarts));
		steps = await loadSteps(dataDir, quick ? 1 : 3);
	} finally {
		fs.rmSync(dataDir, { recursive: true, force: true });
	}

	const base = median(inMemory[0]!.joins);
	const rows: Row[] = cases.map((c) => ({
		server: c.server,
		case: c.case,
		joins: c.joins.length,
		'median ms': ms(median(c.joins)),
		'max ms': ms(Math.max(...c.joins)),
		'×reference': ratio(median(c.joins), base),
		'server load ms (median)': c.loadMs.length > 0 ? ms(median(c.loadMs)) : 'n/a',
		'RSS for the room MiB': mib(c.roomBytes)
	}));
	report.table('cold-load', `Cold load: a fresh client joins a ${SHAPES.toLocaleString('en')}-shape board (${(stateBytes / 1024).toFixed(0)} KiB as one update)`, rows, [
		'time = new WebsocketProvider until its first sync (the whole board received and applied), in this process; the builder added 100 shapes per update through the board model (rects, 11 fields each).',
		'server load ms = what our server logs for reading the snapshot + log from SQLite and applying it; it is part of the join time after a restart.',
		'Joins to the two in-memory rooms alternate (both servers run at once). RSS for the room = server RSS growth while the room is loaded (in memory: with the builder connected, so it includes its garbage).',
		'Boardwalk target: a late joiner of a 10k-shape room no slower than with the reference server.'
	]);
	report.table('cold-load', 'Where our cold load goes (the same steps, repeated in the bench process on the stored file)', steps, []);
}

export const coldLoad: Scenario = {
	name: 'cold-load',
	summary: 'late joiner of a 10k-shape board (ours vs reference) and our load of it from SQLite after a restart',
	inQuick: true,
	run
};
