/** Fresh PostgreSQL and Redis instances for tests: a temp folder, a free loopback port, stopped and removed after. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface Service {
	/** postgres://… or redis://… on 127.0.0.1. */
	url: string;
	/** Stops the server and removes its temp folder. */
	stop(): Promise<void>;
	/** Stops the server as a crash would, keeping its folder and port, for `up` to start it again ("engines failing" tests). */
	down(): Promise<void>;
	/** Starts it again on the same port after `down`; resolves once it accepts connections. */
	up(): Promise<void>;
}

export const isRoot = () => process.getuid?.() === 0;

/** A port nobody listens on right now (the kernel's pick for port 0). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Where a command is on PATH, or null when it is not. */
export function onPath(name: string): string | null {
	const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : null;
}

/** Debian puts PostgreSQL's server binaries in /usr/lib/postgresql/<major>/bin, off PATH. */
function postgresBinDir(): string | null {
	const initdb = onPath('initdb');
	// Resolved: PATH may hold only a symlink to initdb, not its siblings.
	if (initdb) return path.dirname(fs.realpathSync(initdb));
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return null;
	const majors = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const dir = path.join(base, major, 'bin');
		if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
	}
	return null;
}

/** Installs a Debian package when running as root (as `npm test` does for Chromium); otherwise explains what is missing. */
export function installOrExplain(what: string, pkg: string): void {
	if (!isRoot()) throw new Error(`${what} is not installed and this process is not root: install it (Debian: apt-get install -y ${pkg}) to run these tests`);
	execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** PostgreSQL refuses to run as root: as root, its files and process belong to the `postgres` user. */
function ensurePostgresUser(): void {
	if (spawnSync('id', ['-u', 'postgres']).status === 0) return;
	execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
}

function runAsPostgres(bin: string, args: string[]) {
	return isRoot() ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
}

function asPostgres(bin: string, args: string[]): string {
	const result = runAsPostgres(bin, args);
	if (result.status !== 0) throw new Error(`${path.basename(bin)} failed (${result.status}): ${result.stderr || result.stdout}`);
	return result.stdout;
}

/** A fresh PostgreSQL cluster (trust auth on loopback, fsync off) with a database `boardwalk`; the URL names it. */
export async function startPostgres(): Promise<Service> {
	let bin = postgresBinDir();
	if (!bin) {
		installOrExplain('PostgreSQL (initdb)', 'postgresql');
		bin = postgresBinDir();
		if (!bin) throw new Error('PostgreSQL was installed but initdb was found neither on PATH nor under /usr/lib/postgresql/*/bin');
	}
	if (isRoot()) ensurePostgresUser();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-pg-'));
	if (isRoot()) execFileSync('chown', ['postgres:', dir]);
	const data = path.join(dir, 'data');
	const remove = () => fs.rmSync(dir, { recursive: true, force: true });
	try {
		asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
		const port = await freePort();
		// The socket goes into our folder too: the default /var/run/postgresql may not exist or not be ours.
		const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
		// -w: pg_ctl returns once the server accepts connections, so no test waits on the clock.
		const start = async () => {
			asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
		};
		// Immediate: a test cluster has nothing worth a checkpoint, and it is how a crash looks to clients.
		const down = async () => void runAsPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
		await start();
		const stop = async () => {
			await down();
			remove();
		};
		try {
			const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
			await admin.connect();
			try {
				await admin.query('CREATE DATABASE boardwalk');
			} finally {
				await admin.end();
			}
		} catch (error) {
			await stop();
			throw error;
		}
		return { url: `postgres://postgres@127.0.0.1:${port}/boardwalk`, stop, down, up: start };
	} catch (error) {
		remove();
		throw error;
	}
}

/** A fresh Redis on a free loopback port, keeping nothing on disk. */
export async function startRedis(): Promise<Service> {
	let bin = onPath('redis-server');
	if (!bin) {
		installOrExplain('Redis (redis-server)', 'redis-server');
		bin = onPath('redis-server');
		if (!bin) throw new Error('redis-server was installed but is not on PATH');
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-redis-'));
	const port = await freePort();
	let running: { child: ChildProcess; exited: Promise<void> } | null = null;
	const up = async () => {
		const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		let output = '';
		// Redis prints this line once it accepts connections: readiness without polling the clock.
		await new Promise<void>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('Ready to accept connections')) {
					child.stdout!.off('data', onData);
					child.stdout!.resume();
					resolve();
				}
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${output}`)));
		});
		running = { child, exited };
	};
	const down = async () => {
		const current = running;
		running = null;
		if (current && current.child.exitCode === null && current.child.signalCode === null) {
			// SIGKILL: what the processes see when Redis crashes or its machine goes away.
			current.child.kill('SIGKILL');
			await current.exited;
		}
	};
	await up().catch((error) => {
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	});
	return {
		url: `redis://127.0.0.1:${port}`,
		stop: async () => {
			await down();
			fs.rmSync(dir, { recursive: true, force: true });
		},
		down,
		up
	};
}
