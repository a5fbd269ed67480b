/** Entry point: reads the config, starts the one assembly on one port, stores everything on SIGTERM/SIGINT. */
import { startBoardwalk, type Boardwalk } from './boardwalk.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { BusUnreachableError } from './cluster/redis-bus.ts';
import { StoreInUseError, StoreUnreachableError, StoreUnreadableError } from './storage/types.ts';
import { loadWebHandler } from './web.ts';

/** A shutdown that takes longer than this is cut short, so a supervisor's restart is not held up. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Exit codes: a bad configuration, or a database or bus that cannot be reached at start (all 2: the
 * settings or the service need an operator), and a store another server writes (none is helped by a restart loop).
 */
const EXIT_BAD_CONFIG = 2;
const EXIT_STORE_IN_USE = 3;
/** The data file is empty, foreign or damaged: an operator must restore or move it. */
const EXIT_STORE_UNREADABLE = 4;

async function main(): Promise<void> {
	let config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`boardwalk: ${error.message}\nSee README.md, "Configuration".\n`);
			process.exit(EXIT_BAD_CONFIG);
		}
		throw error;
	}
	const log = createLogger(config.logLevel);
	// adapter-node reads ORIGIN when its handler is imported; it is how it trusts plain-http form posts.
	process.env.ORIGIN = config.origin;
	const web = await loadWebHandler();
	if (!web) log.warn('no web app build found (run `npm run build`); serving the sync endpoint only');

	let boardwalk: Boardwalk;
	try {
		boardwalk = await startBoardwalk(config, { log, fallback: web ?? undefined });
	} catch (error) {
		if (error instanceof StoreUnreachableError) {
			process.stderr.write(`boardwalk: ${error.message} (check STORAGE_URL and that the database is up; README.md, "Data")\n`);
			process.exit(EXIT_BAD_CONFIG);
		}
		if (error instanceof BusUnreachableError) {
			process.stderr.write(`boardwalk: ${error.message} (check BUS_URL and that Redis is up; docs/cluster.md)\n`);
			process.exit(EXIT_BAD_CONFIG);
		}
		if (error instanceof StoreInUseError) {
			process.stderr.write(`boardwalk: ${error.message}\nSee README.md, "Data".\n`);
			process.exit(EXIT_STORE_IN_USE);
		}
		if (error instanceof StoreUnreadableError) {
			process.stderr.write(`boardwalk: ${error.message}\nSee README.md, "Data".\n`);
			process.exit(EXIT_STORE_UNREADABLE);
		}
		log.fatal({ err: error }, 'server failed to start');
		process.exit(1);
	}

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
		await boardwalk.stop();
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
