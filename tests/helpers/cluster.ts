/** Several Boardwalk processes in cluster mode on the tests' own PostgreSQL and Redis, as a self-hoster runs them (docs/cluster.md). */
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { startPostgres, startRedis, type Service } from './services.ts';

/** One secret for every process: a link made by one must open the board on any other. */
export const CLUSTER_SECRET = 'cluster-test-secret-0123456789abcdef';

export interface TestCluster {
	postgres: Service;
	redis: Service;
	/** The processes started so far (killed ones stay, with their `exited`). */
	processes: ServerProcess[];
	/** Starts one more process sharing the database and the bus; `env` adds to or overrides the cluster's. */
	start(env?: Record<string, string>): Promise<ServerProcess>;
	/** Kills every process still running, then stops Redis and PostgreSQL. */
	stop(): Promise<void>;
}

/** PostgreSQL and Redis of its own, then `count` processes with `env` (CLUSTER_*, COMPACT_*, …) added. */
export async function startCluster(count: number, env: Record<string, string> = {}): Promise<TestCluster> {
	const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	const processes: ServerProcess[] = [];
	const base = { STORAGE_URL: postgres.url, BUS_URL: redis.url, SECRET: CLUSTER_SECRET, ...env };
	const start = async (more: Record<string, string> = {}) => {
		const started = await startServerProcess({ env: { ...base, ...more } });
		processes.push(started);
		return started;
	};
	const stop = async () => {
		for (const p of processes) {
			if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
			// A stopped (SIGSTOP) process must be continued to die of SIGKILL promptly everywhere.
			p.child.kill('SIGCONT');
			p.child.kill('SIGKILL');
		}
		await Promise.all(processes.map((p) => p.exited));
		await Promise.all([redis.stop(), postgres.stop()]);
	};
	try {
		// One at a time: the first creates the schema, which the others then find.
		for (let i = 0; i < count; i++) await start();
	} catch (error) {
		await stop();
		throw error;
	}
	return { postgres, redis, processes, start, stop };
}
