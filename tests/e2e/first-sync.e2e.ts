// A big board's first sync skips Yjs's per-update encoding and is written to IndexedDB whole, once the board is
// on screen (src/lib/collab/doc-updates.ts): the board must still open from this browser's copy with no server,
// with what was typed after it arrived.
import * as Y from 'yjs';
import { createBoard, insertShapes } from '../../src/lib/board/index.ts';
import { BULK_SYNC_MIN_ITEMS } from '../../src/lib/collab/doc-updates.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { drag, expectShapeCount, holdSocket, shapes, smallRects, storedRecords, waitConnected } from './board.ts';
import { editParams, expect, gotoBoard, test } from './fixtures.ts';

/** 7 Yjs items per rect (its map and the 6 fields that differ from the defaults): over the bulk threshold, and small enough to all be in view. */
const RECTS = 1000;

test('a big first sync is kept in IndexedDB whole: the board, and an edit made after it, open without the server', async ({
	browser,
	server,
	boardId
}) => {
	const builder = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	insertShapes(createBoard(builder.doc), smallRects(RECTS));
	expect(Y.decodeStateVector(Y.encodeStateVector(builder.doc)).get(builder.doc.clientID)).toBeGreaterThan(BULK_SYNC_MIN_ITEMS);
	const check = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	await waitFor(() => check.shapes.size === RECTS, 'the server to hold the board');
	builder.destroy();
	check.destroy();

	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		// The server's frames wait until the local copy has loaded, so the sync arrives after it, as it
		// does on a big board; arriving before, it would be stored with the load (a path of its own).
		const release = await holdSocket(page);
		await gotoBoard(page, server.url, boardId);
		await expect.poll(() => page.evaluate(() => window.__boardwalk?.keptLocally() ?? false)).toBe(true);
		release();
		await waitConnected(page);
		await expectShapeCount(page, RECTS);
		await expect.poll(() => page.evaluate(() => window.__boardwalk!.keptLocally()), { timeout: 10_000 }).toBe(true);
		// One entry, the whole doc: the sync was not stored as an update beside the load's initial entry.
		expect(await storedRecords(page, `boardwalk:${boardId}`)).toBe(1);
		await page.keyboard.press('r');
		await drag(page, [1000, 500], [1060, 540]);
		await expectShapeCount(page, RECTS + 1);
		await expect.poll(() => page.evaluate(() => window.__boardwalk!.keptLocally())).toBe(true);
		const ids = (await shapes(page)).map((s) => s.id).sort();

		await page.close(); // an open tab would hand its doc over (BroadcastChannel)

		// Another tab of this browser whose socket never hears from the server: only IndexedDB can fill it.
		const offline = await context.newPage();
		await offline.routeWebSocket(/\/ws\//, () => {});
		await gotoBoard(offline, server.url, boardId);
		await expect.poll(() => offline.evaluate(() => window.__boardwalk?.ready() ?? false)).toBe(true);
		await expect.poll(async () => (await shapes(offline)).map((s) => s.id).sort(), { timeout: 10_000 }).toEqual(ids);
		expect(await offline.evaluate(() => window.__boardwalk!.status())).not.toBe('connected');
	} finally {
		await context.close();
	}
});
