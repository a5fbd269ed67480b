/** A real Boardwalk server on a free loopback port inside the test process, over a real SQLite file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type AppDeps, type BoardwalkApp } from '../../server/app.ts';
import { createLogger } from '../../server/log.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { RoomStorage } from '../../server/storage/types.ts';

export interface TestServer {
	url: string;
	/** Base URL for y-websocket's WebsocketProvider (it appends `/<room>`). */
	wsUrl: string;
	port: number;
	dataDir: string;
	storage: RoomStorage;
	boardwalk: BoardwalkApp;
	/** Graceful stop: stores every room, closes sockets, closes storage. */
	stop(): Promise<void>;
}

export function tempDataDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-test-'));
}

export async function startTestServer(
	options: Partial<Omit<AppDeps, 'storage' | 'log'>> & { dataDir?: string; storage?: RoomStorage; port?: number } = {}
): Promise<TestServer> {
	const dataDir = options.dataDir ?? tempDataDir();
	const storage = options.storage ?? openSqliteStorage(dataDir);
	const boardwalk = createApp({
		storage,
		log: createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent'),
		maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
		roomUnloadDelayMs: options.roomUnloadDelayMs ?? 50,
		pingIntervalMs: options.pingIntervalMs,
		compactAfterUpdates: options.compactAfterUpdates,
		compactAfterBytes: options.compactAfterBytes,
		compactWhenIdleMs: options.compactWhenIdleMs
	});
	const server = await new Promise<Server>((resolve) => {
		const s = serve({ fetch: boardwalk.app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
	});
	boardwalk.attach(server);
	const port = (server.address() as AddressInfo).port;
	let stopped = false;
	return {
		url: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/ws`,
		port,
		dataDir,
		storage,
		boardwalk,
		async stop() {
			if (stopped) return;
			stopped = true;
			server.close();
			await boardwalk.shutdown();
			await storage.close();
			server.closeAllConnections();
		}
	};
}

/** A real store with some of its methods replaced, to count calls or hold appends in a test. */
export function storageWith(real: RoomStorage, overrides: Partial<RoomStorage>): RoomStorage {
	return {
		load: (room) => real.load(room),
		append: (room, updates) => real.append(room, updates),
		compact: (room, snapshot, seq) => real.compact(room, snapshot, seq),
		listRooms: () => real.listRooms(),
		deleteRoom: (room) => real.deleteRoom(room),
		close: () => real.close(),
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
