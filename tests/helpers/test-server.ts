/** A real Boardwalk server on a free loopback port inside the test process, over a real SQLite file, built by the one assembly. */
import fs from 'node:fs';
import type { Handler } from 'hono';
import os from 'node:os';
import * as Y from 'yjs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AccessRecords } from '../../server/auth/access.ts';
import { Authorizer } from '../../server/auth/authorize.ts';
import { OriginPolicy } from '../../server/auth/origin.ts';
import { startBoardwalk, type Boardwalk } from '../../server/boardwalk.ts';
import { loadConfig } from '../../server/config.ts';
import type { HistoryClock } from '../../server/history/policy.ts';
import type { Limits } from '../../server/limits/limits.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { RoomStorage } from '../../server/storage/types.ts';

export interface TestServer {
	url: string;
	/** Base URL for y-websocket's WebsocketProvider (it appends `/<room>`). */
	wsUrl: string;
	port: number;
	dataDir: string;
	storage: RoomStorage;
	boardwalk: Boardwalk;
	/** Graceful stop: stores every room, closes sockets, closes storage. */
	stop(): Promise<void>;
}

export interface TestServerOptions {
	/** The SQLite folder (a fresh temp folder by default); ignored for opening when `storage` is given. */
	dataDir?: string;
	/** A store to run on instead of SQLite in `dataDir` (a wrapped one, to count or hold calls); closed by `stop`. */
	storage?: RoomStorage;
	port?: number;
	maxFrameBytes?: number;
	roomUnloadDelayMs?: number;
	pingIntervalMs?: number;
	compactAfterUpdates?: number;
	compactAfterBytes?: number;
	compactWhenIdleMs?: number;
	/** Further settings as environment variables (AUTH, SECRET, ALLOWED_ORIGINS, …), read by config.ts. */
	env?: Record<string, string>;
	/** TRUST_PROXY: how many proxies' X-Forwarded-For to believe (tests give clients addresses with it). */
	trustProxy?: number;
	/** Limits other than the defaults (server/limits/limits.ts). */
	limits?: Partial<Limits>;
	/** A logger instead of the silent one (to count log lines). */
	log?: Logger;
	/** What serves everything that is not the API (the web app in production). */
	fallback?: Handler;
	/** The clock version history is timed by (tests/helpers/manual-clock.ts); the system's by default. */
	historyClock?: HistoryClock;
}

export function tempDataDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-test-'));
}

/** The configuration a test server runs with: the defaults, loopback, and the test's settings. */
function testConfig(options: TestServerOptions, dataDir: string) {
	const defaults = loadConfig({ HOST: '127.0.0.1', PORT: String(options.port ?? 0), DATA_DIR: dataDir, ...options.env });
	return {
		...defaults,
		maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
		roomUnloadDelayMs: options.roomUnloadDelayMs ?? 50,
		compaction: {
			afterUpdates: options.compactAfterUpdates ?? defaults.compaction.afterUpdates,
			afterBytes: options.compactAfterBytes ?? defaults.compaction.afterBytes,
			whenIdleMs: options.compactWhenIdleMs ?? defaults.compaction.whenIdleMs
		},
		trustProxy: options.trustProxy ?? defaults.trustProxy,
		limits: { ...defaults.limits, ...options.limits }
	};
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
	const dataDir = options.dataDir ?? tempDataDir();
	const boardwalk = await startBoardwalk(testConfig(options, dataDir), {
		storage: options.storage,
		log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent'),
		pingIntervalMs: options.pingIntervalMs,
		fallback: options.fallback,
		historyClock: options.historyClock
	});
	const port = boardwalk.address!.port;
	return {
		url: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/ws`,
		port,
		dataDir,
		storage: boardwalk.storage,
		boardwalk,
		stop: () => boardwalk.stop()
	};
}

/** A real store with some of its methods replaced, to count calls or hold appends in a test. */
export function storageWith(real: RoomStorage, overrides: Partial<RoomStorage>): RoomStorage {
	return {
		load: (room) => real.load(room),
		append: (room, updates) => real.append(room, updates),
		compact: (room, snapshot, seq) => real.compact(room, snapshot, seq),
		close: () => real.close(),
		loadAccess: (board) => real.loadAccess(board),
		claimAccess: (board) => real.claimAccess(board),
		resetAccess: (board, right) => real.resetAccess(board, right),
		putImage: (board, hash, image, now) => real.putImage(board, hash, image, now),
		getImage: (board, hash) => real.getImage(board, hash),
		boardImageBytes: (board) => real.boardImageBytes(board),
		touchImageRefs: (board, hashes, now) => real.touchImageRefs(board, hashes, now),
		collectImages: (olderThan) => real.collectImages(olderThan),
		setHistoryForViewers: (board, allowed) => real.setHistoryForViewers(board, allowed),
		addVersion: (board, info, content) => real.addVersion(board, info, content),
		listVersions: (board) => real.listVersions(board),
		getVersion: (board, id) => real.getVersion(board, id),
		renameVersion: (board, id, name) => real.renameVersion(board, id, name),
		deleteVersion: (board, id) => real.deleteVersion(board, id),
		thinVersions: (board, now, policy) => real.thinVersions(board, now, policy),
		...overrides
	};
}

/**
 * A real SQLite store in `dataDir` whose appends, while `holding()`, wait until the test calls the
 * entries of `held` (oldest first): to look inside the window between receiving and storing an update.
 */
export function heldAppends(dataDir: string, holding: () => boolean = () => true): { storage: RoomStorage; held: Array<() => void> } {
	const real = openSqliteStorage(dataDir);
	const held: Array<() => void> = [];
	const storage = storageWith(real, {
		append: (room, updates) =>
			holding() ? new Promise((resolve) => held.push(() => resolve(real.append(room, updates)))) : real.append(room, updates)
	});
	return { storage, held };
}

/** The default rules (links, a fresh secret) over `storage`, for tests that build the app without startBoardwalk. */
export function testAuthorizer(storage: RoomStorage, log: Logger, allowedOrigins: string[] = []): Authorizer {
	return new Authorizer({
		mode: 'links',
		secret: randomBytes(32),
		access: new AccessRecords(storage),
		jwt: null,
		origins: new OriginPolicy({ allowed: allowedOrigins, trustProxy: 0, log })
	});
}

/** Everything `storage` holds for `board` (snapshot and log), as one doc's shapes. */
export async function storedShapes(storage: RoomStorage, board: string): Promise<Record<string, unknown>> {
	const { snapshot, updates } = await storage.load(board);
	const doc = new Y.Doc();
	if (snapshot) Y.applyUpdate(doc, snapshot);
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc.getMap('shapes').toJSON();
}
