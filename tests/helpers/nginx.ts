/** A real nginx balancing round-robin over several Boardwalk processes, for cluster tests: temp prefix, free loopback port. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, installOrExplain, isRoot, onPath } from './services.ts';

export interface Nginx {
	/** http://127.0.0.1:PORT */
	url: string;
	/** ws://127.0.0.1:PORT/ws */
	wsUrl: string;
	/** Stops nginx (dropping open connections) and removes its temp folder. */
	stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const READY_POLL_INTERVAL_MS = 20;

/**
 * The http-context part of the config: what a self-hoster puts in /etc/nginx/conf.d/boardwalk.conf.
 * `upstreams` are host:port of Boardwalk processes, `listen` what nginx listens on (e.g. '80' or '127.0.0.1:8080').
 */
export function nginxConfig(upstreams: string[], listen: string): string {
	if (upstreams.length === 0) throw new Error('nginx needs at least one upstream');
	for (const address of [...upstreams, listen]) {
		// Anything else would be spliced into the config as directives.
		if (!/^[\w.:[\]-]+$/.test(address)) throw new Error(`not a host:port for nginx: ${JSON.stringify(address)}`);
	}
	return `# Plain requests get Connection: close, WebSocket handshakes pass their Upgrade on.
map $http_upgrade $connection_upgrade {
	default upgrade;
	''      close;
}

# Round-robin, no stickiness: any Boardwalk process serves any board, the bus relays between them.
upstream boardwalk {
${upstreams.map((address) => `\tserver ${address};`).join('\n')}
}

server {
	listen ${listen};

	location / {
		proxy_pass http://boardwalk;
		# A process that is down or starting is skipped on connect; nothing was sent to it yet.
		proxy_next_upstream error timeout;
		proxy_connect_timeout 5s;

		# WebSocket upgrades need HTTP/1.1 and these two hop-by-hop headers forwarded.
		proxy_http_version 1.1;
		proxy_set_header Upgrade $http_upgrade;
		proxy_set_header Connection $connection_upgrade;

		# $http_host, not $host: it keeps a non-default port, and Boardwalk's origin check compares
		# the page's Origin (port included) with the Host it was asked for.
		proxy_set_header Host $http_host;
		proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
		proxy_set_header X-Forwarded-Proto $scheme;

		# Sync frames go out as they come; a quiet board keeps its socket (the server pings well within this).
		proxy_buffering off;
		proxy_request_buffering off;
		proxy_read_timeout 1h;
		proxy_send_timeout 1h;
	}
}
`;
}

/** The main file around nginxConfig: foreground, and every path nginx writes inside `dir`, never /var/lib/nginx or /var/log/nginx. */
function testMainConfig(dir: string, upstreams: string[], port: number): string {
	const temp = (name: string) => path.join(dir, `${name}_temp`);
	return `daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} notice;

events {
	worker_connections 1024;
}

http {
	access_log off;
	client_body_temp_path ${temp('client_body')};
	proxy_temp_path ${temp('proxy')};
	fastcgi_temp_path ${temp('fastcgi')};
	uwsgi_temp_path ${temp('uwsgi')};
	scgi_temp_path ${temp('scgi')};

${nginxConfig(upstreams, `127.0.0.1:${port}`)}
}
`;
}

/** Debian installs nginx to /usr/sbin, which a non-root PATH often lacks. */
function nginxBinary(): string | null {
	return onPath('nginx') ?? (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : null);
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});
}

/** nginx in front of `upstreams` (e.g. ['127.0.0.1:4001', …]), round-robin, no stickiness, WebSocket upgrades passed, on a free loopback port. */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
	let bin = nginxBinary();
	if (!bin) {
		installOrExplain('nginx', 'nginx');
		bin = nginxBinary();
		if (!bin) throw new Error('nginx was installed but is found neither on PATH nor at /usr/sbin/nginx');
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-nginx-'));
	const remove = () => fs.rmSync(dir, { recursive: true, force: true });
	const errorLog = path.join(dir, 'error.log');
	let child: ChildProcess | undefined;
	try {
		// As root the worker runs as nobody: it must reach the temp paths (nginx chowns them, not their parent).
		if (isRoot()) fs.chmodSync(dir, 0o755);
		const port = await freePort();
		fs.writeFileSync(path.join(dir, 'nginx.conf'), testMainConfig(dir, upstreams, port));
		// -e: the compiled-in error log (/var/log/nginx) is opened before the config is read.
		child = spawn(bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
		const running = child;
		let stderr = '';
		running.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
		const isRunning = () => running.exitCode === null && running.signalCode === null;
		const stop = async () => {
			if (isRunning()) {
				// TERM, not QUIT: a graceful stop would wait for every proxied WebSocket to close.
				running.kill('SIGTERM');
				await exited;
			}
			remove();
		};
		const deadline = Date.now() + READY_TIMEOUT_MS;
		while (!(await accepts(port))) {
			if (!isRunning() || Date.now() > deadline) {
				const log = fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '';
				const why = isRunning() ? `did not accept connections within ${READY_TIMEOUT_MS} ms` : `exited (${running.exitCode ?? running.signalCode})`;
				await stop();
				throw new Error(`nginx ${why}: ${(stderr + log).trim()}`);
			}
			// A readiness poll, not a sleep standing in for one: nginx prints nothing when it starts listening.
			await new Promise((resolve) => setTimeout(resolve, READY_POLL_INTERVAL_MS));
		}
		return { url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, stop };
	} catch (error) {
		if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		remove();
		throw error;
	}
}
