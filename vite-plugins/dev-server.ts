/** Vite plugin: runs the same Boardwalk inside `npm run dev`, so HMR and /ws/ share one port and one process. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin } from 'vite';
import { EXPORT_PATH_PREFIX, PREVIEW_PATH_PREFIX, WS_PATH_PREFIX } from '../src/lib/shared/wire.ts';
import { startBoardwalk } from '../server/boardwalk.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { describeStorage } from '../server/storage/index.ts';

export function boardwalkDevServer(): Plugin {
	return {
		name: 'boardwalk-dev-server',
		apply: 'serve',
		async configureServer(vite) {
			// vitest starts Vite in middleware mode without an HTTP server: nothing to attach to.
			if (process.env.VITEST || !vite.httpServer) return;
			const config = loadConfig();
			const log = createLogger(config.logLevel);
			// A DATA_DIR another server writes (StoreInUseError) stops the dev server here, before it listens.
			const boardwalk = await startBoardwalk(config, { log, listen: false });
			// Only our upgrades go to Boardwalk's server: Vite answers its own (HMR) on the same port.
			vite.httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
				if (request.url?.startsWith(WS_PATH_PREFIX)) boardwalk.server.emit('upgrade', request, socket, head);
			});
			vite.middlewares.use((req, res, next) => {
				const url = req.url ?? '';
				if (url === '/healthz' || url === '/metrics' || url.startsWith(PREVIEW_PATH_PREFIX) || url.startsWith(EXPORT_PATH_PREFIX) || url.startsWith('/api/')) boardwalk.server.emit('request', req, res);
				else next();
			});
			log.info({ storage: describeStorage(config.storage) }, 'sync server running inside Vite at /ws/');
			vite.httpServer.once('close', () => void boardwalk.stop());
		}
	};
}
