/** The only reader of process.env: parses, validates and explains the server's configuration. */
import path from 'node:path';
import { DEFAULT_MAX_FRAME_BYTES } from '../src/lib/shared/wire.ts';
import { DEFAULT_LIMITS, type Limits } from './limits/limits.ts';
import { DEFAULT_COMPACTION, type CompactionPolicy } from './rooms/compaction.ts';
import type { StorageConfig } from './storage/index.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
	port: number;
	host: string;
	/** Where boards are stored (DATA_DIR for SQLite, the default and only engine so far). */
	storage: StorageConfig;
	logLevel: LogLevel;
	maxFrameBytes: number;
	/** Public origin of the app (adapter-node needs it to accept form posts over plain http). */
	origin: string;
	/** How long an empty room stays loaded before it is stored and dropped from memory. */
	roomUnloadDelayMs: number;
	/** When a room's update log is folded into one snapshot (COMPACT_*). */
	compaction: CompactionPolicy;
	/** Reverse proxies in front of the server whose X-Forwarded-For is believed (TRUST_PROXY; 0: none). */
	trustProxy: number;
	/** What one client may cost everyone (MAX_BOARD_BYTES, MAX_CONNECTIONS_PER_ADDRESS, …; README, "Limits"). */
	limits: Limits;
}

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min || value > max) {
		problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
		return fallback;
	}
	return value;
}

/** Reads the configuration from `env`; throws ConfigError listing every bad value at once. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
	const problems: string[] = [];
	const port = integer(env, 'PORT', 3000, 0, 65535, problems);
	const host = env.HOST?.trim() || '0.0.0.0';
	const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || './data');

	const rawLevel = env.LOG_LEVEL?.trim() || 'info';
	const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : 'info';
	if (logLevel !== rawLevel) problems.push(`LOG_LEVEL=${JSON.stringify(rawLevel)} must be one of ${LOG_LEVELS.join(', ')}`);

	// Below 64 KiB a single stroke could not be sent; above 256 MiB one frame could starve the process.
	const maxFrameBytes = integer(env, 'MAX_FRAME_BYTES', DEFAULT_MAX_FRAME_BYTES, 64 * 1024, 256 * 1024 * 1024, problems);
	const roomUnloadDelayMs = integer(env, 'ROOM_UNLOAD_DELAY_MS', 10_000, 0, 3_600_000, problems);
	const compaction: CompactionPolicy = {
		afterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', DEFAULT_COMPACTION.afterUpdates, 1, 1_000_000, problems),
		afterBytes: integer(env, 'COMPACT_AFTER_BYTES', DEFAULT_COMPACTION.afterBytes, 1024, 1024 * 1024 * 1024, problems),
		whenIdleMs: integer(env, 'COMPACT_WHEN_IDLE_MS', DEFAULT_COMPACTION.whenIdleMs, 100, 3_600_000, problems)
	};

	// Only the hops the operator vouches for: X-Forwarded-For from anyone else is whatever the client wrote.
	const trustProxy = integer(env, 'TRUST_PROXY', 0, 0, 10, problems);

	const limits: Limits = {
		maxBoardBytes: integer(env, 'MAX_BOARD_BYTES', DEFAULT_LIMITS.maxBoardBytes, 1024 * 1024, 2 ** 40, problems),
		maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', DEFAULT_LIMITS.maxConnectionsPerAddress, 1, 1_000_000, problems),
		newBoardsPerMinute: integer(env, 'NEW_BOARDS_PER_MINUTE', DEFAULT_LIMITS.newBoardsPerMinute, 1, 1_000_000, problems),
		messagesPerSecond: integer(env, 'CONNECTION_MESSAGES_PER_SECOND', DEFAULT_LIMITS.messagesPerSecond, 10, 10_000_000, problems),
		bytesPerSecond: integer(env, 'CONNECTION_BYTES_PER_SECOND', DEFAULT_LIMITS.bytesPerSecond, 64 * 1024, 2 ** 40, problems)
	};

	const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const origin = env.ORIGIN?.trim() || `http://${displayHost}:${port}`;
	try {
		const url = new URL(origin);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
	} catch {
		problems.push(`ORIGIN=${JSON.stringify(origin)} must be an http(s) URL such as https://board.example.com`);
	}

	if (problems.length > 0) throw new ConfigError(problems);
	return {
		port,
		host,
		storage: { engine: 'sqlite', dataDir },
		logLevel,
		maxFrameBytes,
		origin: origin.replace(/\/$/, ''),
		roomUnloadDelayMs,
		compaction,
		trustProxy,
		limits
	};
}
