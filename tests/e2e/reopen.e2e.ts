// Reopening a board in the same browser reads it from IndexedDB (src/lib/collab/sync-hold.ts,
// session.svelte.ts): the loaded copy must not go back to the server as one big update, and the
// provider's first question, asked before the copy loaded, is asked again so only what is missing comes.
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import { createBoard, insertShapes } from '../../src/lib/board/index.ts';
import { MESSAGE_SYNC } from '../../src/lib/shared/wire.ts';
import { connectClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait.ts';
import { expectShapeCount, holdSocket, smallRects, waitConnected } from './board.ts';
import { editParams, expect, gotoBoard, test } from './fixtures.ts';

const RECTS = 600;
/** The whole board is ~60 KB; anything the page sends on reopening is a question or a small reply. */
const SMALL_FRAME_BYTES = 4 * 1024;
const SLOW_DISK_MS = 500;

/** The state vector a sync step 1 frame asks with, or null for any other frame. */
function stepOneVector(frame: Buffer): Uint8Array | null {
	const decoder = decoding.createDecoder(new Uint8Array(frame));
	if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== messageYjsSyncStep1) return null;
	return decoding.readVarUint8Array(decoder);
}

test('reopening a board sends nothing of this browser’s copy back, and asks the server only for what the copy lacks', async ({
	browser,
	server,
	boardId
}) => {
	const builder = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
	const board = createBoard(builder.doc);
	insertShapes(board, smallRects(RECTS));

	const context = await browser.newContext();
	try {
		const first = await context.newPage();
		await gotoBoard(first, server.url, boardId);
		await expectShapeCount(first, RECTS);
		await expect.poll(() => first.evaluate(() => window.__boardwalk!.keptLocally()), { timeout: 10_000 }).toBe(true);
		await first.close(); // an open tab would hand its doc over (BroadcastChannel)

		// Someone adds a shape while this browser is away.
		insertShapes(board, smallRects(1, 20));
		const check = await connectClient(server.wsUrl, boardId, await editParams(server.url, boardId));
		await waitFor(() => check.shapes.size === RECTS + 1, 'the server to hold the new shape');
		check.destroy();

		// This browser's disk is slow: the socket opens before the copy has loaded, as it does behind a big
		// board's load (without this, which comes first is a race the test does not control).
		await context.addInitScript((delayMs) => {
			const open = IDBFactory.prototype.open;
			const onsuccess = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess')!;
			IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
				const request = open.apply(this, args);
				Object.defineProperty(request, 'onsuccess', {
					set(handler: ((event: Event) => void) | null) {
						onsuccess.set!.call(this, handler && ((event: Event) => setTimeout(() => handler.call(this, event), delayMs)));
					},
					get() {
						return onsuccess.get!.call(this);
					}
				});
				return request;
			};
		}, SLOW_DISK_MS);
		const sent: Buffer[] = [];
		// The server's frames wait until the copy has loaded, as they do behind a big board's load.
		const again = await context.newPage();
		const release = await holdSocket(again, {
			onSent: (message) => {
				if (typeof message !== 'string') sent.push(message);
			}
		});
		await gotoBoard(again, server.url, boardId);
		await expectShapeCount(again, RECTS); // from IndexedDB alone
		// Nothing from the server has arrived yet: the provider asked on connecting, with an empty doc, and
		// asks again now that the copy has loaded (the save tracker asks only once synced).
		const questions = () => sent.map(stepOneVector).filter((vector) => vector !== null);
		await expect.poll(() => questions().map((vector) => vector.byteLength > 1)).toEqual([false, true]);
		release();
		await waitConnected(again);
		await expectShapeCount(again, RECTS + 1);
		await expect.poll(() => again.evaluate(() => window.__boardwalk!.saveState()), { timeout: 10_000 }).toBe('saved');
		expect(sent.filter((frame) => frame.byteLength > SMALL_FRAME_BYTES).map((frame) => frame.byteLength)).toEqual([]);
	} finally {
		await context.close();
		builder.destroy();
	}
});
