// Each limit, hit: the client over it sees its close code or HTTP status, and a client pair on another board keeps syncing meanwhile.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/wire.ts';
import { encodeSyncStep1, encodeUpdate } from '../../server/frames.ts';
import { MAX_CONCURRENT_PREVIEWS, type Limits } from '../../server/limits/limits.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { StoredRoom } from '../../server/storage/types.ts';
import { connectClient, openRaw, type RawSocket, type TestClient } from '../helpers/clients.ts';
import { startTestServer, storageWith, tempDataDir, type TestServer, type TestServerOptions } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
let calm: [TestClient, TestClient];
const opened: WebSocket[] = [];

/** A server with `limits`, X-Forwarded-For believed (so tests can give clients addresses), and a calm board with two clients. */
async function start(limits: Partial<Limits>, options: TestServerOptions = {}): Promise<void> {
	server = await startTestServer({ trustProxy: 1, limits, ...options });
	calm = [await connectClient(server.wsUrl, 'calm'), await connectClient(server.wsUrl, 'calm')];
}

afterEach(async () => {
	for (const socket of opened.splice(0)) socket.terminate();
	for (const client of calm) client.destroy();
	await server.stop();
});

let roundTrips = 0;
/** A change on the calm board reaching its other client: it must complete (within waitFor's generous timeout) while a limit is hit. */
async function calmRoundTrip(): Promise<number> {
	const key = `k${roundTrips++}`;
	const started = performance.now();
	calm[0].shapes.set(key, true);
	await waitFor(() => calm[1].shapes.get(key) === true, 'a change on another board to arrive', 10_000);
	return performance.now() - started;
}

/** A raw socket from `address`, or the HTTP status and Retry-After it was refused with. */
function openFrom(address: string, room: string): Promise<{ raw: RawSocket } | { status: number; retryAfter: string | undefined }> {
	const socket = new WebSocket(`${server.wsUrl}/${room}`, { headers: { 'x-forwarded-for': address } });
	opened.push(socket);
	const frames: Uint8Array[] = [];
	socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
	const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	socket.on('error', () => {});
	return new Promise((resolve) => {
		socket.once('open', () => resolve({ raw: { socket, frames, closed } }));
		socket.once('unexpected-response', (_request, response) => {
			resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined });
			response.resume();
		});
	});
}

/** An update adding `key` with `bytes` characters of text, from a doc of its own. */
function bigUpdate(key: string, bytes: number, doc = new Y.Doc()): Uint8Array {
	let update: Uint8Array | null = null;
	doc.once('update', (u: Uint8Array) => (update = u));
	doc.getMap('shapes').set(key, 'x'.repeat(bytes));
	return update!;
}

/** Starts the server on SQLite that counts how often `room` is loaded from storage (a room rebuilt reloads). */
async function startCountingLoads(room: string): Promise<{ count: number }> {
	const real = openSqliteStorage(tempDataDir());
	const loads = { count: 0 };
	const storage = storageWith(real, {
		load: (name): Promise<StoredRoom> => {
			if (name === room) loads.count++;
			return real.load(name);
		}
	});
	await start({}, { storage });
	return loads;
}

const syncReplies = (raw: RawSocket) => raw.frames.filter((f) => f[0] === 0 && f[1] === 1).length;

