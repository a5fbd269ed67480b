/** Rooms of moving clients: connect them, drive a fixed rate, and measure what reached whom and when. */
import type { ClientPool } from './client-pool.ts';
import { cpuMs, machineBusyMs } from './proc-stats.ts';
import type { BenchServer } from './servers.ts';
import { Histogram, median } from './stats.ts';

const SETTLE_TIMEOUT_MS = 60_000;
const POLL_MS = 50;
/** How long to wait, after a run's verdict, for moves that missed its drain window. */
const LATE_SETTLE_MS = 30_000;
const CLOSE_TIMEOUT_MS = 30_000;

export interface FanoutResult {
	clients: number;
	targetRate: number;
	/** How many measurement rounds this result sums up (p50/p99 are medians over them). */
	rounds: number;
	sent: number;
	/** Updates actually sent per second (below the target when the writers could not keep up). */
	sentRate: number;
	expected: number;
	delivered: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** The server's own CPU time (user + system) per update sent, in µs. */
	serverCpuUsPerUpdate: number;
	/** CPU the client processes used during the run, in cores (2 = the whole machine here). */
	clientCores: number;
	/** CPU used by everything else on the machine (not this bench) during the run, in cores: outside interference. */
	otherCores: number;
	converged: boolean;
	reconnects: number;
	/** False when moves were still missing 30 s after the run: the clients cannot keep up at all. */
	caughtUp: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let roomCounter = 0;

/** A room on `server` with `clients` stock clients spread over the pool's processes, each owning one shape. */
export class FanoutRoom {
	private lastExpected = 0;

	private constructor(
		private readonly pool: ClientPool,
		readonly server: BenchServer,
		readonly room: string,
		readonly clients: number
	) {}

	/** Opens a fresh room (or `existing.room`, built beforehand with `shapes` shapes; `token` for a claimed board). */
	static async open(pool: ClientPool, server: BenchServer, clients: number, existing?: { room: string; shapes?: number; token?: string }): Promise<FanoutRoom> {
		const room = existing?.room ?? `fanout${++roomCounter}x${Date.now().toString(36)}`;
		const token = existing?.token;
		const shapesBefore = existing?.shapes ?? 0;
		// A raw relay has no state to sync from: its clients are ready once connected.
		const awaitSync = server.kind !== 'relay';
		await pool.all('connect', (i) => ({ wsUrl: server.wsUrl, room, count: pool.share(clients, i), awaitSync, token }));
		await pool.all('addShapes', () => ({ room }));
		const deadline = Date.now() + SETTLE_TIMEOUT_MS;
		for (;;) {
			const counts = await pool.all('shapeCount', () => ({ room }));
			// A process hosting none of this room's clients has nothing to wait for.
			if (counts.every((c, i) => pool.share(clients, i) === 0 || c.min >= shapesBefore + clients)) break;
			if (Date.now() > deadline) throw new Error(`${server.label}: clients did not see each other's shapes (${JSON.stringify(counts)})`);
			await sleep(POLL_MS);
		}
		return new FanoutRoom(pool, server, room, clients);
	}

