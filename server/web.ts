/** Serves the built SvelteKit app (adapter-node's handler) from a Hono route on the same port as the sockets. */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export const BUILD_HANDLER_URL = new URL('../build/handler.js', import.meta.url);

/** Loads adapter-node's handler; null when the app has not been built (`npm run build`). */
export async function loadWebHandler(): Promise<Handler | null> {
	if (!fs.existsSync(BUILD_HANDLER_URL)) return null;
	// A computed specifier keeps tsc from type-checking the generated build.
	const { handler } = (await import(BUILD_HANDLER_URL.href)) as { handler: NodeHandler };
	return (c) => {
		const { incoming, outgoing } = c.env as HttpBindings;
		return new Promise<Response>((resolve) => {
			outgoing.once('close', () => resolve(RESPONSE_ALREADY_SENT));
			handler(incoming, outgoing, () => resolve(c.text('Not found', 404)));
		});
	};
}
