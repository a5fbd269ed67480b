/** Limits on against limits lifted: the same room of stock clients on two Boardwalks in one run, server CPU per update (issue 15: target ≤ 1.05×). */
import { FanoutRoom, measureInterleaved } from '../lib/fanout.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServer, stopServers, type BenchServer } from '../lib/servers.ts';
import { ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const DRAIN_MS = 5_000;
/** 20 clients at 1000 updates/s in all: 50 frames/s each, within the default per-connection budget (200/s). */
const CLIENTS = 20;
const RATE = 1_000;

async function run({ quick, report, pool }: BenchContext): Promise<void> {
	const rounds = quick ? 1 : 3;
	const roundMs = quick ? 1_500 : 3_000;
	const notes = [loadNote('start')];
	const servers: BenchServer[] = [];
	const labels = ['limits on (defaults)', 'limits lifted'];
	try {
		servers.push(await startServer('boardwalk', { limits: 'default' }));
		servers.push(await startServer('boardwalk', { limits: 'lifted' }));
		const rooms: FanoutRoom[] = [];
		try {
			for (const server of servers) rooms.push(await FanoutRoom.open(pool, server, CLIENTS));
			for (const room of rooms) await room.measure(RATE, quick ? 500 : 1_000, DRAIN_MS);
			const [on, lifted] = await measureInterleaved(rooms, RATE, { rounds, roundMs, drainMs: DRAIN_MS });
			const rows: Row[] = [on!, lifted!].map((r, i) => ({
				server: labels[i]!,
				'server CPU µs/update': Math.round(r.serverCpuUsPerUpdate),
				'×lifted': ratio(r.serverCpuUsPerUpdate, lifted!.serverCpuUsPerUpdate),
				p50: ms(r.p50Ms),
				p99: ms(r.p99Ms),
				delivered: `${((100 * r.delivered) / Math.max(1, r.expected)).toFixed(1)}%`,
				reconnects: r.reconnects
			}));
			notes.push(loadNote('end'));
			report.table('limits', `Limits on against lifted: ${CLIENTS} clients, ${RATE} updates/s in one room (${rounds} interleaved round(s) of ${roundMs / 1000} s)`, rows, [
				'limits on = every default of server/limits/limits.ts (per-connection frame and byte budgets, per-address counts, board size); lifted = the values bench/lib/servers.ts sets for the other scenarios. Target: ≤ 1.05×.',
				...notes
			]);
		} finally {
			for (const room of rooms) await room.close();
		}
	} finally {
		await stopServers(servers);
	}
}

export const limits: Scenario = {
	name: 'limits',
	summary: `${CLIENTS} clients at ${RATE} updates/s on Boardwalk with the default limits and with them lifted: server CPU per update`,
	inQuick: true,
	run
};
