// A first visit draws the server's preview of what is in view (GET /preview/<room>) before the Yjs sync has
// arrived, and the synced board replaces it: shapes deleted meanwhile go, and the board is then editable.
import { createBoard, deleteShapes, insertShapes } from '../../src/lib/board/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { drag, holdSocket, nodeCount, shapes, smallRects, waitConnected } from './board.ts';
import { editParams, expect, gotoBoard, test } from './fixtures.ts';

/** In view at the start, and one more far off screen: a preview holds only what is in view. */
const RECTS = 40;
const ALL = RECTS + 1;

test('the preview is drawn before the sync, and the synced board replaces it', async ({ browser, server, boardId }) => {
	const builder = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	const board = createBoard(builder.doc);
	const ids = insertShapes(board, [...smallRects(RECTS), { ...smallRects(1)[0]!, x: 20_000 }]);
	const check = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	await waitFor(() => check.shapes.size === ALL, 'the server to hold the board');

	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		// The socket is held both ways: the page's sync request reaches the server only after the release,
		// so its answer is the board as it is then.
		const release = await holdSocket(page, { outgoing: true });
		const previewRequests: string[] = [];
		page.on('request', (request) => {
			if (request.url().includes('/preview/')) previewRequests.push(request.url());
		});
		await gotoBoard(page, server.url, boardId);

		// Drawn from the preview: every shape in view on the canvas, none in the doc yet.
		await expect
			.poll(() => page.evaluate((n) => window.__boardwalk?.paints().some((p) => p.preview && p.shapes === n) ?? false, ALL))
			.toBe(true);
		expect(await nodeCount(page)).toBe(RECTS);
		expect(await shapes(page)).toHaveLength(0);
		// Asked for once, for the view at 100 % over the window plus the 32 px drawn around it (with the page's link token).
		const { width, height } = page.viewportSize()!;
		expect(previewRequests.map((url) => url.replace(/&token=[^&]+$/, ''))).toEqual([
			`${server.url}/preview/${boardId}?view=-32,-32,${width + 64},${height + 64}`
		]);
		await expect(page.getByRole('status', { name: 'Connection: Connected' })).toHaveCount(0);

		// Deleted on the server after the preview was taken: the sync does not have it, so it must go.
		deleteShapes(board, [ids[0]!]);
		await waitFor(() => check.shapes.size === ALL - 1, 'the server to store the deletion');
		release();
		await waitConnected(page);
		await expect.poll(async () => (await shapes(page)).length).toBe(ALL - 1);
		await expect
			.poll(() => page.evaluate(() => window.__boardwalk!.paints().at(-1)!))
			.toMatchObject({ preview: false, shapes: ALL - 1, nodes: RECTS - 1 });
		expect((await shapes(page)).map((s) => s.id)).not.toContain(ids[0]);

		// The board is the doc's now: a shape drawn here reaches the server.
		await page.keyboard.press('r');
		await drag(page, [1000, 500], [1060, 540]);
		await expect.poll(async () => (await shapes(page)).length).toBe(ALL);
		await waitFor(() => check.shapes.size === ALL, 'the new shape to reach the server');
	} finally {
		await context.close();
		builder.destroy();
		check.destroy();
	}
});
