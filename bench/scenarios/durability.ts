/** Durability cost: SQLite log appends/s, and fan-out with every update stored before relay vs an in-memory store. */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import * as Y from 'yjs';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import { FanoutRoom, measureInterleaved } from '../lib/fanout.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServers, stopServers, type ServerKind } from '../lib/servers.ts';
import { ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const CLIENTS = 20;
/** The in-memory store first: it is the base. The relay (full run only) shows the floor. */
const SERVERS: ServerKind[] = ['boardwalk-memory', 'boardwalk', 'relay'];

/** Appends `count` real shape-move updates to a fresh SQLite file, `batch` per transaction (as one event-loop tick would). */
async function appends({ quick, report }: BenchContext): Promise<void> {
	const count = quick ? 5_000 : 20_000;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-bench-'));
	const storage = new SqliteStorage(path.join(dir, 'bench.sqlite'));
	try {
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const shape = new Y.Map<unknown>();
		doc.getMap('shapes').set('s', shape);
		updates.length = 0;
		for (let i = 0; i < count; i++) doc.transact(() => (shape.set('x', i), shape.set('y', i)));
		const bytes = updates.reduce((sum, u) => sum + u.byteLength, 0) / updates.length;
		const rows: Row[] = [];
		let single = 0;
		for (const batch of [1, 10, 100]) {
			const started = performance.now();
			for (let i = 0; i < count; i += batch) await storage.append(`b${batch}`, updates.slice(i, i + batch));
			const perSecond = count / ((performance.now() - started) / 1000);
			if (batch === 1) single = perSecond;
			rows.push({ 'updates per transaction': batch, 'appends/s': Math.round(perSecond), '×1 per transaction': ratio(perSecond, single), 'µs per update': (1e6 / perSecond).toFixed(1) });
		}
		report.table('durability', `SQLite log appends: ${count} shape moves of ${bytes.toFixed(0)} bytes (WAL, synchronous=NORMAL), in this process`, rows, [
			'The server appends one event-loop tick of updates per transaction, so under load it sits between the rows.'
		]);
	} finally {
		await storage.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function persistence({ quick, report, pool }: BenchContext): Promise<void> {
	const rates = quick ? [1000] : [200, 1000];
	const rounds = quick ? 1 : 3;
	const roundMs = quick ? 1_500 : 3_000;
	const notes = [loadNote('start')];
	const servers = await startServers(quick ? SERVERS.slice(0, 2) : SERVERS);
	const rows: Row[] = [];
	const rooms: FanoutRoom[] = [];
	try {
		for (const server of servers) rooms.push(await FanoutRoom.open(pool, server, CLIENTS));
		for (const room of rooms) await room.measure(rates[0]!, quick ? 500 : 1_000, 5_000);
		for (const rate of rates) {
			const results = await measureInterleaved(rooms, rate, { rounds, roundMs, drainMs: 5_000 });
			const base = results[0]!;
			results.forEach((r, i) => {
				rows.push({
					'updates/s': rate,
					server: servers[i]!.label,
					'p50 ms': ms(r.p50Ms),
					'p99 ms': ms(r.p99Ms),
					'p99 ×memory': ratio(r.p99Ms, base.p99Ms),
					delivered: `${r.delivered}/${r.expected}`,
					'CPU µs/update': Math.round(r.serverCpuUsPerUpdate),
					'CPU ×memory': ratio(r.serverCpuUsPerUpdate, base.serverCpuUsPerUpdate)
				});
			});
		}
	} finally {
		for (const room of rooms) await room.close();
		await stopServers(servers);
	}
	notes.push(loadNote('end'));
	report.table('durability', `Persistence on vs off: ${CLIENTS} clients in one room (${rounds} interleaved round(s) of ${roundMs / 1000} s)`, rows, [
		'base = our server with the in-memory store (server/storage/memory.ts): the same code path, appends cost ~nothing.',
		'The difference between the first two rows is what storing every update before relaying it costs.',
		...notes
	]);
}

export const durability: Scenario = {
	name: 'durability',
	summary: 'SQLite appends/s, and fan-out with persistence on vs an in-memory store',
	inQuick: true,
	async run(context) {
		await appends(context);
		await persistence(context);
	}
};
