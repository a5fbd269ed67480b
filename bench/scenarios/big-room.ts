/** Fan-out in a big board: 20 clients moving shapes in a 10,000-shape room, where per-update work that grows with the board shows. */
import { buildBoard, waitUntilServed } from '../lib/board-clients.ts';
import { FanoutRoom, type FanoutResult } from '../lib/fanout.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServer, type ServerKind } from '../lib/servers.ts';
import { median, ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const SHAPES = 10_000;
const CLIENTS = 20;
const RATE = 200;
const ROOM = 'bigroom';

interface Outcome {
	result: FanoutResult;
	/** Our server's compactions during the run (from its debug log): how long each blocked the event loop. */
	compactionsMs: number[];
}

async function measure(kind: ServerKind, context: BenchContext, durationMs: number): Promise<Outcome> {
	// Debug level logs each compaction with its duration; it still prints the "listening" line we wait for.
	const server = await startServer(kind, { env: { LOG_LEVEL: 'debug' } });
	let room: FanoutRoom | null = null;
	try {
		const builder = await buildBoard(server.wsUrl, ROOM, SHAPES);
		try {
			await waitUntilServed(server.wsUrl, ROOM, SHAPES);
			room = await FanoutRoom.open(context.pool, server, CLIENTS, { room: ROOM, shapes: SHAPES });
		} finally {
			builder.close();
		}
		await room.measure(RATE, 1_000, 10_000);
		const since = Date.now();
		const result = await room.measure(RATE, durationMs, 10_000);
		const compactionsMs = server.lines
			.filter((line) => line.includes('"compacted"'))
			.map((line) => JSON.parse(line) as { ms: number; time: string })
			.filter((event) => Date.parse(event.time) >= since)
			.map((event) => event.ms);
		return { result, compactionsMs };
	} finally {
		await room?.close();
		await server.stop();
	}
}

function row(label: string, { result: r, compactionsMs }: Outcome, base: FanoutResult, ours: boolean): Row {
	return {
		server: label,
		'sent/s': Math.round(r.sentRate),
		'p50 ms': ms(r.p50Ms),
		'p99 ms': ms(r.p99Ms),
		'max ms': ms(r.maxMs),
		'p99 ×reference': ratio(r.p99Ms, base.p99Ms),
		delivered: `${r.delivered}/${r.expected}`,
		converged: r.converged ? 'yes' : r.delivered < r.expected ? 'n/a (not all delivered)' : 'NO',
		'CPU µs/update': Math.round(r.serverCpuUsPerUpdate),
		'CPU ×reference': ratio(r.serverCpuUsPerUpdate, base.serverCpuUsPerUpdate),
		compactions: ours ? `${compactionsMs.length}, median ${ms(median(compactionsMs))} ms, max ${ms(Math.max(0, ...compactionsMs))} ms` : 'n/a'
	};
}

async function run(context: BenchContext): Promise<void> {
	const durationMs = context.quick ? 5_000 : 10_000;
	const notes = [loadNote('start')];
	const reference = await measure('reference', context, durationMs);
	const ours = await measure('boardwalk', context, durationMs);
	notes.push(loadNote('end'));
	const rows = [row('reference @y/websocket-server', reference, reference.result, false), row('boardwalk (SQLite)', ours, reference.result, true)];
	context.report.table('big-room', `Fan-out in a ${SHAPES.toLocaleString('en')}-shape board: ${CLIENTS} clients, ${RATE} moves/s for ${durationMs / 1000} s`, rows, [
		'base = the reference server (a raw relay cannot serve a board to joiners). Each client first syncs the whole board.',
		'compactions = our server folding its log into a new snapshot (every 500 updates by default): encode of the whole board + SQLite write, on the event loop.',
		...notes
	]);
}

export const bigRoom: Scenario = {
	name: 'big-room',
	summary: '20 clients moving shapes in a 10k-shape board: latency and CPU when per-update work grows with the board',
	inQuick: false,
	run
};
