/** Rooms whose clients are placed by hand (which client process, which server, who writes, whose deliveries count), measured together. */
import type { ClientPool } from './client-pool.ts';
import { summedCpuMs } from './cluster.ts';
import type { BenchServer } from './servers.ts';
import { Histogram } from './stats.ts';

const POLL_MS = 50;
const OPEN_TIMEOUT_MS = 60_000;
/** How long to wait, after a late verdict, for moves that missed the drain window (they must not land in the next run). */
const LATE_SETTLE_MS = 15_000;

export interface Placement {
	/** Index of the client process (ClientPool) hosting these clients; one placement per process and room. */
	worker: number;
	wsUrl: string;
	clients: number;
	/** Whether these clients move their shapes (the run's rate is split evenly over every writing client). */
	writes: boolean;
	/** Whether the moves they receive count in the latency and delivery figures. */
	measured: boolean;
}

export interface PlacedResult {
	sent: number;
	sentRate: number;
	expected: number;
	delivered: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** The servers' CPU (user + system) summed over processes, per update sent, in µs. */
	cpuUsPerUpdate: number;
	/** Every measured move arrived within the drain window. */
	onTime: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PlacedRoom {
	private constructor(
		private readonly pool: ClientPool,
		readonly room: string,
		readonly placements: readonly Placement[]
	) {}

	/** Connects every placement, gives each client a shape, and waits until every client sees them all (each is synced with everyone). */
	static async open(pool: ClientPool, room: string, placements: readonly Placement[]): Promise<PlacedRoom> {
		const workers = placements.map((p) => p.worker);
		if (new Set(workers).size !== workers.length) throw new Error(`${room}: one placement per client process`);
		await Promise.all(placements.map((p) => pool.ask(p.worker, 'connect', { wsUrl: p.wsUrl, room, count: p.clients, awaitSync: true })));
		await Promise.all(workers.map((worker) => pool.ask(worker, 'addShapes', { room })));
		const total = placements.reduce((sum, p) => sum + p.clients, 0);
		const deadline = Date.now() + OPEN_TIMEOUT_MS;
		for (;;) {
			const counts = await Promise.all(workers.map((worker) => pool.ask(worker, 'shapeCount', { room })));
			if (counts.every((c) => c.min >= total)) return new PlacedRoom(pool, room, placements);
			if (Date.now() > deadline) throw new Error(`${room}: clients did not see each other's shapes (${JSON.stringify(counts)})`);
			await sleep(POLL_MS);
		}
	}

	async close(): Promise<void> {
		await Promise.all(this.placements.map((p) => this.pool.ask(p.worker, 'close', { room: this.room })));
	}
}

async function receivedSoFar(pool: ClientPool, rooms: readonly PlacedRoom[]): Promise<number> {
	const asks = rooms.flatMap((r) => r.placements.filter((p) => p.measured).map((p) => pool.ask(p.worker, 'progress', { room: r.room })));
	return (await Promise.all(asks)).reduce((sum, p) => sum + p.received, 0);
}

async function settle(pool: ClientPool, rooms: readonly PlacedRoom[], expected: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if ((await receivedSoFar(pool, rooms)) >= expected) return true;
		if (Date.now() > deadline) return false;
		await sleep(POLL_MS);
	}
}

/** Drives `ratePerSec` in all over the rooms' writers for `durationMs` (open loop), waits up to `drainMs` for delivery; CPU is summed over `servers`. */
export async function measurePlaced(
	pool: ClientPool,
	rooms: readonly PlacedRoom[],
	servers: readonly BenchServer[],
	ratePerSec: number,
	durationMs: number,
	drainMs: number
): Promise<PlacedResult> {
	const writers = rooms.reduce((sum, r) => sum + r.placements.reduce((n, p) => n + (p.writes ? p.clients : 0), 0), 0);
	const rateOf = (p: Placement) => (p.writes ? (ratePerSec * p.clients) / writers : 0);
	const cpuBefore = summedCpuMs(servers);
	const perRoom = await Promise.all(
		rooms.map(async (r) => {
			const runs = await Promise.all(r.placements.map((p) => pool.ask(p.worker, 'run', { room: r.room, ratePerSec: rateOf(p), durationMs })));
			const sent = runs.reduce((sum, run) => sum + run.sent, 0);
			// Each measured client receives every move but its own.
			const expected = r.placements.reduce((sum, p, i) => (p.measured ? sum + p.clients * sent - runs[i]!.sent : sum), 0);
			return { sent, expected, elapsedMs: Math.max(...runs.map((run) => run.elapsedMs)) };
		})
	);
	const sent = perRoom.reduce((sum, r) => sum + r.sent, 0);
	const expected = perRoom.reduce((sum, r) => sum + r.expected, 0);
	const elapsedMs = Math.max(...perRoom.map((r) => r.elapsedMs));
	const onTime = await settle(pool, rooms, expected, drainMs);
	const cpuMsUsed = summedCpuMs(servers) - cpuBefore;
	const collected = await Promise.all(
		rooms.flatMap((r) => r.placements.filter((p) => p.measured).map((p) => pool.ask(p.worker, 'collect', { room: r.room })))
	);
	if (!onTime) await settle(pool, rooms, expected, LATE_SETTLE_MS);
	const histogram = Histogram.merge(collected.map((c) => c.histogram));
	return {
		sent,
		sentRate: elapsedMs > 0 ? (sent * 1000) / elapsedMs : 0,
		expected,
		delivered: collected.reduce((sum, c) => sum + c.received, 0),
		p50Ms: histogram.percentile(0.5),
		p99Ms: histogram.percentile(0.99),
		maxMs: histogram.maxMs,
		cpuUsPerUpdate: sent > 0 ? (cpuMsUsed * 1000) / sent : Number.NaN,
		onTime
	};
}
