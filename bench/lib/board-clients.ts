/** In-process stock clients for the cold-load scenario: one that builds a big board, and fresh ones that time their sync. */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createBoard, insertShapes, type NewShape } from '../../src/lib/board/index.ts';
import { SHAPE_DEFAULTS, SHAPES_MAP } from '../../src/lib/shared/model/schema.ts';

const SYNC_TIMEOUT_MS = 120_000;
/** Shapes per transaction while building: a user pasting or drawing, not one giant update. */
const SHAPES_PER_UPDATE = 100;

/** A stock provider; `token` (a claimed board's link token) goes in the socket URL's query, as docs/protocol.md says. */
export function provider(wsUrl: string, room: string, doc: Y.Doc, token?: string): WebsocketProvider {
	const p = new WebsocketProvider(wsUrl, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		...(token === undefined ? {} : { params: { token } })
	});
	p.awareness.setLocalState(null);
	return p;
}

export function whenSynced(p: WebsocketProvider, what: string): Promise<void> {
	if (p.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${what} did not sync within ${SYNC_TIMEOUT_MS} ms`)), SYNC_TIMEOUT_MS);
		const onSync = (synced: boolean) => {
			if (!synced) return;
			clearTimeout(timer);
			p.off('sync', onSync);
			resolve();
		};
		p.on('sync', onSync);
	});
}

export interface Builder {
	/** Bytes of the whole board as one update (what a late joiner downloads). */
	stateBytes: number;
	close(): void;
}

/**
 * How the bench's boards are drawn. `plain`: the default style at sizes of 60–100 units, so each rect
 * stores 6 fields (type, x, y, w, h, index; the model leaves out fields at their default). `styled`:
 * every field away from its default (colours, width, opacity, a 5° tilt), so all 11 are stored: the
 * most a rect costs to load.
 */
export type BoardStyle = 'plain' | 'styled';

const PALETTE = ['#e03131', '#2f9e44', '#1971c2', '#f08c00'];

/** The i-th rect of a bench board: a grid 100 wide, 120 units apart, sizes varied so none is the default 100 × 100. */
export function benchRect(i: number, style: BoardStyle = 'plain'): NewShape {
	const rect = { ...SHAPE_DEFAULTS.rect, x: (i % 100) * 120, y: Math.floor(i / 100) * 120, w: 60 + ((i * 7) % 40), h: 60 + ((i * 13) % 39) };
	if (style === 'plain') return { type: 'rect', ...rect };
	return { type: 'rect', ...rect, stroke: PALETTE[i % 4]!, fill: PALETTE[(i + 1) % 4]!, strokeWidth: 3, opacity: 0.9, rotation: 5 };
}

/** Connects, adds `count` rects (benchRect) through the board model, and stays connected. */
export async function buildBoard(wsUrl: string, room: string, count: number, style: BoardStyle = 'plain', token?: string): Promise<Builder> {
	const doc = new Y.Doc();
	const p = provider(wsUrl, room, doc, token);
	await whenSynced(p, 'the builder');
	const board = createBoard(doc, { warn: () => {} });
	for (let done = 0; done < count; done += SHAPES_PER_UPDATE) {
		const shapes: NewShape[] = [];
		for (let i = done; i < Math.min(count, done + SHAPES_PER_UPDATE); i++) {
			shapes.push(benchRect(i, style));
		}
		insertShapes(board, shapes);
		// Let the socket write between batches, as a real client would between gestures.
		await new Promise((resolve) => setImmediate(resolve));
	}
	return {
		stateBytes: Y.encodeStateAsUpdate(doc).byteLength,
		close() {
			p.destroy();
			doc.destroy();
		}
	};
}

/** A fresh client joins `room`: ms from creating the provider to its first sync, and how many shapes it then had. */
export async function joinOnce(wsUrl: string, room: string, token?: string): Promise<{ ms: number; shapes: number }> {
	const doc = new Y.Doc();
	const started = performance.now();
	const p = provider(wsUrl, room, doc, token);
	try {
		await whenSynced(p, 'a late joiner');
		return { ms: performance.now() - started, shapes: doc.getMap(SHAPES_MAP).size };
	} finally {
		p.destroy();
		doc.destroy();
	}
}

/** Joins until a fresh client sees `count` shapes (the builder's last updates may still be on their way); bounded. */
export async function waitUntilServed(wsUrl: string, room: string, count: number, attempts = 50): Promise<void> {
	for (let i = 0; i < attempts; i++) {
		if ((await joinOnce(wsUrl, room)).shapes === count) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`the server never served all ${count} shapes of ${room}`);
}
