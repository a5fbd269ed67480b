/** What every scenario gets and provides: a name to select it by, and a run that adds tables to the report. */
import type { ClientPool } from '../lib/client-pool.ts';
import type { Report } from '../lib/report.ts';

export interface BenchContext {
	quick: boolean;
	report: Report;
	/** Client worker processes shared by the scenarios (each scenario closes its clients when done). */
	pool: ClientPool;
	/** Where CPU profiles go (bench/results/profiles). */
	profileDir: string;
}

export interface Scenario {
	name: string;
	/** One line for `npm run bench -- --list`. */
	summary: string;
	/** False: only run when named with --only (e.g. the profiler in quick mode). */
	inQuick: boolean;
	run(context: BenchContext): Promise<void>;
}
