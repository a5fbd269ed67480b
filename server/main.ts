/** Entry point: reads the config, opens storage, serves app + sockets on one port, stores everything on SIGTERM/SIGINT. */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { loadWebHandler } from './web.ts';

/** A shutdown that takes longer than this is cut short, so a supervisor's restart is not held up. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
	let config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`boardwalk: ${error.message}\nSee README.md, "Configuration".\n`);
			process.exit(2);
		}
		throw error;
	}
	const log = createLogger(config.logLevel);
	// adapter-node reads ORIGIN when its handler is imported; it is how it trusts plain-http form posts.
	process.env.ORIGIN = config.origin;

	const storage = openSqliteStorage(config.dataDir);
	const web = await loadWebHandler();
	if (!web) log.warn('no web app build found (run `npm run build`); serving the sync endpoint only');

	// Config carries the app's settings under the names AppDeps uses (maxFrameBytes, roomUnloadDelayMs, …).
	const boardwalk = createApp({ ...config, storage, log, fallback: web ?? undefined });
	const server = serve({ fetch: boardwalk.app.fetch, port: config.port, hostname: config.host }, (info) => {
		log.info(
			{ url: config.origin, host: info.address, port: info.port, dataDir: config.dataDir, maxFrameBytes: config.maxFrameBytes },
			`listening on http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`
		);
	}) as Server;
	boardwalk.attach(server);
	server.on('error', (error) => {
		log.fatal({ err: error }, 'server failed to listen');
		process.exit(1);
	});

	let stopping = false;
	const stop = async (signal: string, exitCode = 0) => {
		if (stopping) {
			log.warn({ signal }, 'second signal: exiting without waiting');
			process.exit(1);
		}
		stopping = true;
		log.info({ signal }, 'shutting down: storing rooms');
		const timer = setTimeout(() => {
			log.error('shutdown timed out');
			process.exit(1);
		}, SHUTDOWN_TIMEOUT_MS);
		timer.unref();
		server.close();
		await boardwalk.shutdown();
		await storage.close();
		server.closeAllConnections();
		log.info('stopped');
		process.exit(exitCode);
	};
	// A bug outside any connection's handler (none of a client's frames get here) would leave the
	// process in an unknown state: log it, store every room, and exit for the supervisor to restart.
	process.on('uncaughtException', (error) => {
		log.fatal({ err: error }, 'uncaught exception');
		if (!stopping) void stop('uncaughtException', 1);
		else process.exit(1);
	});
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
