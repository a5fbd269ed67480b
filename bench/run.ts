/**
 * `npm run bench [-- --quick] [-- --only=fanout,memory] [-- --list]`: runs the scenarios, prints one table
 * per figure set with ratios against baselines measured in the same run, and writes them to bench/results/.
 */
import path from 'node:path';
import { ClientPool } from './lib/client-pool.ts';
import { killAllChildren } from './lib/procs.ts';
import { Report } from './lib/report.ts';
import { ROOT } from './lib/servers.ts';
import { browserScenarios, serverScenarios } from './scenarios/index.ts';

/** Client worker processes: several clients each, so 100 clients cost 4 Node processes, not 100. */
const CLIENT_PROCESSES = 4;
/** Everything stops by itself: past this the bench kills its children and fails. */
const WATCHDOG_MS = { quick: 3 * 60_000, full: 40 * 60_000 };

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const all = [...serverScenarios, ...browserScenarios];

if (args.includes('--list')) {
	for (const s of all) console.log(`${s.name.padEnd(12)} ${s.inQuick ? '' : '(full only) '}${s.summary}`);
	process.exit(0);
}
const unknown = only?.filter((name) => !all.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
	console.error(`unknown scenario(s): ${unknown.join(', ')}; see --list`);
	process.exit(2);
}
const selected = all.filter((s) => (only ? only.includes(s.name) : !quick || s.inQuick));

const watchdog = setTimeout(() => {
	console.error(`bench: still running after ${WATCHDOG_MS[quick ? 'quick' : 'full'] / 60_000} min; killing it`);
	killAllChildren();
	process.exit(1);
}, WATCHDOG_MS[quick ? 'quick' : 'full']);
watchdog.unref();

const startedAt = new Date();
const report = new Report(quick);
const failed: string[] = [];
let pool = await ClientPool.start(CLIENT_PROCESSES);
try {
	for (const scenario of selected) {
		const started = performance.now();
		console.log(`\n# ${scenario.name}: ${scenario.summary}`);
		try {
			await scenario.run({ quick, report, pool, profileDir: path.join(ROOT, 'bench/results/profiles') });
		} catch (error) {
			// One failed scenario does not cost the others: record it, start fresh clients, go on.
			failed.push(scenario.name);
			console.error(`${scenario.name} failed:`, error);
			report.table(scenario.name, `${scenario.name}: FAILED`, [], [error instanceof Error ? error.message : String(error)]);
			pool.dirty = true;
		}
		// A client process still busy (or stuck) would load the next scenario's machine: replace them all.
		if (pool.dirty) {
			await pool.stop();
			pool = await ClientPool.start(CLIENT_PROCESSES);
		}
		console.log(`(${scenario.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
	}
} finally {
	await pool.stop();
	killAllChildren();
}
const file = report.write(path.join(ROOT, 'bench/results'), startedAt);
console.log(`\nwrote ${path.relative(ROOT, file)} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
if (failed.length > 0) console.error(`failed: ${failed.join(', ')}`);
process.exit(failed.length > 0 ? 1 : 0);
