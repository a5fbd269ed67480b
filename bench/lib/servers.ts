/** Starts each server the bench compares as its own child process on loopback, and stops it (gracefully) again. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { exited, stopChild, track } from './procs.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const KEPT_LOG_LINES = 2_000;

export type ServerKind = 'relay' | 'reference' | 'boardwalk' | 'boardwalk-memory';

export const SERVER_LABELS: Record<ServerKind, string> = {
	relay: 'raw ws relay',
	reference: 'reference @y/websocket-server',
	boardwalk: 'boardwalk (SQLite)',
	'boardwalk-memory': 'boardwalk (in-memory store)'
};

export interface StartOptions {
	/** Our servers only: reuse this data folder (a restart); a fresh temp folder otherwise. */
	dataDir?: string;
	/** Extra environment for the child (ROOM_UNLOAD_DELAY_MS, …). */
	env?: Record<string, string>;
	/** Write a V8 CPU profile (`--cpu-prof`) into this folder when the server exits. */
	profileDir?: string;
	/** Extra Node flags for the child (e.g. `--heapsnapshot-signal=SIGUSR2`). */
	nodeArgs?: string[];
	/**
	 * Our servers only. 'lifted' (the default): the per-address and per-connection limits are raised out
	 * of reach, because the bench opens thousands of sockets and rooms from one loopback address, which
	 * no real client does, and its comparisons with the baselines must not measure throttling.
	 * 'default': the limits as shipped, for a "limits on" figure.
	 */
	limits?: 'lifted' | 'default';
}

/** Every per-address and per-connection limit out of the bench's reach (server/limits/limits.ts). */
const LIFTED_LIMITS: Record<string, string> = {
	MAX_CONNECTIONS_PER_ADDRESS: '1000000',
	NEW_BOARDS_PER_MINUTE: '1000000',
	CONNECTION_MESSAGES_PER_SECOND: '10000000',
	CONNECTION_BYTES_PER_SECOND: String(2 ** 40)
};

export interface BenchServer {
	kind: ServerKind;
	label: string;
	child: ChildProcess;
	pid: number;
	wsUrl: string;
	httpUrl: string;
	dataDir: string | null;
	/** The last stdout lines (JSON log lines for our servers). */
	lines: string[];
	/** Resolves with the first line (already printed or future) matching `match`. */
	waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
	/** SIGTERM (ours store every room first), wait for exit. Removes a temp data folder unless `keepData`. */
	stop(keepData?: boolean): Promise<void>;
}

/** Temp data folders still in use: removed when the bench exits, however it exits. */
const tempDirs = new Set<string>();
process.once('exit', () => {
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, HOST, () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

function portFromLine(kind: ServerKind, line: string): number | null {
	if (kind === 'reference') {
		const match = /on port (\d+)/.exec(line);
		return match ? Number(match[1]) : null;
	}
	try {
		const event = JSON.parse(line) as { msg?: string; port?: number };
		return event.msg?.startsWith('listening') && event.port ? event.port : null;
	} catch {
		return null;
	}
}

export async function startServer(kind: ServerKind, options: StartOptions = {}): Promise<BenchServer> {
	const ours = kind === 'boardwalk' || kind === 'boardwalk-memory';
	const dataDir = kind === 'boardwalk' ? (options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-bench-'))) : null;
	if (dataDir) tempDirs.add(dataDir);
	const scripts: Record<ServerKind, string> = {
		relay: 'bench/baselines/raw-relay.ts',
		reference: 'bench/baselines/reference-server.ts',
		boardwalk: 'server/main.ts',
		'boardwalk-memory': 'bench/entries/memory-server.ts'
	};
	const port = kind === 'reference' ? await freePort() : 0;
	const env: Record<string, string> = { ...(process.env as Record<string, string>), HOST, PORT: String(port) };
	// Our servers log where they listen at info level; a lower level would hide that line.
	if (ours) Object.assign(env, { LOG_LEVEL: 'info', DATA_DIR: dataDir ?? os.tmpdir() });
	if (ours && options.limits !== 'default') Object.assign(env, LIFTED_LIMITS);
	Object.assign(env, options.env);
	const profile = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
	// Extra flags after tsx, so an extra `--import` may be TypeScript.
	const nodeArgs = [...profile, '--import', 'tsx', ...(options.nodeArgs ?? [])];
	const child = track(
		spawn(process.execPath, [...nodeArgs, path.join(ROOT, scripts[kind]), ...(kind === 'relay' ? ['0'] : [])], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		})
	);

	const lines: string[] = [];
	const watchers = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
	readline.createInterface({ input: child.stdout! }).on('line', (line) => {
		lines.push(line);
		if (lines.length > KEPT_LOG_LINES) lines.splice(0, lines.length - KEPT_LOG_LINES);
		for (const watcher of watchers) {
			if (!watcher.match(line)) continue;
			watchers.delete(watcher);
			watcher.resolve(line);
		}
	});

	const waitForLine = (match: (line: string) => boolean, timeoutMs = START_TIMEOUT_MS): Promise<string> => {
		const seen = lines.find(match);
		if (seen !== undefined) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const watcher = {
				match,
				resolve: (line: string) => {
					clearTimeout(timer);
					resolve(line);
				}
			};
			const timer = setTimeout(() => {
				watchers.delete(watcher);
				reject(new Error(`${kind}: no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
			}, timeoutMs);
			watchers.add(watcher);
			void exited(child).then(() => {
				if (!watchers.delete(watcher)) return;
				clearTimeout(timer);
				reject(new Error(`${kind} exited (${child.exitCode ?? child.signalCode}); stderr: ${stderr}`));
			});
		});
	};

	let listening: number;
	try {
		listening = portFromLine(kind, await waitForLine((line) => portFromLine(kind, line) !== null)) ?? port;
	} catch (error) {
		child.kill('SIGKILL');
		throw error;
	}
	return {
		kind,
		label: SERVER_LABELS[kind],
		child,
		pid: child.pid!,
		wsUrl: `ws://${HOST}:${listening}${ours ? '/ws' : ''}`,
		httpUrl: `http://${HOST}:${listening}`,
		dataDir,
		lines,
		waitForLine,
		async stop(keepData = false) {
			await stopChild(child);
			if (dataDir && !keepData && !options.dataDir) {
				fs.rmSync(dataDir, { recursive: true, force: true });
				tempDirs.delete(dataDir);
			}
		}
	};
}

/** Starts the kinds at once (start-up is not measured); if one fails, stops the others. */
export async function startServers(kinds: readonly ServerKind[], options: StartOptions = {}): Promise<BenchServer[]> {
	const starting = await Promise.allSettled(kinds.map((kind) => startServer(kind, options)));
	const started = starting.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const failed = starting.find((s): s is PromiseRejectedResult => s.status === 'rejected');
	if (failed) {
		await stopServers(started);
		throw failed.reason;
	}
	return started;
}

export async function stopServers(servers: readonly BenchServer[]): Promise<void> {
	await Promise.all(servers.map((server) => server.stop()));
}
