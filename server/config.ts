/** The only reader of process.env: parses, validates and explains the server's configuration. */
import path from 'node:path';
import { DEFAULT_MAX_FRAME_BYTES } from '../src/lib/shared/wire.ts';
import { DEFAULT_CLUSTER, type ClusterSettings } from './cluster/node.ts';
import { DEFAULT_HISTORY, type HistoryPolicy } from './history/policy.ts';
import { DEFAULT_LIMITS, type Limits } from './limits/limits.ts';
import { DEFAULT_COMPACTION, type CompactionPolicy } from './rooms/compaction.ts';
import { DEFAULT_IMAGE_GC, type ImageGcSettings } from './storage/image-collector.ts';
import type { StorageConfig } from './storage/index.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
	port: number;
	host: string;
	/** Where boards are stored: SQLite in DATA_DIR (the default), or PostgreSQL at STORAGE_URL. */
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
	/** Links, tokens and who may ask (SECRET, AUTH*, ALLOWED_ORIGINS, METRICS_TOKEN): server/auth/. */
	auth: AuthConfig;
	/** What one client may cost everyone (MAX_BOARD_BYTES, MAX_CONNECTIONS_PER_ADDRESS, …; README, "Limits"). */
	limits: Limits;
	/** Several processes sharing the boards (BUS_URL, CLUSTER_*; docs/cluster.md); null: this process alone. */
	cluster: ClusterConfig | null;
	/** When images no board references are removed (IMAGE_GC_GRACE_DAYS, IMAGE_GC_INTERVAL_MS). */
	imageGc: ImageGcSettings;
	/** When versions are made and how long they are kept (HISTORY_*; docs/protocol.md "History"). */
	history: HistoryPolicy;
}

export interface ClusterConfig {
	/** redis:// or rediss://: the bus between the processes. */
	busUrl: string;
	settings: ClusterSettings;
}

