// GET /preview/<room>: the board's stored shapes as JSON, for a first paint before the Yjs sync.
import { afterEach, describe, expect, it } from 'vitest';
import { createBoard, createShape, deleteShapes, listShapes, type Shape } from '../../src/lib/board/index.ts';
import { parsePreview } from '../../src/lib/collab/preview.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { heldAppends, startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	await server?.stop();
});

async function client(room: string): Promise<TestClient> {
	const c = await connectClient(server.wsUrl, room);
	clients.push(c);
	return c;
}

interface Answer {
	status: number;
	total?: number;
	shapes?: Shape[];
	raw?: Array<Record<string, unknown>>;
	cache: string | null;
}

async function preview(room: string, query = ''): Promise<Answer> {
	const response = await fetch(`${server.url}/preview/${room}${query}`);
	const cache = response.headers.get('cache-control');
	if (response.status !== 200) return { status: response.status, cache };
	expect(response.headers.get('content-type')).toBe('application/json');
	const body = await response.text();
	const raw = (JSON.parse(body) as { shapes: Array<Record<string, unknown>> }).shapes;
	const { total, shapes } = parsePreview(body)!;
	return { status: 200, total, shapes, raw, cache };
}

const rooms = async () => Number(/^boardwalk_rooms (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())![1]);

describe('GET /preview/<room>', () => {
	it("gives the board's valid shapes in stacking order, as the board model reads them", async () => {
		server = await startTestServer();
		const writer = await client('shown');
		const board = createBoard(writer.doc);
		createShape(board, 'rect', { x: 10, y: 20, w: 30, h: 40, fill: '#ff0000' });
		const gone = createShape(board, 'ellipse', { x: 50, y: 60 });
		createShape(board, 'text', { x: 0, y: 0, text: 'hello' });
		deleteShapes(board, [gone]);
		// A malformed entry a buggy peer could write: left out, as every reader leaves it out.
		writer.shapes.set('junk', 42);
		const reader = await client('shown');
		await waitFor(() => reader.shapes.size === 3, 'the shapes to be stored and relayed');

		const answer = await preview('shown');
		expect(answer.status).toBe(200);
		expect(answer.cache).toBe('no-store');
		expect(answer.shapes).toEqual(listShapes(board));
		expect(answer.shapes!.map((s) => s.type)).toEqual(['rect', 'text']);
		// As the doc stores them: fields at their default (the text's x, y and stroke, say) are left out.
		expect(Object.keys(answer.raw![1]!).sort()).toEqual(['id', 'index', 'text', 'type']);
	});

	it('gives only the shapes whose bounds meet the view, and counts them all', async () => {
		server = await startTestServer();
		const writer = await client('view');
		const board = createBoard(writer.doc);
		const near = createShape(board, 'rect', { x: 0, y: 0, w: 100, h: 100 });
		const edge = createShape(board, 'line', { x: 500, y: 500, points: [0, 0, 100, 100] });
		createShape(board, 'rect', { x: 5000, y: 0, w: 100, h: 100 });
		const reader = await client('view');
		await waitFor(() => reader.shapes.size === 3, 'the shapes to be stored');

		const answer = await preview('view', '?view=50,50,450,450');
		expect(answer.total).toBe(3);
		expect(answer.shapes!.map((s) => s.id)).toEqual([near, edge]);
		expect((await preview('view')).shapes).toHaveLength(3);
	});

	it('answers an empty board with no shapes, a bad room name or view with 400', async () => {
		server = await startTestServer();
		expect(await preview('nobody-here')).toMatchObject({ total: 0, shapes: [] });
		for (const bad of ['a.b', 'a%20b', 'x'.repeat(65), '%E0%A4%A']) expect((await preview(bad)).status).toBe(400);
		for (const view of ['', '1,2,3', '1,2,3,4,5', '1,2,-3,4', '1,,3,4', 'a,b,c,d', '1,2,Infinity,4', '1e10,0,1,1']) {
			expect((await preview('nobody-here', `?view=${view}`)).status).toBe(400);
		}
	});

	it('loads a board nobody has open, and unloads it again after the delay', async () => {
		server = await startTestServer({ roomUnloadDelayMs: 50 });
		const writer = await client('closed');
		createShape(createBoard(writer.doc), 'rect', { x: 1, y: 2 });
		const reader = await client('closed');
		await waitFor(() => reader.shapes.size === 1, 'the shape to be stored');
		for (const c of clients.splice(0)) c.destroy();
		await waitFor(async () => (await rooms()) === 0, 'the room to unload');

		const answer = await preview('closed');
		expect(answer.shapes!.map((s) => [s.type, s.x, s.y])).toEqual([['rect', 1, 2]]);
		await waitFor(async () => (await rooms()) === 0, 'the room loaded for the preview to unload');
	});

	it('holds only stored updates: it waits for an update still being stored', async () => {
		const dataDir = tempDataDir();
		const { storage, held } = heldAppends(dataDir);
		server = await startTestServer({ storage, dataDir });
		const writer = await client('gated');
		createShape(createBoard(writer.doc), 'rect', { x: 7, y: 8 });
		await waitFor(() => held.length === 1, 'the append to start');

		// Straight to the registry: with the room loaded, an answer that did not wait would come within
		// microtasks, so one macrotask later it must still be pending.
		let answered = false;
		const pending = server.boardwalk.registry.preview('gated').then((json) => {
			answered = true;
			return parsePreview(json!)!;
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(answered).toBe(false);
		held.shift()!();
		const answer = await pending;
		expect(answer.shapes!.map((s) => [s.x, s.y])).toEqual([[7, 8]]);
	});
});
