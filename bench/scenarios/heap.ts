/** What an idle connection and an empty room hold in the server's heap: V8 heap snapshots diffed by constructor. */
import fs from 'node:fs';
import path from 'node:path';
import { growthPer, heapSnapshotArgs, sizesByConstructor, takeHeapSnapshot } from '../lib/heap-snapshot.ts';
import { openIdle } from '../lib/idle-connections.ts';
import type { Row } from '../lib/report.ts';
import { startServer, type ServerKind } from '../lib/servers.ts';
import type { BenchContext, Scenario } from './types.ts';

const ROOMS = 25;
const CONNECTIONS = 500;
const TOP = 12;

async function heapOf(context: BenchContext, kind: ServerKind, dir: string): Promise<void> {
	const { pool, report } = context;
	const server = await startServer(kind, { nodeArgs: heapSnapshotArgs(dir) });
	try {
		const tag = `heap${kind.replace(/\W/g, '')}${Date.now().toString(36)}`;
		await openIdle(pool, server, [`${tag}warm`], 20);
		await pool.all('closeAll', () => ({}));
		const empty = sizesByConstructor(await takeHeapSnapshot(server, dir));
		const rooms = Array.from({ length: ROOMS }, (_, i) => `${tag}r${i}`);
		await openIdle(pool, server, rooms, 1);
		const withRooms = sizesByConstructor(await takeHeapSnapshot(server, dir));
		await openIdle(pool, server, rooms, CONNECTIONS / ROOMS - 1);
		const withConnections = sizesByConstructor(await takeHeapSnapshot(server, dir));
		const perRoom = growthPer(empty, withRooms, ROOMS, TOP);
		const perConnection = growthPer(withRooms, withConnections, CONNECTIONS - ROOMS, TOP);
		const rows = (g: ReturnType<typeof growthPer>): Row[] =>
			g.rows.map((r) => ({ 'type: constructor': r.name, 'bytes each': Math.round(r.bytes), 'objects each': r.count.toFixed(1) }));
		report.table('heap', `Heap per idle connection: ${server.label} (${(perConnection.total / 1024).toFixed(1)} KiB of JS heap each)`, rows(perConnection), [
			`Growth between heap snapshots with ${ROOMS} and ${CONNECTIONS} idle connections, divided by ${CONNECTIONS - ROOMS}; self sizes (no double counting). RSS adds socket buffers and allocator overhead on top.`
		]);
		report.table('heap', `Heap per empty loaded room (with its first connection): ${server.label} (${(perRoom.total / 1024).toFixed(1)} KiB each)`, rows(perRoom), []);
	} finally {
		await pool.all('closeAll', () => ({}));
		await server.stop();
		for (const file of fs.readdirSync(dir)) if (file.endsWith('.heapsnapshot')) fs.rmSync(path.join(dir, file));
	}
}

export const heap: Scenario = {
	name: 'heap',
	summary: 'heap snapshots of our server and the reference: what an idle connection and an empty room hold, by constructor',
	inQuick: false,
	async run(context) {
		const dir = path.join(context.profileDir, `heap-${Date.now().toString(36)}`);
		fs.mkdirSync(dir, { recursive: true });
		try {
			await heapOf(context, 'boardwalk', dir);
			await heapOf(context, 'reference', dir);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
};
