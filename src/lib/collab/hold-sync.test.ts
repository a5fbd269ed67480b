import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import NodeWebSocket from 'ws';
import { holdSyncUntil } from './hold-sync';

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

function step2(from: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	syncProtocol.writeSyncStep2(encoder, from);
	return encoding.toUint8Array(encoder);
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

afterEach(() => {
	vi.useRealTimers();
});

describe('holdSyncUntil', () => {
	it('handles the server messages only once ready, in order, and the provider is synced only then', async () => {
		const { doc, provider, receive } = setup();
		const ready = deferred();
		holdSyncUntil(provider, ready.promise, 60_000);
		const server = serverDoc({ a: 'first' });
		receive(step2(server));
		receive(update(server, (d) => d.getMap('shapes').set('a', 'second')));
		expect(doc.getMap('shapes').size).toBe(0);
		expect(provider.synced).toBe(false);

		ready.resolve();
		await ready.promise;
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

	it('drops what it holds when stopped', async () => {
		const { doc, provider, receive } = setup();
		const ready = deferred();
		const stop = holdSyncUntil(provider, ready.promise, 60_000);
		receive(step2(serverDoc({ a: 'x' })));
		stop();
		ready.resolve();
		await ready.promise;
		expect(doc.getMap('shapes').size).toBe(0);
	});
});
