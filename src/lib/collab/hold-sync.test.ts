import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import NodeWebSocket from 'ws';
import { holdSyncUntil } from '$lib/collab/hold-sync';
import { MESSAGE_SYNC } from '$lib/shared/wire';

/** A provider that never connects; the tests hand it messages as its socket would, and read what it sends. */
function setup() {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider('ws://127.0.0.1:1', 'room', doc, {
		connect: false,
		disableBc: true,
		WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket
	});
	const sent: Uint8Array[] = [];
	// Stands in for the browser's socket: only its identity and send() matter here.
	const socket = { send: (data: Uint8Array) => sent.push(data) } as unknown as WebSocket;
	provider.ws = socket;
	provider.wsconnected = true;
	/** What y-websocket's readMessage does with a frame from the socket (emitSynced true) or another tab (false). */
	const receive = (payload: Uint8Array, fromSocket = true) => {
		const encoder = encoding.createEncoder();
		provider.messageHandlers[0]!(encoder, decoding.createDecoder(payload), provider, fromSocket, 0);
		if (encoding.length(encoder) > 1) sent.push(encoding.toUint8Array(encoder));
	};
	return { doc, provider, sent, socket, receive };
}

function serverDoc(entries: Record<string, string>): Y.Doc {
	const doc = new Y.Doc();
	for (const [key, value] of Object.entries(entries)) doc.getMap('shapes').set(key, value);
	return doc;
}

/** A step 2 answering a step 1 that carried `vector` (by default an empty doc's). */
function step2(from: Y.Doc, vector?: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	syncProtocol.writeSyncStep2(encoder, from, vector);
	return encoding.toUint8Array(encoder);
}

/** The state vectors of the sync step 1 frames among `frames`. */
function stepOneVectors(frames: Uint8Array[]): Uint8Array[] {
	return frames
		.map((frame) => decoding.createDecoder(frame))
		.filter((decoder) => decoding.readVarUint(decoder) === MESSAGE_SYNC && decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep1)
		.map((decoder) => decoding.readVarUint8Array(decoder));
}

function step1(from: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	syncProtocol.writeSyncStep1(encoder, from);
	return encoding.toUint8Array(encoder);
}

function update(from: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
	const before = Y.encodeStateVector(from);
	change(from);
	const encoder = encoding.createEncoder();
	syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(from, before));
	return encoding.toUint8Array(encoder);
}

const deferred = () => {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
};

/**
 * A board opened again: the provider asked on connecting, with an empty doc; the server has since got
 * `new`; `loadCopy` loads this browser's stored copy (the board without it).
 */
function reopened() {
	const client = setup();
	const ready = deferred();
	holdSyncUntil(client.provider, ready.promise, 60_000);
	client.provider.emit('status', [{ status: 'connected' }]);
	const server = serverDoc({ kept: 'in this browser too' });
	const storedCopy = Y.encodeStateAsUpdate(server);
	server.getMap('shapes').set('new', 'only on the server');
	return { ...client, ready, server, loadCopy: () => Y.applyUpdate(client.doc, storedCopy, 'local copy') };
}

afterEach(() => {
	vi.useRealTimers();
});

