/** Where the server's CPU goes: `node --cpu-prof` on our server (and the reference) under the 20-client fan-out load. */
import fs from 'node:fs';
import path from 'node:path';
import { findProfile, summarizeProfile } from '../lib/cpu-profile.ts';
import { FanoutRoom } from '../lib/fanout.ts';
import type { Row } from '../lib/report.ts';
import { ROOT, startServer, type ServerKind } from '../lib/servers.ts';
import type { BenchContext, Scenario } from './types.ts';

const RATE = 1000;
const TOP_FUNCTIONS = 15;

async function profileOne(context: BenchContext, kind: ServerKind, clients: number, dir: string): Promise<void> {
	const durationMs = context.quick ? 3_000 : 10_000;
	fs.mkdirSync(dir, { recursive: true });
	const server = await startServer(kind, { profileDir: dir });
	let room: FanoutRoom | null = null;
	const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
	const window = { fromUs: 0, toUs: 0 };
	try {
		room = await FanoutRoom.open(context.pool, server, clients);
		await room.measure(RATE, 1_000, 5_000); // warm-up, outside the window
		window.fromUs = monotonicUs();
		await room.measure(RATE, durationMs, 5_000);
		window.toUs = monotonicUs();
	} finally {
		await room?.close();
		await server.stop(); // SIGTERM: the process exits normally, which writes the profile
	}
	const file = findProfile(dir, server.pid);
	const { functions, areas, busyMs } = summarizeProfile(file, ROOT, TOP_FUNCTIONS, window);
	const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
	const functionRows: Row[] = functions.map((f) => ({ function: f.name, 'self ms': Math.round(f.ms), 'self %': percent(f.share) }));
	const areaRows: Row[] = areas.map((a) => ({ where: a.name, 'self ms': Math.round(a.ms), 'self %': percent(a.share) }));
	const note = `${server.label}, ${clients} clients, ${RATE} updates/s for ${durationMs / 1000} s; % of the ${Math.round(busyMs)} ms the server was busy (not idle) during the measured run (warm-up and start-up excluded). Profile: ${path.relative(ROOT, file)}`;
	context.report.table('profile', `CPU profile, top self time by function: ${server.label}, ${clients} clients`, functionRows, [note]);
	context.report.table('profile', `CPU profile, self time by package: ${server.label}, ${clients} clients`, areaRows, [note]);
}

export const profile: Scenario = {
	name: 'profile',
	summary: 'node --cpu-prof of our server and the reference at 20 and 2 clients × 1000/s: top self-time functions and packages',
	inQuick: false,
	async run(context) {
		const dir = path.join(context.profileDir, new Date().toISOString().replace(/[:.]/g, '-'));
		// 20 clients: the fan-out target; 2 clients: where per-update work (not socket writes) dominates.
		await profileOne(context, 'boardwalk', 20, dir);
		await profileOne(context, 'reference', 20, dir);
		await profileOne(context, 'boardwalk', 2, dir);
		await profileOne(context, 'reference', 2, dir);
	}
};
