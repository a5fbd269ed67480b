// A session's first paint against the real server: the server's preview is drawn on the canvas while the
// sync is held, the sync is applied only after it, the preview ends once synced, and a canvas that never
// comes holds the sync no longer than SYNC_HOLD_MAX_MS.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createBoard, insertShapes, SHAPE_DEFAULTS } from '../../src/lib/board/index.ts';
import { SYNC_HOLD_MAX_MS, type Phase } from '../../src/lib/collab/session.svelte.ts';
import { connectClient } from '../helpers/clients.ts';
import { nodeSession } from './node-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const RECTS = 20;

/**
 * A server holding a board of RECTS rects in view, and a session opening it with the page's preview request;
 * with `slowPreview`, the preview's answer comes only once the server's sync step 2 has reached the page.
 */
async function boardAndSession(room: string, slowPreview = false) {
	const server: TestServer = await startTestServer();
	cleanups.push(() => server.stop());
	const builder = await connectClient(server.wsUrl, room);
	cleanups.push(() => builder.destroy());
	insertShapes(
		createBoard(builder.doc),
		Array.from({ length: RECTS }, (_, i) => ({ type: 'rect' as const, ...SHAPE_DEFAULTS.rect, x: i * 20, y: 0, w: 10, h: 10 }))
	);
	const check = await connectClient(server.wsUrl, room);
	cleanups.push(() => check.destroy());
	await waitFor(() => check.shapes.size === RECTS, 'the server to hold the board');

	const doc = new Y.Doc();
	let stepTwoArrived = false;
	class WatchedSocket extends WebSocket {
		constructor(url: string) {
			super(url);
			this.addEventListener('message', (event) => {
				const frame = new Uint8Array(event.data as ArrayBuffer);
				if (frame[0] === 0 && frame[1] === 1) stepTwoArrived = true;
			});
		}
	}
	const phases: Array<{ phase: Phase; shapes: number; at: number }> = [];
	const startedAt = Date.now();
	const session = nodeSession(server.wsUrl, room, doc, {
		view: { x: -50, y: -50, w: 1000, h: 500 },
		WebSocket: WatchedSocket as unknown as typeof globalThis.WebSocket,
		fetch: async (input, init) => {
			const response = await fetch(`${server.url}${String(input)}`, init);
			if (slowPreview) await waitFor(() => stepTwoArrived, 'the sync to reach the page');
			return response;
		},
		onPhase: (phase) => phases.push({ phase, shapes: doc.getMap('shapes').size, at: Date.now() - startedAt })
	});
	cleanups.push(() => session.destroy());
	return { doc, session, phases };
}

describe('first paint', () => {
	it('draws the preview while the sync is held, applies the sync after it, and ends the preview once synced', async () => {
		// The sync is there first, and must still wait for the preview.
		const { doc, session, phases } = await boardAndSession('preview', true);
		const canvas = { drawn: -1, shapesWhenDrawn: -1, ended: false };
		session.drawPreviewOn({
			preview: (shapes, total) => {
				canvas.drawn = shapes.length;
				canvas.shapesWhenDrawn = doc.getMap('shapes').size;
				return total === RECTS;
			},
			endPreview: () => (canvas.ended = true)
		});
		await waitFor(() => session.phase === 'live', 'the session to go live');
		expect(canvas.drawn).toBe(RECTS);
		expect(canvas.shapesWhenDrawn).toBe(0); // drawn before the sync was applied
		expect(canvas.ended).toBe(true);
		expect(phases.map((p) => p.phase)).toEqual(['preview', 'sync', 'live']);
		expect(phases.find((p) => p.phase === 'sync')!.shapes).toBe(0);
		expect(doc.getMap('shapes').size).toBe(RECTS);
	});

	it('holds the sync no longer than SYNC_HOLD_MAX_MS when the canvas never comes to draw the preview', async () => {
		const { session, phases } = await boardAndSession('no-canvas');
		await waitFor(() => session.phase === 'live', 'the session to go live', SYNC_HOLD_MAX_MS + 10_000);
		const sync = phases.find((p) => p.phase === 'sync')!;
		expect(sync.at).toBeGreaterThanOrEqual(SYNC_HOLD_MAX_MS - 5);
		expect(sync.shapes).toBe(0);
	});
});
