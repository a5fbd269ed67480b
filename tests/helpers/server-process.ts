/** Runs `server/main.ts` as a child process (as users run it), for kill -9, signal and restart tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tempDataDir } from './test-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
	child: ChildProcess;
	port: number;
	url: string;
	wsUrl: string;
	dataDir: string;
	/** Every stdout line the server printed so far. */
	lines: string[];
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The server process ended before it listened (a bad config, a DATA_DIR another server holds). */
export class ServerExitedError extends Error {
	constructor(
		readonly code: number | null,
		readonly stderr: string,
		/** Every stdout line it printed. */
		readonly lines: string[]
	) {
		super(`server exited (${code}) before listening: ${stderr}`);
		this.name = 'ServerExitedError';
	}
}

/**
 * Starts the server on `port` (0 = any free port) and resolves once it logged where it listens; rejects with
 * ServerExitedError if it exits first. `root` is the project it runs from (another release of it, for upgrade tests).
 */
export async function startServerProcess(
	options: { dataDir?: string; port?: number; env?: Record<string, string>; root?: string } = {}
): Promise<ServerProcess> {
	const dataDir = options.dataDir ?? tempDataDir();
	const root = options.root ?? ROOT;
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(options.port ?? 0),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'info',
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	const port = await new Promise<number>((resolve, reject) => {
		readline.createInterface({ input: child.stdout! }).on('line', (line) => {
			lines.push(line);
			try {
				const event = JSON.parse(line) as { msg?: string; port?: number };
				if (event.msg?.startsWith('listening') && event.port) resolve(event.port);
			} catch {
				// not a log line
			}
		});
		// 'close' waits for stdout and stderr to end, so the error holds everything the process printed.
		child.once('close', (code) => reject(new ServerExitedError(code, stderr, lines)));
	});
	return { child, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, dataDir, lines, exited };
}
