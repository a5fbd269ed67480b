// What happens to images over time and out of the board: the collector removes what no shape shows once the grace
// has passed and keeps the rest; /export/<board>.boardwalk carries the shapes and their images; PostgreSQL does it all too.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseBoardwalkFile, base64ToBytes } from '../../src/lib/shared/boardwalk-file.ts';
import { GIF_1X1, JPEG_1X1, PNG_1X1 } from '../../src/lib/shared/image-fixtures.ts';
import { SHAPE_DEFAULTS } from '../../src/lib/shared/model/index.ts';
import { openPostgresStorage } from '../../server/storage/postgres.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startPostgres, type Service } from '../helpers/services.ts';
import { startTestServer, storageWith, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

let server: TestServer;
const clients: TestClient[] = [];
afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await server?.stop();
});

async function upload(board: string, bytes: Uint8Array, token?: string): Promise<{ hash: string; mime: string }> {
	const response = await fetch(`${server.url}/api/boards/${board}/images`, {
		method: 'POST',
		body: bytes as Uint8Array<ArrayBuffer>,
		headers: token ? { authorization: `Bearer ${token}` } : {}
	});
	expect(response.status).toBeLessThan(300);
	return (await response.json()) as { hash: string; mime: string };
}

const status = async (board: string, hash: string) => (await fetch(`${server.url}/api/boards/${board}/images/${hash}`)).status;

/** An image shape as a client writes it into the doc. */
function addImage(client: TestClient, id: string, image: { hash: string; mime: string }, index = 'a1'): void {
	const fields = { ...SHAPE_DEFAULTS.image, type: 'image', index, hash: image.hash, mime: image.mime, w: 40, h: 30 };
	client.shapes.set(id, new Y.Map<unknown>(Object.entries(fields)));
}

async function connect(board: string): Promise<TestClient> {
	const client = await connectClient(server.wsUrl, board);
	clients.push(client);
	return client;
}

describe('the image collector', () => {
	it('removes an image whose shape was deleted once the grace has passed, and keeps referenced images and those within the grace', async () => {
		server = await startTestServer({ roomUnloadDelayMs: 20 });
		const kept = await upload('gc', PNG_1X1);
		const deleted = await upload('gc', GIF_1X1);
		const neverUsed = await upload('gc', JPEG_1X1);
		const client = await connect('gc');
		addImage(client, 'kept', kept);
		addImage(client, 'deleted', deleted, 'a2');
		await waitFor(async () => (await server.storage.load('gc')).updates.length > 0, 'the shapes to be stored');
		client.shapes.delete('deleted');
		await waitFor(async () => (await server.storage.load('gc')).updates.length >= 2, 'the deletion to be stored');
		client.destroy();
		// The room unloads (compacts, records what its shapes reference).
		await waitFor(() => server.boardwalk.registry.roomCount === 0, 'the room to unload');

		await server.boardwalk.collectImages(Date.now() + 29 * DAY_MS);
		expect([await status('gc', kept.hash), await status('gc', deleted.hash), await status('gc', neverUsed.hash)]).toEqual([200, 200, 200]);

		await server.boardwalk.collectImages(Date.now() + 31 * DAY_MS);
		expect([await status('gc', kept.hash), await status('gc', deleted.hash), await status('gc', neverUsed.hash)]).toEqual([200, 404, 404]);
		// Years later the board's own picture is still there: a referenced image has no grace to run out.
		await server.boardwalk.collectImages(Date.now() + 5 * 365 * DAY_MS);
		expect(await status('gc', kept.hash)).toBe(200);
	});

	it('learns of a deletion when an open room compacts, and an undo within the grace brings the reference back', async () => {
		// What the rooms record, seen once stored.
		const recorded: string[][] = [];
		const real = openSqliteStorage(tempDataDir());
		const storage = storageWith(real, {
			touchImageRefs: async (board, hashes, now) => {
				const list = [...hashes];
				await real.touchImageRefs(board, list, now);
				recorded.push(list);
			}
		});
		server = await startTestServer({ storage, compactWhenIdleMs: 100 });
		const image = await upload('live', PNG_1X1);
		const client = await connect('live');
		const lastRecorded = (expected: string[]) => () => JSON.stringify(recorded.at(-1)) === JSON.stringify(expected);
		addImage(client, 'pic', image);
		await waitFor(lastRecorded([image.hash]), 'a compaction recording the image');
		const undo = new Y.UndoManager(client.shapes);
		client.shapes.delete('pic');
		await waitFor(lastRecorded([]), 'a compaction recording the deletion');
		// Undone within the grace: the next compaction references it again, and no later run removes it.
		undo.undo();
		expect(client.shapes.has('pic')).toBe(true);
		await waitFor(lastRecorded([image.hash]), 'a compaction recording the undo');
		await server.boardwalk.collectImages(Date.now() + 365 * DAY_MS);
		expect(await status('live', image.hash)).toBe(200);
		// Deleted for good: gone after the grace, while the room is still open.
		client.shapes.delete('pic');
		await waitFor(lastRecorded([]), 'a compaction recording the second deletion');
		await server.boardwalk.collectImages(Date.now() + 29 * DAY_MS);
		expect(await status('live', image.hash)).toBe(200);
		await server.boardwalk.collectImages(Date.now() + 31 * DAY_MS);
		expect(await status('live', image.hash)).toBe(404);
	});
});

