/** The one assembly: startBoardwalk(config) builds a running Boardwalk (storage, rooms, app, sockets, shutdown) for every entry point. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handler, Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import { createApp } from './app.ts';
import { AccessRecords } from './auth/access.ts';
import { Authorizer } from './auth/authorize.ts';
import { JwtVerifier } from './auth/jwt.ts';
import { OriginPolicy } from './auth/origin.ts';
import { loadSecret } from './auth/secret.ts';
import { ClusterNode } from './cluster/node.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { systemClock, type HistoryClock } from './history/policy.ts';
import { SocketServer } from './sockets/server.ts';
import { ImageCollector } from './storage/image-collector.ts';
import { describeStorage, openStorage } from './storage/index.ts';
import { CloseCode } from '../src/lib/shared/wire.ts';
import { isClusterStorage, type RoomStorage } from './storage/types.ts';

/** What tests, the bench and the dev server change; production passes none of it. */
export interface BoardwalkOverrides {
	/** Used instead of opening `config.storage`; it becomes the Boardwalk's, closed by `stop`. */
	storage?: RoomStorage;
	log?: Logger;
	pingIntervalMs?: number;
	/** The clock version history is timed by (tests drive their own); the system's when left out. */
	historyClock?: HistoryClock;
	/** Serves everything that is not the API (the built SvelteKit app). */
	fallback?: Handler;
	/**
	 * false: build the server but do not listen; its owner hands it requests and upgrades (the Vite
	 * dev server emits its `/ws/` upgrades on `server`).
	 */
	listen?: boolean;
}

export interface Boardwalk {
	readonly app: Hono;
	readonly registry: RoomRegistry;
	readonly storage: RoomStorage;
	/** The HTTP server with WebSocket upgrades, listening on the configured host and port unless told not to. */
	readonly server: Server;
	/** Where it listens; null when it does not. */
	readonly address: AddressInfo | null;
	/** Removes images unreferenced for longer than the grace, as of `now` (the timer does it every IMAGE_GC_INTERVAL_MS). */
	collectImages(now?: number): Promise<void>;
	/** Stops accepting, stores every room, closes every socket (1001), closes storage. Once; later calls wait for the first. */
	stop(): Promise<void>;
}

/**
 * Builds and starts a Boardwalk from a validated config. Storage is opened first, so a store another
 * process writes (StoreInUseError) fails the start before anything listens or is stored.
 */
export async function startBoardwalk(config: Config, overrides: BoardwalkOverrides = {}): Promise<Boardwalk> {
	const log = overrides.log ?? createLogger(config.logLevel);
	const storage = overrides.storage ?? (await openStorage(config.storage));
	let auth: Authorizer;
	let cluster: ClusterNode | null = null;
	let access: AccessRecords;
	try {
		if (config.cluster) {
			if (!isClusterStorage(storage)) throw new Error('cluster mode (BUS_URL) needs a storage engine shared by every process (STORAGE_URL)');
			cluster = new ClusterNode(storage, log, config.cluster.settings);
			await cluster.connect(config.cluster.busUrl);
		}
		const node = cluster;
		access = new AccessRecords(storage, node && ((board) => node.accessChanged(board)));
		auth = createAuthorizer(config, access, log);
	} catch (error) {
		await cluster?.close();
		await storage.close();
		throw error;
	}
	const { limits } = config;
	const history = { policy: config.history, clock: overrides.historyClock ?? systemClock };
	const registry = new RoomRegistry({ storage, log, unloadDelayMs: config.roomUnloadDelayMs, compaction: config.compaction, limits, cluster, history });
	const sockets = new SocketServer({
		registry,
		log,
		maxFrameBytes: config.maxFrameBytes,
		pingIntervalMs: overrides.pingIntervalMs,
		limits,
		revokedReason: (grant) => auth.revokedReason(grant)
	});
	const app = createApp({
		registry,
		sockets,
		log,
		auth,
		fallback: overrides.fallback,
		trustProxy: config.trustProxy,
		publicOrigin: config.auth.publicOrigin,
		metricsToken: config.auth.metricsToken,
		images: storage,
		versions: storage,
		limits
	});
	// Every process of a cluster runs it too: its statements are idempotent (server/storage/image-collector.ts).
	const images = new ImageCollector(storage, config.imageGc, log);
	const server = createAdaptorServer({ fetch: app.fetch, websocket: { server: sockets.wss } }) as Server;
	if (cluster) {
		// Another process claimed a board or reset a link: sockets it would have closed go here too.
		const recheck = async (boards: Iterable<string>) => {
			for (const board of boards) {
				await access.get(board).catch(() => null);
				for (const why of ['link reset', 'link required'] as const) {
					sockets.closeWhere((open) => open.board === board && auth.revokedReason(open) === why, CloseCode.LinkRevoked, why);
				}
			}
		};
		cluster.access = {
			changed: (board) => {
				access.forget(board);
				void recheck([board]);
			},
			missed: () => {
				access.forgetAll();
				void recheck(registry.loadedBoards());
			}
		};
	}

	let stopping: Promise<void> | null = null;
	const stop = () =>
		(stopping ??= (async () => {
			server.close();
			// Rooms record their image references as they unload: the collector must not run across them.
			await images.stop();
			await registry.shutdown();
			sockets.close();
			await cluster?.close();
			await storage.close();
			server.closeAllConnections();
		})());

	let address: AddressInfo | null = null;
	if (overrides.listen !== false) {
		try {
			address = await listen(server, config.port, config.host);
		} catch (error) {
			await cluster?.close();
			await storage.close();
			throw error;
		}
		const storageInfo = overrides.storage ? { engine: 'override' } : describeStorage(config.storage);
		const host = address.address.includes(':') ? `[${address.address}]` : address.address;
		log.info(
			{ url: config.origin, host: address.address, port: address.port, storage: storageInfo, maxFrameBytes: config.maxFrameBytes },
			`listening on http://${host}:${address.port}`
		);
	}
	images.start();
	return { app, registry, storage, server, address, collectImages: (now) => images.run(now), stop };
}

/** Who may open which board: the secret (made in DATA_DIR on first start), the records, tokens, origins. */
function createAuthorizer(config: Config, access: AccessRecords, log: Logger): Authorizer {
	// With PostgreSQL too, a generated secret is kept in DATA_DIR (SECRET is how several machines share one).
	const dataDir = config.storage.engine === 'memory' ? null : config.storage.dataDir;
	return new Authorizer({
		mode: config.auth.mode,
		secret: loadSecret(config.auth.secret, dataDir),
		access,
		jwt: config.auth.jwt ? new JwtVerifier(config.auth.jwt) : null,
		origins: new OriginPolicy({ allowed: [new URL(config.origin).origin, ...config.auth.allowedOrigins], trustProxy: config.trustProxy, log })
	});
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(server.address() as AddressInfo);
		});
	});
}
