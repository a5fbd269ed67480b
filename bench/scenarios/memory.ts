/** Memory: server RSS per loaded room and per idle connection (2,000 over 100 rooms), and after everyone left. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClientPool } from '../lib/client-pool.ts';
import { openIdle } from '../lib/idle-connections.ts';
import { GC_ON_SIGNAL_ARGS, settledRss } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { SERVER_LABELS, startServers, stopServers, type BenchServer, type ServerKind } from '../lib/servers.ts';
import { kib, mib, ratio } from '../lib/stats.ts';
import type { BenchContext, Scenario } from './types.ts';

const SERVERS: ServerKind[] = ['relay', 'reference', 'boardwalk'];
const UNLOAD_DELAY_MS = 500;
const UNLOAD_TIMEOUT_MS = 15_000;

/** V8 heap after the full GC of a reading (baselines/gc-on-signal.ts). */
interface Heap {
	heapUsed: number;
	heapTotal: number;
}

interface MemoryFigures {
	/** Live JS objects and V8's heap capacity per idle connection: RSS = capacity + native memory. */
	heapUsedPerConnection: number;
	heapTotalPerConnection: number;
	baselineBytes: number;
	perRoomBytes: number;
	perConnectionBytes: number;
	afterBytes: number;
	roomsAfter: string;
}

async function loadedRooms(server: BenchServer): Promise<number> {
	// /metrics answers loopback, where the bench runs its servers.
	const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
	return Number(/^boardwalk_rooms (\d+)$/m.exec(metrics)?.[1] ?? NaN);
}

/** Measures one server at a time (the others idle: RSS is per process). */
async function measure(pool: ClientPool, server: BenchServer, roomCount: number, connections: number, samples: number, heapDir: string): Promise<MemoryFigures> {
	const { kind } = server;
	const rss = (pid: number) => settledRss(pid, samples, 200, true);
	const heap = () => JSON.parse(fs.readFileSync(path.join(heapDir, `${server.pid}.json`), 'utf8')) as Heap;
	try {
		const tag = `mem${kind.replace(/\W/g, '')}${Date.now().toString(36)}`;
		// Warm the code paths (and let V8 size its heap) before the baseline reading.
		await openIdle(pool, server, [`${tag}warm`], 20);
		await pool.all('closeAll', () => ({}));
		const baselineBytes = await rss(server.pid);
		const rooms = Array.from({ length: roomCount }, (_, i) => `${tag}r${i}`);
		await openIdle(pool, server, rooms, 1);
		const withRooms = await rss(server.pid);
		const heapWithRooms = heap();
		await openIdle(pool, server, rooms, connections / roomCount - 1);
		const withConnections = await rss(server.pid);
		const heapWithConnections = heap();
		const perConnection = (bytes: number) => bytes / (connections - roomCount);
		await pool.all('closeAll', () => ({}));
		let roomsAfter = 'kept (never unloads without persistence)';
		if (kind === 'relay') roomsAfter = 'n/a (no rooms)';
		if (kind === 'boardwalk') {
			const deadline = Date.now() + UNLOAD_TIMEOUT_MS;
			let loaded = await loadedRooms(server);
			while (loaded > 0 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 100));
				loaded = await loadedRooms(server);
			}
			roomsAfter = `${loaded} loaded (unload delay ${UNLOAD_DELAY_MS} ms)`;
		}
		const afterBytes = await rss(server.pid);
		return {
			heapUsedPerConnection: perConnection(heapWithConnections.heapUsed - heapWithRooms.heapUsed),
			heapTotalPerConnection: perConnection(heapWithConnections.heapTotal - heapWithRooms.heapTotal),
			baselineBytes,
			perRoomBytes: (withRooms - baselineBytes) / roomCount,
			perConnectionBytes: perConnection(withConnections - withRooms),
			afterBytes,
			roomsAfter
		};
	} finally {
		await pool.all('closeAll', () => ({}));
	}
}

async function run({ quick, report, pool }: BenchContext): Promise<void> {
	const roomCount = quick ? 25 : 100;
	const connections = quick ? 500 : 2000;
	const figures = new Map<ServerKind, MemoryFigures>();
	// A 1 MiB young generation, and a full GC before each reading: otherwise young-generation growth and
	// garbage not yet collected (tens of MiB, whenever V8 decides) swamp the deltas.
	const nodeArgs = ['--max-semi-space-size=1', ...GC_ON_SIGNAL_ARGS];
	const heapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-heap-'));
	const servers = await startServers(SERVERS, { env: { ROOM_UNLOAD_DELAY_MS: String(UNLOAD_DELAY_MS), BENCH_HEAP_DIR: heapDir }, nodeArgs });
	try {
		for (const server of servers) figures.set(server.kind, await measure(pool, server, roomCount, connections, quick ? 3 : 5, heapDir));
	} finally {
		await stopServers(servers);
		fs.rmSync(heapDir, { recursive: true, force: true });
	}
	const reference = figures.get('reference')!;
	const rows: Row[] = SERVERS.map((kind) => {
		const f = figures.get(kind)!;
		return {
			server: SERVER_LABELS[kind],
			'RSS at start MiB': mib(f.baselineBytes),
			'per loaded room KiB': kib(f.perRoomBytes),
			'per idle connection KiB': kib(f.perConnectionBytes),
			'conn ×reference': ratio(f.perConnectionBytes, reference.perConnectionBytes),
			'heap used / total per conn KiB': `${kib(f.heapUsedPerConnection)} / ${kib(f.heapTotalPerConnection)}`,
			'RSS after all left MiB': mib(f.afterBytes),
			'Δ vs start MiB': mib(f.afterBytes - f.baselineBytes),
			rooms: f.roomsAfter
		};
	});
	report.table('memory', `Memory: ${connections} idle connections over ${roomCount} rooms (raw sockets doing the sync handshake)`, rows, [
		'per loaded room = RSS growth from opening 1 connection in each empty room (room + its first connection); per idle connection = growth from the other connections.',
		'Servers run with --max-semi-space-size=1, and each RSS reading follows a full GC (bench-only preload, baselines/gc-on-signal.ts); RSS is the median of 5 (quick: 3) readings 200 ms apart; V8 rarely returns freed heap to the OS, so "after all left" shows what stays reserved, not a leak by itself.',
		'heap used / total per conn: growth of V8\'s live objects and of its heap capacity after the same GC; RSS = capacity + native memory (socket state, allocator), so RSS above the heap used is free space V8 keeps.',
		'Boardwalk target: per idle connection ≤ the reference server.'
	]);
}

export const memory: Scenario = {
	name: 'memory',
	summary: 'server RSS per loaded room and per idle connection (2,000 over 100 rooms), and after all disconnect',
	inQuick: true,
	run
};
