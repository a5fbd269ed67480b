/** Vite plugin: runs the same Hono sync server inside `npm run dev`, so HMR and /ws/ share one port and one process. */
import type { Server } from 'node:http';
import type { Plugin } from 'vite';
import { getRequestListener } from '@hono/node-server';
import { PREVIEW_PATH_PREFIX } from '../src/lib/shared/wire.ts';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { openSqliteStorage } from '../server/storage/sqlite.ts';

export function boardwalkDevServer(): Plugin {
	return {
		name: 'boardwalk-dev-server',
		apply: 'serve',
		configureServer(vite) {
			// vitest starts Vite in middleware mode without an HTTP server: nothing to attach to.
			if (process.env.VITEST || !vite.httpServer) return;
			const config = loadConfig();
			const log = createLogger(config.logLevel);
			const storage = openSqliteStorage(config.dataDir);
			const boardwalk = createApp({ ...config, storage, log });
			boardwalk.attach(vite.httpServer as Server, true);
			const api = getRequestListener(boardwalk.app.fetch);
			vite.middlewares.use((req, res, next) => {
				if (req.url === '/healthz' || req.url?.startsWith(PREVIEW_PATH_PREFIX)) void api(req, res);
				else next();
			});
			log.info({ dataDir: config.dataDir }, 'sync server running inside Vite at /ws/');
			vite.httpServer.once('close', () => {
				void boardwalk.shutdown().then(() => storage.close());
			});
		}
	};
}