export const AUTH_MODES = ['links', 'jwt', 'both'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface AuthConfig {
	/** Which tokens open a board: link tokens, host-signed JWTs, or both (AUTH). */
	mode: AuthMode;
	/** SECRET; null: the secret is generated into DATA_DIR/boardwalk.secret (server/auth/secret.ts). */
	secret: string | null;
	/** ORIGIN as the operator set it (links use it); null: links use each request's own origin. */
	publicOrigin: string | null;
	/** Page origins besides ORIGIN and the server's own that may open sockets and call the API (ALLOWED_ORIGINS). */
	allowedOrigins: string[];
	/** How host-signed tokens are checked; null unless AUTH is jwt or both. */
	jwt: JwtConfig | null;
	/** A Bearer token that opens /metrics to other addresses than loopback (METRICS_TOKEN). */
	metricsToken: string | null;
}

export interface JwtConfig {
	/** AUTH_JWT_SECRET: HS256 tokens. */
	secret: string | null;
	/** AUTH_JWKS_URL: tokens signed with a key of this public key set (RS256, ES256, …). */
	jwksUrl: string | null;
	issuer: string | null;
	audience: string | null;
}

/** Below this a secret can be guessed offline from one link (SECRET, AUTH_JWT_SECRET). */
export const MIN_SECRET_LENGTH = 32;

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
		bytesPerSecond: integer(env, 'CONNECTION_BYTES_PER_SECOND', DEFAULT_LIMITS.bytesPerSecond, 64 * 1024, 2 ** 40, problems),
		maxImageBytes: integer(env, 'MAX_IMAGE_BYTES', DEFAULT_LIMITS.maxImageBytes, 1024, 1024 * 1024 * 1024, problems),
		maxBoardImageBytes: integer(env, 'MAX_BOARD_IMAGE_BYTES', DEFAULT_LIMITS.maxBoardImageBytes, 1024, 2 ** 40, problems),
		imageUploadsPerMinute: integer(env, 'IMAGE_UPLOADS_PER_MINUTE', DEFAULT_LIMITS.imageUploadsPerMinute, 1, 1_000_000, problems)
	};
	const DAY_MS = 24 * 60 * 60 * 1000;
	const imageGc: ImageGcSettings = {
		graceMs: integer(env, 'IMAGE_GC_GRACE_DAYS', DEFAULT_IMAGE_GC.graceMs / DAY_MS, 0, 36_500, problems) * DAY_MS,
		intervalMs: integer(env, 'IMAGE_GC_INTERVAL_MS', DEFAULT_IMAGE_GC.intervalMs, 0, 7 * DAY_MS, problems)
	};

	const HOUR_MS = 60 * 60 * 1000;
	const history: HistoryPolicy = {
		quietMs: integer(env, 'HISTORY_QUIET_MS', DEFAULT_HISTORY.quietMs, 1_000, DAY_MS, problems),
		maxIntervalMs: integer(env, 'HISTORY_MAX_INTERVAL_MS', DEFAULT_HISTORY.maxIntervalMs, 1_000, DAY_MS, problems),
		largeDelete: integer(env, 'HISTORY_LARGE_DELETE', DEFAULT_HISTORY.largeDelete, 1, 1_000_000, problems),
		retention: {
			keepAllMs: integer(env, 'HISTORY_KEEP_ALL_HOURS', DEFAULT_HISTORY.retention.keepAllMs / HOUR_MS, 1, 24 * 3650, problems) * HOUR_MS,
			// Hourly versions up to this age; none past the keep-all window when it is shorter.
			keepHourlyMs: integer(env, 'HISTORY_KEEP_HOURLY_DAYS', DEFAULT_HISTORY.retention.keepHourlyMs / DAY_MS, 0, 3650, problems) * DAY_MS,
			maxBoardBytes: integer(env, 'HISTORY_MAX_BOARD_BYTES', DEFAULT_HISTORY.retention.maxBoardBytes, 1024 * 1024, 2 ** 40, problems)
		}
	};

	const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const origin = env.ORIGIN?.trim() || `http://${displayHost}:${port}`;
	try {
		const url = new URL(origin);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
	} catch {
		problems.push(`ORIGIN=${JSON.stringify(origin)} must be an http(s) URL such as https://board.example.com`);
	}

	const auth = authConfig(env, problems);
	const storage = storageConfig(env, dataDir, problems);
	const cluster = clusterConfig(env, storage, problems);
	if (cluster !== null && storage.engine === 'postgres') storage.cluster = true;
	// A secret generated into each process's DATA_DIR would make each process's links its own.
	if (cluster !== null && auth.secret === null && auth.mode !== 'jwt') {
		problems.push('BUS_URL needs SECRET: every process of a cluster must sign and check links with the same secret (docs/cluster.md)');
	}

	if (problems.length > 0) throw new ConfigError(problems);
	return {
		port,
		host,
		storage,
		logLevel,
		maxFrameBytes,
		origin: origin.replace(/\/$/, ''),
		roomUnloadDelayMs,
		compaction,
		trustProxy,
		auth,
		limits,
		cluster,
		imageGc,
		history
	};
}

const text = (env: Env, name: string): string | null => env[name]?.trim() || null;

const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'];

/**
 * STORAGE_URL: a postgres:// (or postgresql://) URL selects PostgreSQL; unset, boards go to SQLite in
 * DATA_DIR. Anything else is refused rather than guessed at. The value is never echoed whole: it may
 * hold a password.
 */
function storageConfig(env: Env, dataDir: string, problems: string[]): StorageConfig {
	const url = text(env, 'STORAGE_URL');
	if (url === null) return { engine: 'sqlite', dataDir };
	let parsed: URL | null = null;
	try {
		parsed = new URL(url);
	} catch {
		// reported below
	}
	if (parsed === null || !POSTGRES_PROTOCOLS.includes(parsed.protocol) || parsed.hostname === '') {
		const scheme = parsed ? ` (it starts with ${JSON.stringify(parsed.protocol)})` : ' (it is not a URL)';
		problems.push(
			`STORAGE_URL must be a PostgreSQL URL such as postgres://boardwalk@db.example.com:5432/boardwalk${scheme}; leave it unset to store boards with SQLite in DATA_DIR`
		);
		return { engine: 'sqlite', dataDir };
	}
	return { engine: 'postgres', url, dataDir };
}

const REDIS_PROTOCOLS = ['redis:', 'rediss:'];

/**
 * BUS_URL turns on cluster mode; it needs STORAGE_URL, since every process must read and write the
 * same boards. Like STORAGE_URL, the value is never echoed: it may hold a password.
 */