describe('holdSyncUntil', () => {
	it('handles the server messages only once ready, in order, and the provider is synced only then', async () => {
		const { doc, provider, receive } = setup();
		const ready = deferred();
		const hold = holdSyncUntil(provider, ready.promise, 60_000);
		const server = serverDoc({ a: 'first' });
		receive(step2(server));
		receive(update(server, (d) => d.getMap('shapes').set('a', 'second')));
		expect(doc.getMap('shapes').size).toBe(0);
		expect(provider.synced).toBe(false);
		expect(hold.holding).toBe(true);

		ready.resolve();
		await ready.promise;
		expect(hold.holding).toBe(false);
		expect(doc.getMap('shapes').get('a')).toBe('second');
		expect(provider.synced).toBe(true);
		// Released: later messages are handled at once.
		receive(update(server, (d) => d.getMap('shapes').set('b', 'later')));
		expect(doc.getMap('shapes').get('b')).toBe('later');
	});

	it('sends the reply to a held step 1 when it is handled', async () => {
		const { provider, sent, receive } = setup();
		provider.doc.getMap('shapes').set('mine', 'typed offline');
		// The provider sent that change as an update: only the reply matters below.
		sent.length = 0;
		const ready = deferred();
		holdSyncUntil(provider, ready.promise, 60_000);
		const server = new Y.Doc();
		receive(step1(server));
		expect(sent).toHaveLength(0);
		ready.resolve();
		await ready.promise;
		expect(sent).toHaveLength(1);
		// messageSync, then a step 2 carrying what the server lacks.
		const decoder = decoding.createDecoder(sent[0]!);
		expect(decoding.readVarUint(decoder)).toBe(0);
		syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), server, 'test');
		expect(server.getMap('shapes').get('mine')).toBe('typed offline');
	});

	it('stops holding after maxMs when the local copy never loads', () => {
		vi.useFakeTimers();
		const { doc, provider, receive } = setup();
		holdSyncUntil(provider, new Promise(() => {}), 1_000);
		receive(step2(serverDoc({ a: 'x' })));
		vi.advanceTimersByTime(999);
		expect(doc.getMap('shapes').size).toBe(0);
		vi.advanceTimersByTime(1);
		expect(doc.getMap('shapes').get('a')).toBe('x');
	});

	it('stops holding as soon as `ready` fails', async () => {
		const { doc, provider, receive } = setup();
		let fail!: () => void;
		const ready = new Promise<void>((_, reject) => (fail = () => reject(new Error('storage blocked'))));
		holdSyncUntil(provider, ready, 60_000);
		receive(step2(serverDoc({ a: 'x' })));
		expect(doc.getMap('shapes').size).toBe(0);
		fail();
		await ready.catch(() => {});
		expect(doc.getMap('shapes').get('a')).toBe('x');
	});

	it('lets messages from other tabs through, and drops those of a socket closed meanwhile', async () => {
		const { doc, provider, receive } = setup();
		const ready = deferred();
		holdSyncUntil(provider, ready.promise, 60_000);
		receive(update(new Y.Doc(), (d) => d.getMap('shapes').set('tab', 'y')), false);
		expect(doc.getMap('shapes').get('tab')).toBe('y');
		receive(step2(serverDoc({ old: 'z' })));
		provider.ws = { send: () => {} } as unknown as WebSocket;
		ready.resolve();
		await ready.promise;
		expect(doc.getMap('shapes').has('old')).toBe(false);
	});

	it('when the local copy loaded after the provider asked, drops the whole-board reply and asks again with what the doc holds', async () => {
		const { doc, provider, sent, receive, ready, server, loadCopy } = reopened();
		receive(step1(server));
		receive(step2(server)); // the reply to the empty step 1: the whole board
		loadCopy();
		sent.length = 0; // the provider sent the loaded copy as an update (the connection withholds that)

		ready.resolve();
		await ready.promise;
		expect(doc.getMap('shapes').has('new')).toBe(false);
		expect(provider.synced).toBe(false);
		const asked = stepOneVectors(sent);
		expect(asked).toEqual([Y.encodeStateVector(doc)]);

		// The server's answer to that: only what this browser lacks.
		const answer = step2(server, asked[0]);
		expect(answer.byteLength).toBeLessThan(step2(server).byteLength);
		receive(answer);
		expect(doc.getMap('shapes').toJSON()).toEqual(server.getMap('shapes').toJSON());
		expect(provider.synced).toBe(true);
	});

	it('drops the whole-board reply also when it comes after the local copy loaded', async () => {
		const { doc, provider, sent, receive, ready, server, loadCopy } = reopened();
		loadCopy();
		sent.length = 0;
		ready.resolve();
		await ready.promise;
		expect(stepOneVectors(sent)).toEqual([Y.encodeStateVector(doc)]); // the question, asked again

		receive(step2(server)); // the late reply to the first question: dropped
		expect(doc.getMap('shapes').has('new')).toBe(false);
		expect(provider.synced).toBe(false);
		receive(step2(server, Y.encodeStateVector(doc)));
		expect(doc.getMap('shapes').get('new')).toBe('only on the server');
		expect(provider.synced).toBe(true);
		// Only that one reply was dropped.
		receive(update(server, (d) => d.getMap('shapes').set('later', 'x')));
		expect(doc.getMap('shapes').get('later')).toBe('x');
	});

	it('keeps the held reply when the doc has not changed since the provider asked (a first visit)', async () => {
		const { doc, provider, sent, receive } = setup();
		const ready = deferred();
		holdSyncUntil(provider, ready.promise, 60_000);
		provider.emit('status', [{ status: 'connected' }]);
		receive(step2(serverDoc({ a: 'x' })));
		ready.resolve();
		await ready.promise;
		expect(doc.getMap('shapes').get('a')).toBe('x');
		expect(provider.synced).toBe(true);
		expect(sent).toEqual([]);
	});

	it('drops what it holds when stopped', async () => {
		const { doc, provider, sent, receive } = setup();
		const ready = deferred();
		const hold = holdSyncUntil(provider, ready.promise, 60_000);
		provider.emit('status', [{ status: 'connected' }]);
		receive(step2(serverDoc({ a: 'x' })));
		doc.getMap('shapes').set('typed', 'meanwhile');
		sent.length = 0;
		hold.stop();
		expect(hold.holding).toBe(false);
		expect(sent).toEqual([]); // a connection being torn down asks nothing more
		ready.resolve();
		await ready.promise;
		expect(doc.getMap('shapes').has('a')).toBe(false);
	});
});
