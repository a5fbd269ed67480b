/** The cluster scenario's servers: its own PostgreSQL and Redis, Boardwalk processes sharing them, and one process alone as the baseline. */
import pg from 'pg';
import { startNginx, type Nginx } from '../../tests/helpers/nginx.ts';
import { startPostgres, startRedis, type Service } from '../../tests/helpers/services.ts';
import { cpuMs } from './proc-stats.ts';
import { startServer, type BenchServer } from './servers.ts';

/** BUS_URL needs SECRET: every process must check the others' links. */
const SECRET = 'bench-cluster-secret-0123456789abcdef';
/**
 * The lone process gets a database of its own: it takes the writer lock exclusively, cluster processes
 * take it shared, and each refuses to start while the other kind holds it (advisory locks are per database).
 */
const SINGLE_DATABASE = 'single';
const POLL_MS = 25;
const UNLOAD_TIMEOUT_MS = 30_000;

export interface BenchCluster {
	/** Cluster processes (STORAGE_URL + BUS_URL), in start order; killed ones stay listed. */
	nodes: BenchServer[];
	/** The one-process baseline: the same PostgreSQL, another database, no BUS_URL. */
	single(): BenchServer;
	/** Starts the baseline again on its port and database (after a kill -9); resolves once it listens. */
	restartSingle(): Promise<BenchServer>;
	/** nginx round-robin over the cluster processes, as docs/cluster.md deploys them. */
	balancer: Nginx;
	/** Stops every process (SIGTERM: rooms are stored), nginx, Redis and PostgreSQL. */
	stop(): Promise<void>;
}

async function createDatabase(url: string, name: string): Promise<string> {
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const other = new URL(url);
	other.pathname = `/${name}`;
	return other.toString();
}

/** `count` cluster processes, the baseline and nginx, every server with `env` added (ROOM_UNLOAD_DELAY_MS, …). */
export async function startBenchCluster(count: number, env: Record<string, string>): Promise<BenchCluster> {
	const services: Service[] = [];
	const servers: BenchServer[] = [];
	let balancer: Nginx | null = null;
	const stop = async () => {
		await Promise.all(servers.map((server) => server.stop()));
		await balancer?.stop();
		await Promise.all(services.map((service) => service.stop()));
	};
	try {
		const postgres = await startPostgres();
		services.push(postgres);
		const redis = await startRedis();
		services.push(redis);
		const singleEnv = { ...env, STORAGE_URL: await createDatabase(postgres.url, SINGLE_DATABASE), SECRET };
		const clusterEnv = { ...env, STORAGE_URL: postgres.url, BUS_URL: redis.url, SECRET };
		const nodes: BenchServer[] = [];
		// One at a time: the first creates the schema, which the others then find.
		for (let i = 0; i < count; i++) {
			nodes.push(await startServer('boardwalk', { env: clusterEnv }));
			servers.push(nodes.at(-1)!);
		}
		let single = await startServer('boardwalk', { env: singleEnv });
		servers.push(single);
		const singlePort = new URL(single.httpUrl).port;
		balancer = await startNginx(nodes.map((node) => new URL(node.httpUrl).host));
		return {
			nodes,
			single: () => single,
			async restartSingle() {
				single = await startServer('boardwalk', { env: { ...singleEnv, PORT: singlePort } });
				servers.push(single);
				return single;
			},
			balancer,
			stop
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

export const isRunning = (server: BenchServer) => server.child.exitCode === null && server.child.signalCode === null;

/** User + system CPU of the servers still running, summed, in ms. */
export function summedCpuMs(servers: readonly BenchServer[]): number {
	return servers.filter(isRunning).reduce((sum, server) => sum + cpuMs(server.pid), 0);
}

/** A gauge of the server's /metrics (answered on loopback): boardwalk_rooms or boardwalk_connections. */
export async function gauge(server: BenchServer, name: 'boardwalk_rooms' | 'boardwalk_connections'): Promise<number> {
	const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
	const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
	if (!match) throw new Error(`${server.label}: no ${name} in /metrics`);
	return Number(match[1]);
}

/** Waits until none of the servers holds a board in memory (their clients left and ROOM_UNLOAD_DELAY_MS passed). */
export async function waitUnloaded(servers: readonly BenchServer[]): Promise<void> {
	const deadline = Date.now() + UNLOAD_TIMEOUT_MS;
	for (;;) {
		const loaded = await Promise.all(servers.filter(isRunning).map((server) => gauge(server, 'boardwalk_rooms')));
		if (loaded.every((rooms) => rooms === 0)) return;
		if (Date.now() > deadline) throw new Error(`rooms still loaded after ${UNLOAD_TIMEOUT_MS} ms: ${loaded.join(', ')}`);
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
}
