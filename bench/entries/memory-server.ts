/** Bench-only entry: our app exactly as server/main.ts builds it, but over the in-memory store instead of SQLite. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { MemoryStorage } from '../lib/memory-storage.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
// As server/main.ts does: the config carries the app's settings under AppDeps' names.
const boardwalk = createApp({ ...config, storage: new MemoryStorage(), log });
const server = serve({ fetch: boardwalk.app.fetch, port: config.port, hostname: config.host }, (info) => {
	log.info({ host: info.address, port: info.port, storage: 'memory' }, `listening on http://${info.address}:${info.port}`);
}) as Server;
boardwalk.attach(server);

const stop = async (): Promise<void> => {
	server.close();
	await boardwalk.shutdown();
	server.closeAllConnections();
	process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
