/** Server fan-out: one room, N stock clients, a fixed total rate of shape moves; latency, delivery, convergence, server CPU. */
import { FanoutRoom, measureInterleaved, type FanoutResult } from '../lib/fanout.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServers, stopServers, type ServerKind } from '../lib/servers.ts';
import { ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const SERVERS: ServerKind[] = ['relay', 'reference', 'boardwalk'];
const DRAIN_MS = 5_000;
/** Below this share of the target rate, the writers (not the server) were the limit. */
const WRITERS_SHORT = 0.95;

function fanoutRow(server: string, r: FanoutResult, base: FanoutResult | undefined): Row {
	return {
		clients: r.clients,
		'target/s': r.targetRate,
		server,
		rounds: r.rounds,
		'sent/s': `${Math.round(r.sentRate)}${r.sentRate < WRITERS_SHORT * r.targetRate ? ' (short)' : ''}`,
		'p50 ms': ms(r.p50Ms),
		'p99 ms': ms(r.p99Ms),
		'max ms': ms(r.maxMs),
		'p50 ×base': base ? ratio(r.p50Ms, base.p50Ms) : 'n/a',
		'p99 ×base': base ? ratio(r.p99Ms, base.p99Ms) : 'n/a',
		delivered: `${r.delivered}/${r.expected}`,
		converged: r.converged ? 'yes' : r.delivered < r.expected ? 'n/a (not all delivered)' : 'NO',
		'CPU µs/update': Math.round(r.serverCpuUsPerUpdate),
		'CPU ×base': base ? ratio(r.serverCpuUsPerUpdate, base.serverCpuUsPerUpdate) : 'n/a',
		'client cores': r.clientCores.toFixed(2),
		'other cores': r.otherCores.toFixed(2)
	};
}


async function run({ quick, report, pool }: BenchContext): Promise<void> {
	// 100 clients only in the full run: through the raw relay their connect alone takes ~25 s here
	// (each newcomer's sync step 1 reaches every peer, and every peer's step 2 reaches everyone).
	const clientCounts = quick ? [2, 20] : [2, 20, 100];
	const rates = quick ? [1000] : [200, 1000];
	const rounds = quick ? 1 : 3;
	const roundMs = quick ? 1_500 : 3_000;
	const warmupMs = quick ? 500 : 1_000;
	const notes = [loadNote('start')];
	const servers = await startServers(SERVERS);
	const results = new Map<string, FanoutResult>(); // `${kind} ${clients} ${rate}`
	try {
		for (const clients of clientCounts) {
			const rooms: FanoutRoom[] = [];
			try {
				for (const server of servers) {
					const started = performance.now();
					rooms.push(await FanoutRoom.open(pool, server, clients));
					console.log(`  ${server.label}: ${clients} clients connected in ${((performance.now() - started) / 1000).toFixed(1)} s`);
				}
				for (const room of rooms) await room.measure(rates[0]!, warmupMs, DRAIN_MS);
				for (const rate of rates) {
					const summaries = await measureInterleaved(rooms, rate, { rounds, roundMs, drainMs: DRAIN_MS });
					summaries.forEach((summary, i) => results.set(`${rooms[i]!.server.kind} ${clients} ${rate}`, summary));
				}
			} finally {
				for (const room of rooms) await room.close();
			}
		}
	} finally {
		await stopServers(servers);
	}
	notes.push(loadNote('end'));

	const rows: Row[] = [];
	const cpuRows: Row[] = [];
	for (const clients of clientCounts) {
		for (const rate of rates) {
			const base = results.get(`relay ${clients} ${rate}`);
			for (const server of servers) {
				const r = results.get(`${server.kind} ${clients} ${rate}`);
				if (!r) continue;
				rows.push(fanoutRow(server.label, r, base));
				cpuRows.push({
					clients,
					'updates/s': rate,
					server: server.label,
					'server CPU µs/update': Math.round(r.serverCpuUsPerUpdate),
					'×relay': base ? ratio(r.serverCpuUsPerUpdate, base.serverCpuUsPerUpdate) : 'n/a',
					'one-core capacity updates/s': Math.round(1e6 / r.serverCpuUsPerUpdate)
				});
			}
		}
	}
	report.table('fanout', `Fan-out: one room, every client moves its own shape (${rounds} interleaved round(s) of ${roundMs / 1000} s per rate)`, rows, [
		"base = the raw ws relay, same clients, same run. Latency = the writer's change to each other client's observe event; p50/p99 are medians over the rounds, max is over all.",
		'delivered = moves observed / (moves sent × (clients − 1)) within 5 s of the end; converged = every client ends with the same state vector and content hash (compared once all moves arrived). A rate whose moves are still missing 30 s later gets no further rounds.',
		"sent/s (short) = the writers could not reach the target: the 2 cores were busy with the clients' own work (client cores).",
		'other cores = CPU used by processes outside the bench during the runs (other work on this shared machine); latency is only comparable between rows when it is near 0.',
		...notes
	]);
	report.table('fanout', 'Server CPU per update (/proc utime+stime over the same runs)', cpuRows, [
		'one-core capacity = 1 s / CPU per update: the update rate one core could carry for a room of this size.',
		'Boardwalk target: within 1.3× of the raw relay while persisting.'
	]);
}

export const fanout: Scenario = {
	name: 'fanout',
	summary: 'one room, 2/20/100 clients, 200 and 1000 updates/s: latency, delivery, convergence, server CPU per update',
	inQuick: true,
	run
};