describe('limits', () => {
	it('refuses an update Yjs cannot apply without reloading the room, however often it comes', async () => {
		const loads = await startCountingLoads('victim');
		const writer = await connectClient(server.wsUrl, 'victim');
		const reader = await connectClient(server.wsUrl, 'victim');
		writer.shapes.set('before', 1);
		await waitFor(() => reader.shapes.get('before') === 1, 'the first write');
		const loadsBefore = loads.count;

		const good = bigUpdate('evil', 100);
		// Cut inside the structs (Yjs fails before integrating), and cut the delete set, which Yjs reads
		// after integrating the structs: the one case that needs a rebuild, once.
		const brokenStructs = encodeUpdate(good.subarray(0, good.length - 20));
		const brokenDeleteSet = encodeUpdate(good.subarray(0, good.length - 1));
		for (const frame of [brokenStructs, brokenDeleteSet]) {
			for (let i = 0; i < 50; i++) {
				const raw = await openRaw(server.wsUrl, 'victim');
				raw.socket.send(frame);
				expect((await raw.closed).code).toBe(CloseCode.InvalidPayload);
				if (i % 10 === 0) await calmRoundTrip();
			}
		}
		expect(loads.count - loadsBefore).toBeLessThanOrEqual(1);

		writer.shapes.set('after', 2);
		await waitFor(() => reader.shapes.get('after') === 2, 'the room to keep syncing');
		expect(reader.shapes.has('evil')).toBe(false);
		writer.destroy();
		reader.destroy();
	});

	it('rebuilds a room once for half-applied updates, however many addresses send them', async () => {
		const loads = await startCountingLoads('victim');
		const writer = await connectClient(server.wsUrl, 'victim');
		writer.shapes.set('before', 1);
		const loadsBefore = loads.count;
		const good = bigUpdate('evil', 100);
		const brokenDeleteSet = encodeUpdate(good.subarray(0, good.length - 1));
		for (let i = 0; i < 20; i++) {
			const opened = await openFrom(`198.51.100.${i + 1}`, 'victim');
			if (!('raw' in opened)) throw new Error(`refused with HTTP ${opened.status}`);
			opened.raw.socket.send(brokenDeleteSet);
			expect((await opened.raw.closed).code).toBe(CloseCode.InvalidPayload);
		}
		expect(loads.count - loadsBefore).toBeLessThanOrEqual(1);
		await calmRoundTrip();
		writer.destroy();
	});

	it('refuses an update that would take the board past MAX_BOARD_BYTES with 4003, storing and relaying nothing of it', async () => {
		await start({ maxBoardBytes: 64 * 1024 });
		const writer = await connectClient(server.wsUrl, 'full');
		const reader = await connectClient(server.wsUrl, 'full');
		const raw = await openRaw(server.wsUrl, 'full');
		raw.socket.send(encodeUpdate(bigUpdate('huge', 100 * 1024)));
		const closed = await raw.closed;
		expect(closed.code).toBe(CloseCode.BoardFull);
		expect(closed.reason).toContain('size limit');
		await calmRoundTrip();
		// Small changes still fit.
		writer.shapes.set('small', 1);
		await waitFor(() => reader.shapes.get('small') === 1, 'a small change on the same board');
		const fresh = await connectClient(server.wsUrl, 'full');
		expect(fresh.shapes.has('huge')).toBe(false);
		expect(reader.shapes.has('huge')).toBe(false);
		for (const c of [writer, reader, fresh]) c.destroy();
	});

	it('slows a connection past its byte budget by pausing its reads, without closing it', async () => {
		const bytesPerSecond = 16 * 1024; // a burst of 16 s: 256 KiB
		await start({ bytesPerSecond });
		const raw = await openRaw(server.wsUrl, 'heavy');
		const doc = new Y.Doc();
		const started = performance.now();
		// 320 KiB, one update at a time (each answered before the next leaves, so that each is read on
		// its own): 64 KiB over the burst, about three seconds of debt before the last ones are read.
		for (let i = 0; i < 20; i++) {
			raw.socket.send(encodeUpdate(bigUpdate(`k${i}`, 16 * 1024 - 64, doc)));
			raw.socket.send(encodeSyncStep1(new Uint8Array([0])));
			if (i === 19) await calmRoundTrip();
			await waitFor(() => syncReplies(raw) === i + 1, `update ${i} to be read`, 20_000);
		}
		expect(performance.now() - started).toBeGreaterThan(1_000);
		expect(raw.socket.readyState).toBe(WebSocket.OPEN);
		const fresh = await connectClient(server.wsUrl, 'heavy');
		expect(fresh.shapes.size).toBe(20);
		fresh.destroy();
	});

	it('slows a connection past its message budget, and closes one that keeps sending far over it with 1008', async () => {
		const messagesPerSecond = 20; // a burst of 100
		await start({ messagesPerSecond });
		const slowed = await openRaw(server.wsUrl, 'chatty');
		for (let i = 0; i < 120; i++) slowed.socket.send(encodeSyncStep1(new Uint8Array([0])));
		await waitFor(() => syncReplies(slowed) === 120, 'every frame already read to be answered');
		const started = performance.now();
		slowed.socket.send(encodeSyncStep1(new Uint8Array([0])));
		await calmRoundTrip();
		await waitFor(() => syncReplies(slowed) === 121, 'the next frame, read once the debt is paid');
		expect(performance.now() - started).toBeGreaterThan(500);

		const flood = await openRaw(server.wsUrl, 'chatty');
		const frame = encodeSyncStep1(new Uint8Array([0]));
		for (let i = 0; i < 400; i++) flood.socket.send(frame);
		expect((await flood.closed).code).toBe(CloseCode.PolicyViolation);
		await calmRoundTrip();
		slowed.socket.close();
	});

	it('answers 429 with Retry-After to an address past MAX_CONNECTIONS_PER_ADDRESS, and lets it in again once one closes', async () => {
		await start({ maxConnectionsPerAddress: 5 });
		const sockets: RawSocket[] = [];
		for (let i = 0; i < 5; i++) {
			const result = await openFrom('10.0.0.1', 'crowd');
			if (!('raw' in result)) throw new Error(`connection ${i} refused with ${result.status}`);
			sockets.push(result.raw);
		}
		const refused = await openFrom('10.0.0.1', 'crowd');
		expect(refused).toEqual({ status: 429, retryAfter: expect.stringMatching(/^\d+$/) });
		await calmRoundTrip();
		// Another address is not affected.
		expect('raw' in (await openFrom('10.0.0.2', 'crowd'))).toBe(true);
		sockets[0]!.socket.close();
		await sockets[0]!.closed;
		await waitFor(async () => 'raw' in (await openFrom('10.0.0.1', 'crowd')), 'a slot to free up');
	});

	it('answers 429 with Retry-After to an address that creates boards too fast, on sockets and previews', async () => {
		await start({ newBoardsPerMinute: 3 });
		for (let i = 0; i < 3; i++) expect('raw' in (await openFrom('10.0.0.3', `new-${i}`))).toBe(true);
		const refused = await openFrom('10.0.0.3', 'new-3');
		expect(refused).toEqual({ status: 429, retryAfter: expect.stringMatching(/^\d+$/) });
		const preview = await fetch(`${server.url}/preview/new-4`, { headers: { 'x-forwarded-for': '10.0.0.3' } });
		expect(preview.status).toBe(429);
		expect(Number(preview.headers.get('retry-after'))).toBeGreaterThan(0);
		// Asking again does not find the refused board loaded for free.
		expect(await openFrom('10.0.0.3', 'new-3')).toMatchObject({ status: 429 });
		// Boards that exist, and other addresses, are not affected.
		expect('raw' in (await openFrom('10.0.0.3', 'calm'))).toBe(true);
		expect('raw' in (await openFrom('10.0.0.4', 'new-3'))).toBe(true);
		await calmRoundTrip();
	});

	it(`answers 503 with Retry-After past ${MAX_CONCURRENT_PREVIEWS} previews waiting at once`, async () => {
		const dataDir = tempDataDir();
		const real = openSqliteStorage(dataDir);
		const held: Array<() => void> = [];
		let holding = false;
		const storage = storageWith(real, {
			load: (room) => (holding ? new Promise<void>((resolve) => held.push(resolve)).then(() => real.load(room)) : real.load(room))
		});
		await start({ newBoardsPerMinute: 1000 }, { storage });
		holding = true;
		const waiting = Array.from({ length: MAX_CONCURRENT_PREVIEWS }, (_, i) => fetch(`${server.url}/preview/p-${i}`));
		await waitFor(() => held.length === MAX_CONCURRENT_PREVIEWS, 'every preview to wait for its load');
		const refused = await fetch(`${server.url}/preview/p-extra`);
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBe('1');
		await calmRoundTrip();
		holding = false;
		for (const release of held) release();
		for (const response of await Promise.all(waiting)) expect(response.status).toBe(200);
		expect((await fetch(`${server.url}/preview/p-extra`)).status).toBe(200);
	});
});
