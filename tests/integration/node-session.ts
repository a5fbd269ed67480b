// Board sessions in Node for the integration tests: the browser's session against a real server.
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { BoardSession, type SessionOptions } from '../../src/lib/collab/session.svelte.ts';

/**
 * A board session as the page makes one (src/lib/collab/session.svelte.ts), minus what Node lacks: no
 * IndexedDB copy, no other tabs, `ws` for the socket and no preview unless `options` give a fetch.
 */
export function nodeSession(wsUrl: string, room: string, doc: Y.Doc, options: Partial<SessionOptions> = {}): BoardSession {
	return new BoardSession(doc, room, {
		view: { x: 0, y: 0, w: 100, h: 100 },
		localCopy: false,
		tabs: false,
		url: `${wsUrl}/${room}`,
		WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
		fetch: async () => new Response(null, { status: 204 }),
		...options
	});
}
