// A first visit draws the server's preview of the board (GET /preview/<room>) before the Yjs sync has
// arrived, and the synced board replaces it: shapes deleted meanwhile go, and the board is then editable.
import { createBoard, deleteShapes, insertShapes } from '../../src/lib/board/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { drag, expectShapeCount, nodeCount, shapes, smallRects, waitConnected } from './board.ts';
import { expect, test } from './fixtures.ts';

const RECTS = 40;

test('the preview is drawn before the sync, and the synced board replaces it', async ({ browser, server, boardId }) => {
	const builder = await connectClient(server.wsUrl, boardId);
	const board = createBoard(builder.doc);
	const ids = insertShapes(board, smallRects(RECTS));
	const check = await connectClient(server.wsUrl, boardId);
	await waitFor(() => check.shapes.size === RECTS, 'the server to hold the board');

	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		// The socket is held both ways: the page's sync request reaches the server only after the release,
		// so its answer is the board as it is then.
		let release = () => {};
		const released = new Promise<void>((resolve) => (release = resolve));
		await page.routeWebSocket(/\/ws\//, (ws) => {
			const upstream = ws.connectToServer();
			ws.onMessage(async (message) => {
				await released;
				upstream.send(message);
			});
			upstream.onMessage(async (message) => {
				await released;
				ws.send(message);
			});
		});
		await page.goto(`${server.url}/b/${boardId}`);

		// Drawn from the preview: every shape on the canvas, none in the doc yet.
		await expect
			.poll(() => page.evaluate((n) => window.__boardwalk?.paints().some((p) => p.preview && p.shapes === n) ?? false, RECTS))
			.toBe(true);
		expect(await nodeCount(page)).toBe(RECTS);
		expect(await shapes(page)).toHaveLength(0);
		await expect(page.getByRole('status', { name: 'Connection: Connected' })).toHaveCount(0);

		// Deleted on the server after the preview was taken: the sync does not have it, so it must go.
		deleteShapes(board, [ids[0]!]);
		await waitFor(() => check.shapes.size === RECTS - 1, 'the server to store the deletion');
		release();
		await waitConnected(page);
		await expectShapeCount(page, RECTS - 1);
		await expect
			.poll(() => page.evaluate(() => window.__boardwalk!.paints().at(-1)!))
			.toMatchObject({ preview: false, shapes: RECTS - 1, nodes: RECTS - 1 });
		expect((await shapes(page)).map((s) => s.id)).not.toContain(ids[0]);

		// The board is the doc's now: a shape drawn here reaches the server.
		await page.keyboard.press('r');
		await drag(page, [1000, 500], [1060, 540]);
		await expectShapeCount(page, RECTS);
		await waitFor(() => check.shapes.size === RECTS, 'the new shape to reach the server');
	} finally {
		await context.close();
		builder.destroy();
		check.destroy();
	}
});
