/** Throughput: 20 clients in one room, the rate ramped until p99 passes 100 ms or deliveries fall behind. */
import { FanoutRoom, type FanoutResult } from '../lib/fanout.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServers, stopServers, type ServerKind } from '../lib/servers.ts';
import { ms, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const SERVERS: ServerKind[] = ['relay', 'reference', 'boardwalk'];
const CLIENTS = 20;
const MAX_P99_MS = 100;
/** Deliveries not complete this long after the writers stopped: the server (or the clients) fell behind. */
const BEHIND_AFTER_MS = 1_000;
const SETTLE_MS = 15_000;
const WRITERS_SHORT = 0.95;

interface Ramp {
	sustained: FanoutResult | null;
	stoppedBy: string;
}

/** Why a step failed (null: it passed). */
function failure(r: FanoutResult): string | null {
	if (r.delivered < r.expected) return `behind (${((100 * r.delivered) / r.expected).toFixed(1)}% delivered ${BEHIND_AFTER_MS} ms after)`;
	if (r.p99Ms > MAX_P99_MS) return `p99 ${ms(r.p99Ms)} ms`;
	return null;
}

async function run({ quick, report, pool }: BenchContext): Promise<void> {
	const steps = quick ? [250, 500, 1000, 2000] : [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000];
	const stepMs = quick ? 1_000 : 3_000;
	const notes = [loadNote('start')];
	const servers = await startServers(SERVERS);
	const ramps = new Map<ServerKind, Ramp>(SERVERS.map((kind) => [kind, { sustained: null, stoppedBy: `reached the last step (${steps.at(-1)}/s)` }]));
	const rooms: FanoutRoom[] = [];
	try {
		for (const server of servers) rooms.push(await FanoutRoom.open(pool, server, CLIENTS));
		for (const room of rooms) await room.measure(steps[0]!, quick ? 500 : 1_000, SETTLE_MS);
		let going = [...rooms];
		for (const [step, rate] of steps.entries()) {
			// Rotate who goes first at each step, as in the fan-out rounds.
			const order = going.map((_, k) => going[(step + k) % going.length]!);
			for (const room of order) {
				let result = await room.measure(rate, stepMs, BEHIND_AFTER_MS);
				if (failure(result) !== null) {
					// One retry: on a shared machine a single burst of outside load should not end the ramp.
					await room.settle(SETTLE_MS);
					result = await room.measure(rate, stepMs, BEHIND_AFTER_MS);
				}
				const ramp = ramps.get(room.server.kind)!;
				const failed = failure(result);
				if (failed === null && (!ramp.sustained || result.sentRate > ramp.sustained.sentRate)) ramp.sustained = result;
				// Writers that cannot reach the target will not reach a higher one either: the clients are the limit.
				const short = result.sentRate < WRITERS_SHORT * rate ? `writers short (${Math.round(result.sentRate)}/s sent)` : null;
				if (failed !== null || short !== null) {
					ramp.stoppedBy = `${rate}/s: ${[failed, short].filter(Boolean).join(', ')}`;
					going = going.filter((r) => r !== room);
				}
				// Let late deliveries finish so they do not load the next server's step.
				await room.settle(SETTLE_MS);
			}
			if (going.length === 0) break;
		}
	} finally {
		for (const room of rooms) await room.close();
		await stopServers(servers);
	}
	notes.push(loadNote('end'));

	const base = ramps.get('relay')!.sustained;
	const rows: Row[] = servers.map((server) => {
		const { sustained, stoppedBy } = ramps.get(server.kind)!;
		return {
			server: server.label,
			'sustained updates/s': Math.round(sustained?.sentRate ?? 0),
			'×relay': base && sustained ? ratio(sustained.sentRate, base.sentRate) : 'n/a',
			'p99 ms there': sustained ? ms(sustained.p99Ms) : 'n/a',
			'CPU µs/update there': sustained ? Math.round(sustained.serverCpuUsPerUpdate) : 'n/a',
			'other cores there': sustained ? sustained.otherCores.toFixed(2) : 'n/a',
			'stopped at': stoppedBy
		};
	});
	report.table('throughput', `Throughput: ${CLIENTS} clients in one room, rate ramped ${steps.join(', ')}/s, ${stepMs / 1000} s a step`, rows, [
		`sustained = the highest rate actually sent in a step with p99 ≤ ${MAX_P99_MS} ms and every move delivered within ${BEHIND_AFTER_MS} ms of the end. A failed step is retried once. The ramp also stops when the writers reach < 95% of the target.`,
		'On 2 cores the 20 stock clients (each applying every move) are usually the first limit: compare against the relay, which adds almost nothing.',
		...notes
	]);
}

export const throughput: Scenario = {
	name: 'throughput',
	summary: '20 clients, rate ramped until p99 > 100 ms or deliveries fall behind: sustained updates/s',
	inQuick: true,
	run
};
