/** What access control and limits cost: the same fan-out on a claimed board (tokens, default limits) and on an open board with the limits lifted. */
import { FanoutRoom, measureInterleaved, type FanoutResult } from '../lib/fanout.ts';
import { loadNote } from '../lib/proc-stats.ts';
import type { Row } from '../lib/report.ts';
import { startServer, stopServers, type BenchServer } from '../lib/servers.ts';
import { ms, ratio } from '../lib/stats.ts';
import { claimBoard } from '../lib/claim.ts';
import type { BenchContext, Scenario } from './types.ts';

const CLIENTS = 20;
const RATE = 1000;
const DRAIN_MS = 5_000;

interface Side {
	label: string;
	server: BenchServer;
	room: FanoutRoom | null;
}

async function run({ quick, report, pool }: BenchContext): Promise<void> {
	const rounds = quick ? 2 : 5;
	const roundMs = quick ? 1_500 : 3_000;
	const notes = [loadNote('start')];
	const sides: Side[] = [];
	let results: FanoutResult[] = [];
	try {
		const checked = await startServer('boardwalk', { limits: 'default' });
		sides.push({ label: 'claimed board, edit token, default limits', server: checked, room: null });
		const open = await startServer('boardwalk', { limits: 'lifted' });
		sides.push({ label: 'unclaimed board (no token), limits lifted', server: open, room: null });
		const room = `access${Date.now().toString(36)}`;
		const claimed = { room, token: await claimBoard(checked.httpUrl, room) };
		sides[0]!.room = await FanoutRoom.open(pool, checked, CLIENTS, claimed);
		sides[1]!.room = await FanoutRoom.open(pool, open, CLIENTS);
		const rooms = sides.map((side) => side.room!);
		for (const room of rooms) await room.measure(RATE, quick ? 500 : 1_000, DRAIN_MS);
		results = await measureInterleaved(rooms, RATE, { rounds, roundMs, drainMs: DRAIN_MS });
	} finally {
		for (const side of sides) await side.room?.close();
		await stopServers(sides.map((side) => side.server));
	}
	notes.push(loadNote('end'));

	const base = results[1];
	const rows: Row[] = sides.map((side, i) => {
		const r = results[i]!;
		return {
			server: side.label,
			'sent/s': Math.round(r.sentRate),
			'p50 ms': ms(r.p50Ms),
			'p99 ms': ms(r.p99Ms),
			delivered: `${r.delivered}/${r.expected}`,
			'CPU µs/update': Math.round(r.serverCpuUsPerUpdate),
			'CPU ×without': base ? ratio(r.serverCpuUsPerUpdate, base.serverCpuUsPerUpdate) : 'n/a'
		};
	});
	report.table('access', `Access checks and limits: ${CLIENTS} clients, ${RATE} updates/s, ${rounds} interleaved rounds of ${roundMs / 1000} s`, rows, [
		'Two Boardwalk (SQLite) servers in the same run: one with a claimed board reached through its edit link (token checked on upgrade, Origin rule, every per-connection and per-address limit at its default), one with an unclaimed board and every limit lifted.',
		'Target: CPU ×without ≤ 1.05.',
		...notes
	]);
}

export const access: Scenario = {
	name: 'access',
	summary: 'CPU per update with token checks and limits on, against the same fan-out without',
	inQuick: true,
	run
};