describe('GET /export/<board>.boardwalk', () => {
	it('answers the board as a .boardwalk file with the images its shapes use, to whoever may view it', async () => {
		server = await startTestServer();
		const claimed = await (await fetch(`${server.url}/api/boards/exp/claim`, { method: 'POST' })).json();
		const edit = claimed.token as string;
		const view = new URL(claimed.links.view as string).hash.slice('#t='.length);
		const image = await upload('exp', PNG_1X1, edit);
		await upload('exp', GIF_1X1, edit); // uploaded, not used: not in the file
		const client = await connectClient(server.wsUrl, 'exp', { params: { token: edit } });
		clients.push(client);
		client.shapes.set('r', new Y.Map<unknown>(Object.entries({ ...SHAPE_DEFAULTS.rect, type: 'rect', index: 'a0', x: 5 })));
		addImage(client, 'pic', image);
		await waitFor(async () => (await server.storage.load('exp')).updates.length > 0, 'the shapes to be stored');

		const response = await fetch(`${server.url}/export/exp.boardwalk`, { headers: { authorization: `Bearer ${view}` } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="exp.boardwalk"');
		const file = await parseBoardwalkFile(await response.text());
		expect(file.shapes.map((shape) => [shape.id, shape.type])).toEqual([
			['r', 'rect'],
			['pic', 'image']
		]);
		expect(Object.keys(file.images)).toEqual([image.hash]);
		expect(base64ToBytes(file.images[image.hash]!.data)).toEqual(PNG_1X1);

		expect((await fetch(`${server.url}/export/exp.boardwalk`)).status).toBe(403);
		expect((await fetch(`${server.url}/export/exp.json`)).status).toBe(400);
		expect((await fetch(`${server.url}/export/a.b.boardwalk`)).status).toBe(400);
	});
});

describe('images on PostgreSQL', () => {
	let postgres: Service;
	beforeAll(async () => {
		postgres = await startPostgres();
	}, 60_000);
	afterAll(async () => {
		await postgres?.stop();
	});

	it('uploads, dedups, serves, exports and collects with the PostgreSQL engine', async () => {
		server = await startTestServer({ storage: await openPostgresStorage(postgres.url), roomUnloadDelayMs: 20 });
		const image = await upload('pg', PNG_1X1);
		const unused = await upload('pg', GIF_1X1);
		const again = await fetch(`${server.url}/api/boards/pg/images`, { method: 'POST', body: PNG_1X1 as Uint8Array<ArrayBuffer> });
		expect(again.status).toBe(200);
		expect(await status('pg', image.hash)).toBe(200);
		expect(await status('other', image.hash)).toBe(404);
		const client = await connect('pg');
		addImage(client, 'pic', image);
		await waitFor(async () => (await server.storage.load('pg')).updates.length > 0, 'the shape to be stored');
		const file = await parseBoardwalkFile(await (await fetch(`${server.url}/export/pg.boardwalk`)).text());
		expect(Object.keys(file.images)).toEqual([image.hash]);
		client.destroy();
		await waitFor(() => server.boardwalk.registry.roomCount === 0, 'the room to unload');
		await server.boardwalk.collectImages(Date.now() + 31 * DAY_MS);
		expect([await status('pg', image.hash), await status('pg', unused.hash)]).toEqual([200, 404]);
	});
});