	/** Drives `ratePerSec` in total (split evenly over the clients) for `durationMs`, then waits up to `drainMs` for delivery. */
	async measure(ratePerSec: number, durationMs: number, drainMs: number): Promise<FanoutResult> {
		const { pool, clients, room } = this;
		const cpuBefore = cpuMs(this.server.pid);
		const machineBefore = machineBusyMs();
		const benchBefore = process.cpuUsage();
		const wallStart = performance.now();
		const runs = await pool.all('run', (i) => ({ room, ratePerSec: (ratePerSec * pool.share(clients, i)) / clients, durationMs }));
		const sent = runs.reduce((sum, r) => sum + r.sent, 0);
		const elapsedMs = Math.max(...runs.map((r) => r.elapsedMs));
		const expected = sent * (clients - 1);
		this.lastExpected = expected;
		await this.settle(drainMs);
		const serverCpuMs = cpuMs(this.server.pid) - cpuBefore;
		const collected = await pool.all('collect', () => ({ room }));
		const wallMs = performance.now() - wallStart;
		const clientMs = collected.reduce((sum, c) => sum + c.cpuMs, 0);
		const bench = process.cpuUsage(benchBefore);
		const otherMs = machineBusyMs() - machineBefore - serverCpuMs - clientMs - (bench.user + bench.system) / 1000;
		const histogram = Histogram.merge(collected.map((c) => c.histogram));
		const delivered = collected.reduce((sum, c) => sum + c.received, 0);
		// Clients still applying a backlog answer late: compare states only once everything arrived.
		const hashes = delivered >= expected ? (await pool.all('hashes', () => ({ room }))).flatMap((h) => h.hashes) : [];
		// Late moves must not land in the next run's counts (nor load its clients): let them arrive first.
		const caughtUp = delivered >= expected || (await this.settle(LATE_SETTLE_MS));
		return {
			clients,
			targetRate: ratePerSec,
			rounds: 1,
			sent,
			sentRate: elapsedMs > 0 ? (sent * 1000) / elapsedMs : 0,
			expected,
			delivered,
			p50Ms: histogram.percentile(0.5),
			p99Ms: histogram.percentile(0.99),
			maxMs: histogram.maxMs,
			serverCpuUsPerUpdate: sent > 0 ? (serverCpuMs * 1000) / sent : Number.NaN,
			clientCores: clientMs / wallMs,
			otherCores: Math.max(0, otherMs / wallMs),
			converged: hashes.length === clients && hashes.every((h) => h === hashes[0]),
			caughtUp,
			reconnects: collected.reduce((sum, c) => sum + c.reconnects, 0)
		};
	}

	/** Waits up to `timeoutMs` until the last run's moves all arrived; true if they did. */
	async settle(timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const received = (await this.pool.all('progress', () => ({ room: this.room }))).reduce((sum, p) => sum + p.received, 0);
			if (received >= this.lastExpected) return true;
			if (Date.now() > deadline) return false;
			await sleep(POLL_MS);
		}
	}

	/** Best effort: a client process still buried in a backlog may not answer; the bench then replaces the pool. */
	async close(): Promise<void> {
		await this.pool.all('close', () => ({ room: this.room }), CLOSE_TIMEOUT_MS).catch((error: unknown) => {
			console.error(`  closing the clients of ${this.room}: ${error instanceof Error ? error.message : String(error)}`);
		});
	}
}

/** Rounds summed up: counts add, p50/p99 are medians of the rounds' (robust to a round disturbed by other load). */
export function summarize(rounds: readonly FanoutResult[]): FanoutResult {
	const first = rounds[0]!;
	const sum = (pick: (r: FanoutResult) => number) => rounds.reduce((total, r) => total + pick(r), 0);
	const sent = sum((r) => r.sent);
	return {
		clients: first.clients,
		targetRate: first.targetRate,
		rounds: rounds.length,
		sent,
		sentRate: median(rounds.map((r) => r.sentRate)),
		expected: sum((r) => r.expected),
		delivered: sum((r) => r.delivered),
		p50Ms: median(rounds.map((r) => r.p50Ms)),
		p99Ms: median(rounds.map((r) => r.p99Ms)),
		maxMs: Math.max(...rounds.map((r) => r.maxMs)),
		serverCpuUsPerUpdate: sum((r) => r.serverCpuUsPerUpdate * r.sent) / sent,
		clientCores: median(rounds.map((r) => r.clientCores)),
		otherCores: median(rounds.map((r) => r.otherCores)),
		converged: rounds.every((r) => r.converged),
		caughtUp: rounds.every((r) => r.caughtUp),
		reconnects: sum((r) => r.reconnects)
	};
}

export interface InterleaveOptions {
	rounds: number;
	roundMs: number;
	drainMs: number;
}

/**
 * Measures every room at `ratePerSec` in interleaved rounds (A B C, B C A, C A B, …), so a burst of
 * outside load or a drift over time hits every server alike. Returns one summary per room, in order.
 */
export async function measureInterleaved(rooms: readonly FanoutRoom[], ratePerSec: number, options: InterleaveOptions): Promise<FanoutResult[]> {
	const perRoom = rooms.map((): FanoutResult[] => []);
	for (let round = 0; round < options.rounds; round++) {
		for (let k = 0; k < rooms.length; k++) {
			const index = (round + k) % rooms.length;
			perRoom[index]!.push(await rooms[index]!.measure(ratePerSec, options.roundMs, options.drainMs));
		}
		// Clients that could not catch up would only fall further behind: one round says enough.
		if (perRoom.some((results) => !results.at(-1)!.caughtUp)) break;
	}
	return perRoom.map(summarize);
}