function clusterConfig(env: Env, storage: StorageConfig, problems: string[]): ClusterConfig | null {
	const busUrl = text(env, 'BUS_URL');
	if (busUrl === null) return null;
	let parsed: URL | null = null;
	try {
		parsed = new URL(busUrl);
	} catch {
		// reported below
	}
	if (parsed === null || !REDIS_PROTOCOLS.includes(parsed.protocol) || parsed.hostname === '') {
		const scheme = parsed ? ` (it starts with ${JSON.stringify(parsed.protocol)})` : ' (it is not a URL)';
		problems.push(`BUS_URL must be a Redis URL such as redis://redis.example.com:6379${scheme}; leave it unset to run one process alone`);
		return null;
	}
	if (storage.engine !== 'postgres') {
		problems.push('BUS_URL needs STORAGE_URL: every process of a cluster reads and writes the same PostgreSQL database (docs/cluster.md)');
		return null;
	}
	const settings: ClusterSettings = {
		catchUpMs: integer(env, 'CLUSTER_CATCH_UP_MS', DEFAULT_CLUSTER.catchUpMs, 50, 60_000, problems),
		leaseMs: integer(env, 'CLUSTER_LEASE_MS', DEFAULT_CLUSTER.leaseMs, 500, 3_600_000, problems),
		processTimeoutMs: integer(env, 'CLUSTER_PROCESS_TIMEOUT_MS', DEFAULT_CLUSTER.processTimeoutMs, 300, 600_000, problems)
	};
	return { busUrl, settings };
}

function originOf(raw: string): string | null {
	try {
		const url = new URL(raw);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
	} catch {
		return null;
	}
}

function authConfig(env: Env, problems: string[]): AuthConfig {
	const rawMode = text(env, 'AUTH') ?? 'links';
	const mode = (AUTH_MODES as readonly string[]).includes(rawMode) ? (rawMode as AuthMode) : 'links';
	if (mode !== rawMode) problems.push(`AUTH=${JSON.stringify(rawMode)} must be one of ${AUTH_MODES.join(', ')}`);

	const secret = text(env, 'SECRET');
	if (secret !== null && secret.length < MIN_SECRET_LENGTH) {
		problems.push(`SECRET must be at least ${MIN_SECRET_LENGTH} characters (or leave it unset to have one generated in DATA_DIR)`);
	}

	const allowedOrigins: string[] = [];
	for (const entry of (text(env, 'ALLOWED_ORIGINS') ?? '').split(',')) {
		if (entry.trim() === '') continue;
		const origin = originOf(entry.trim());
		if (origin === null) problems.push(`ALLOWED_ORIGINS entry ${JSON.stringify(entry.trim())} must be an http(s) origin such as https://app.example.com`);
		else allowedOrigins.push(origin);
	}

	let jwt: JwtConfig | null = null;
	const jwtSecret = text(env, 'AUTH_JWT_SECRET');
	const jwksUrl = text(env, 'AUTH_JWKS_URL');
	if (mode !== 'links') {
		if (jwtSecret === null && jwksUrl === null) problems.push(`AUTH=${mode} needs AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (a public key set) to check tokens`);
		if (jwtSecret !== null && jwtSecret.length < MIN_SECRET_LENGTH) problems.push(`AUTH_JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
		if (jwksUrl !== null && originOf(jwksUrl) === null) problems.push(`AUTH_JWKS_URL=${JSON.stringify(jwksUrl)} must be an http(s) URL`);
		jwt = { secret: jwtSecret, jwksUrl, issuer: text(env, 'AUTH_JWT_ISSUER'), audience: text(env, 'AUTH_JWT_AUDIENCE') };
	} else if (jwtSecret !== null || jwksUrl !== null) {
		problems.push('AUTH_JWT_SECRET and AUTH_JWKS_URL are only used with AUTH=jwt or AUTH=both (AUTH is links)');
	}

	const rawOrigin = text(env, 'ORIGIN');
	return {
		mode,
		secret,
		publicOrigin: rawOrigin === null ? null : originOf(rawOrigin),
		allowedOrigins,
		jwt,
		metricsToken: text(env, 'METRICS_TOKEN')
	};
}
