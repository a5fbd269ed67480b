// The provider's message path on real sockets, against a server the test scripts frame by frame: the hold and
// its stale reply, presence in and out, the liveness check, and tabs of one browser in step without a server.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { presenceMessage, syncMessage } from '$lib/collab/messages';
import { SyncProvider, type ProviderOptions } from '$lib/collab/provider';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from '$lib/shared/wire';

/** Waits on a condition, never on the clock (tests/helpers/wait.ts, which src may not import). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000, intervalMs = 10): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface ServerSide {
	socket: WebSocket;
	/** Frames the provider sent on this socket, in order. */
	received: Uint8Array[];
	send(frame: Uint8Array): void;
}

/** A stand-in for the sync server that says only what the test tells it to, on real sockets. */
async function scriptedServer() {
	const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
	await once(wss, 'listening');
	const sockets: ServerSide[] = [];
	/** The `token` query parameter of each socket, in order of connection. */
	const tokens: Array<string | null> = [];
	wss.on('connection', (socket, request) => {
		tokens.push(new URL(request.url ?? '/', 'http://x').searchParams.get('token'));
		const side: ServerSide = { socket, received: [], send: (frame) => socket.send(frame) };
		socket.on('message', (data: Buffer) => side.received.push(new Uint8Array(data)));
		sockets.push(side);
	});
	cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
	const { port } = wss.address() as AddressInfo;
	return { url: `ws://127.0.0.1:${port}/ws/room`, sockets, tokens };
}

/** A provider as the session wires it: every change of the doc goes to `sendUpdate`. */
function connect(url: string, options: ProviderOptions = {}, doc = new Y.Doc()) {
	const provider = new SyncProvider(doc, url, { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, random: () => 0, ...options });
	doc.on('update', (update: Uint8Array, origin: unknown) => provider.sendUpdate(update, origin));
	cleanups.push(() => provider.destroy());
	return { doc, provider, shapes: doc.getMap<string>('shapes') };
}

function serverDoc(entries: Record<string, string>): Y.Doc {
	const doc = new Y.Doc();
	for (const [key, value] of Object.entries(entries)) doc.getMap('shapes').set(key, value);
	return doc;
}

/** Sync subtype and payload of a frame, or null for any other message. */
function readSync(frame: Uint8Array): { subtype: number; payload: Uint8Array } | null {
	const decoder = decoding.createDecoder(frame);
	if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
	return { subtype: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) };
}

const questions = (side: ServerSide) => side.received.map(readSync).filter((m) => m?.subtype === SYNC_STEP1).map((m) => m!.payload);
const replies = (side: ServerSide) => side.received.map(readSync).filter((m) => m?.subtype === SYNC_STEP2).map((m) => m!.payload);

/** An awareness frame carrying `doc`'s client id in `state` (null: gone). */
function presenceOf(doc: Y.Doc, state: Record<string, unknown> | null): Uint8Array {
	const awareness = new awarenessProtocol.Awareness(doc);
	awareness.setLocalState(state);
	const frame = presenceMessage(awareness);
	awareness.destroy();
	return frame;
}


/** Opens a held provider on a scripted server; resolves once the server has its first question. */
async function heldClient(doc = new Y.Doc()) {
	const server = await scriptedServer();
	const client = connect(server.url, { holdSync: true }, doc);
	await waitFor(() => server.sockets[0] !== undefined && questions(server.sockets[0]).length === 1, 'the provider’s first question');
	return { server, side: server.sockets[0]!, ...client };
}

describe('the hold stage', () => {
	it('handles the server’s sync messages only once released, in order, replies included; presence passes meanwhile', async () => {
		// Typed offline before the page connected: the server lacks it.
		const { side, doc, provider, shapes } = await heldClient(serverDoc({ mine: 'typed offline' }));
		const board = serverDoc({ a: 'first' });
		side.send(syncMessage(SYNC_STEP1, Y.encodeStateVector(board)));
		side.send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(board)));
		const before = Y.encodeStateVector(board);
		board.getMap('shapes').set('a', 'second');
		side.send(syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(board, before)));
		const peer = new Y.Doc();
		side.send(presenceOf(peer, { user: { name: 'Peer', color: '#e03131' } }));
		// The presence frame came after the sync frames on the same socket: they have arrived too.
		await waitFor(() => provider.awareness.getStates().has(peer.clientID), 'the peer’s presence');
		expect(shapes.has('a')).toBe(false);
		expect(provider.synced).toBe(false);
		expect(replies(side)).toEqual([]);

		provider.releaseHold();
		expect(shapes.get('a')).toBe('second');
		expect(provider.synced).toBe(true);
		expect(doc.getMap('shapes').size).toBe(2);
		// The reply to the server's held question carries what it lacks, sent when the question was handled.
		await waitFor(() => replies(side).length === 1, 'the reply to the held step 1');
		const copy = serverDoc({});
		Y.applyUpdate(copy, replies(side)[0]!);
		expect(copy.getMap('shapes').get('mine')).toBe('typed offline');
		// Released: later messages are handled at once.
		side.send(syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(serverDoc({ b: 'later' }))));
		await waitFor(() => shapes.get('b') === 'later', 'a later update');
	});

	it('when this browser’s copy loaded after the provider asked, drops the whole-board reply and asks again with what the doc holds', async () => {
		for (const replyFirst of [true, false]) {
			const { side, doc, provider, shapes } = await heldClient();
			const board = serverDoc({ kept: 'in this browser too' });
			const storedCopy = Y.encodeStateAsUpdate(board);
			board.getMap('shapes').set('new', 'only on the server');
			// The reply to the empty first question (the whole board), held or still on its way.
			const wholeBoard = syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(board, questions(side)[0]));
			if (replyFirst) {
				side.send(wholeBoard);
				const peer = new Y.Doc();
				side.send(presenceOf(peer, { user: { name: 'Peer', color: '#e03131' } }));
				await waitFor(() => provider.awareness.getStates().has(peer.clientID), 'the reply to be held');
			}
			Y.applyUpdate(doc, storedCopy, 'local copy');

			provider.releaseHold();
			await waitFor(() => questions(side).length === 2, 'the question asked again');
			expect(questions(side)[1]).toEqual(Y.encodeStateVector(doc));
			if (!replyFirst) side.send(wholeBoard);
			side.send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(board, questions(side)[1])));
			await waitFor(() => provider.synced, 'the answer to the new question');
			expect(shapes.toJSON()).toEqual(board.getMap('shapes').toJSON());
			// Only one reply was dropped: later ones are applied.
			side.send(syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(serverDoc({ later: 'x' }))));
			await waitFor(() => shapes.get('later') === 'x', 'a later update');
		}
	});

	it('keeps the held reply when the doc has not changed since the provider asked (a first visit), and asks nothing more', async () => {
		const { side, provider, shapes } = await heldClient();
		side.send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(serverDoc({ a: 'x' }))));
		const peer = new Y.Doc();
		side.send(presenceOf(peer, { user: { name: 'Peer', color: '#e03131' } }));
		await waitFor(() => provider.awareness.getStates().has(peer.clientID), 'the frames to arrive');
		provider.releaseHold();
		expect(shapes.get('a')).toBe('x');
		expect(provider.synced).toBe(true);
		expect(questions(side)).toHaveLength(1);
	});
});

describe('presence', () => {
	it('sends our own entry on connecting, our removal before closing, and forgets everyone else when the socket closes', async () => {
		const server = await scriptedServer();
		const { provider } = connect(server.url);
		provider.awareness.setLocalState({ user: { name: 'Me', color: '#1971c2' } });
		await waitFor(() => server.sockets[0]?.received.length === 2, 'the question and our presence');
		const side = server.sockets[0]!;
		const theirs = new awarenessProtocol.Awareness(new Y.Doc());
		const applyTo = (frame: Uint8Array) => {
			const decoder = decoding.createDecoder(frame);
			if (decoding.readVarUint(decoder) === MESSAGE_AWARENESS) awarenessProtocol.applyAwarenessUpdate(theirs, decoding.readVarUint8Array(decoder), 'server');
		};
		side.received.forEach(applyTo);
		expect(theirs.getStates().get(provider.awareness.clientID)).toEqual({ user: { name: 'Me', color: '#1971c2' } });

		const peer = new Y.Doc();
		side.send(presenceOf(peer, { user: { name: 'Peer', color: '#e03131' } }));
		await waitFor(() => provider.awareness.getStates().has(peer.clientID), 'the peer’s presence');
		side.socket.close(1001);
		await waitFor(() => provider.socketState !== 'open', 'the close');
		expect(provider.awareness.getStates().has(peer.clientID)).toBe(false);

		await waitFor(() => server.sockets[1]?.received.length === 2, 'the reconnection', 5_000);
		const again = server.sockets[1]!;
		const before = again.received.length;
		const closed = once(again.socket, 'close');
		provider.destroy();
		await closed;
		again.received.slice(before).forEach(applyTo);
		expect(theirs.getStates().has(provider.awareness.clientID)).toBe(false);
		theirs.destroy();
	});
});

describe('liveness', () => {
	it('replaces a socket that heard nothing for the liveness timeout', async () => {
		const server = await scriptedServer();
		const { provider } = connect(server.url, { livenessTimeoutMs: 200 });
		await waitFor(() => server.sockets.length === 1 && provider.socketState === 'open', 'the first socket');
		await waitFor(() => server.sockets.length === 2, 'a second socket after the first went quiet', 5_000);
		expect(server.sockets[0]!.socket.readyState).not.toBe(WebSocket.OPEN);
		expect(provider.retryState.attempt).toBeGreaterThan(0);
	});

	it('keeps a socket that keeps hearing from the server', async () => {
		const server = await scriptedServer();
		const { provider } = connect(server.url, { livenessTimeoutMs: 600 });
		await waitFor(() => server.sockets.length === 1 && provider.socketState === 'open', 'the first socket');
		const peer = new Y.Doc();
		let sent = 0;
		// Not a wait for anything: renewals paced every 50 ms, as the server's echoes would come, over three timeouts.
		await waitFor(
			() => {
				server.sockets[0]!.send(presenceOf(peer, { user: { name: 'Peer', color: '#e03131' }, n: sent++ }));
				return sent >= 36;
			},
			'the renewals',
			10_000,
			50
		);
		expect(server.sockets).toHaveLength(1);
		expect(provider.socketState).toBe('open');
	});
});

describe('heartbeat', () => {
	const heartbeats = (side: ServerSide) => side.received.filter((frame) => frame.length === 1 && frame[0] === MESSAGE_QUERY_AWARENESS).length;

	/** A provider whose first socket is synced (the server answered its question), the heartbeat on a short clock. */
	async function synced(options: ProviderOptions) {
		const server = await scriptedServer();
		const { provider } = connect(server.url, { livenessTimeoutMs: 60_000, ...options });
		await waitFor(() => server.sockets.length === 1 && questions(server.sockets[0]!).length === 1, 'the first question');
		server.sockets[0]!.send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(new Y.Doc())));
		await waitFor(() => provider.synced, 'the first sync');
		return { server, provider, side: server.sockets[0]! };
	}

	it('asks a quiet synced socket for presence, and replaces it when no answer comes', async () => {
		const { server, provider, side } = await synced({ heartbeatIntervalMs: 100, heartbeatTimeoutMs: 300 });
		await waitFor(() => heartbeats(side) === 1, 'a heartbeat (an awareness query) on the quiet socket', 5_000);
		await waitFor(() => provider.socketState !== 'open', 'the unanswered socket closed', 5_000);
		// The close reaches the server's side of the socket a moment later.
		await waitFor(() => side.socket.readyState !== WebSocket.OPEN, 'the server to see the socket closed');
		expect(provider.retryState.attempt).toBeGreaterThan(0);
		await waitFor(() => server.sockets.length === 2, 'a new socket');
	});

	it('keeps a synced socket whose heartbeats the server answers, as a y-websocket server does', async () => {
		const { provider, side } = await synced({ heartbeatIntervalMs: 100, heartbeatTimeoutMs: 300 });
		// Answer each awareness query with an awareness frame, as the server does.
		const peer = new Y.Doc();
		side.socket.on('message', (data: Buffer) => {
			if (data.length === 1 && data[0] === MESSAGE_QUERY_AWARENESS) side.send(presenceOf(peer, { user: { name: 'Peer', color: '#e03131' } }));
		});
		await waitFor(() => heartbeats(side) >= 8, 'eight answered heartbeats, over twice the timeout', 10_000);
		expect(provider.socketState).toBe('open');
		expect(provider.synced).toBe(true);
	});

	it('sends no heartbeat before the first sync (the whole board may still be on its way)', async () => {
		const server = await scriptedServer();
		const { provider } = connect(server.url, { livenessTimeoutMs: 60_000, heartbeatIntervalMs: 50, heartbeatTimeoutMs: 100 });
		await waitFor(() => server.sockets.length === 1 && provider.socketState === 'open', 'the first socket');
		// An absence cannot be waited for: eight heartbeat intervals pass, and none may have gone out.
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(heartbeats(server.sockets[0]!)).toBe(0);
		expect(provider.socketState).toBe('open');
	});

	it('closes the socket at once when the browser says the network is gone, and retries', async () => {
		const { provider, side } = await synced({});
		provider.networkLost();
		expect(provider.socketState).toBe('closed');
		expect(provider.retryState.attempt).toBeGreaterThan(0);
		await waitFor(() => side.socket.readyState !== WebSocket.OPEN, 'the socket closed on the server');
	});
});

describe('tabs of one browser', () => {
	it('keep each other in step with no server, and do not count each other’s changes as their own', async () => {
		// Nothing listens there: only the tabs' channel can carry the change.
		const url = `ws://127.0.0.1:9/ws/tabs-${Math.random().toString(36).slice(2)}`;
		const a = connect(url, { shareWithTabs: true });
		const b = connect(url, { shareWithTabs: true });
		a.provider.awareness.setLocalState({ user: { name: 'Tab A', color: '#1971c2' } });
		a.shapes.set('drawn', 'in tab A');
		await waitFor(() => b.shapes.get('drawn') === 'in tab A', 'the change to reach the other tab');
		await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'tab A’s presence in tab B');
		expect(a.provider.saves.unconfirmed).toBe(1);
		expect(b.provider.saves.unconfirmed).toBe(0);

		// A third tab opened later asks the others and gets the board from them.
		const c = connect(url, { shareWithTabs: true });
		await waitFor(() => c.shapes.get('drawn') === 'in tab A', 'the board to reach a new tab');
	});
});

describe('tokens and read-only', () => {
	const updatesSent = (side: ServerSide) => side.received.map(readSync).filter((m) => m?.subtype === SYNC_UPDATE);

	it('opens the socket with ?token=, and a read-only provider answers the server’s step 1 with nothing and sends no change, only its question and presence', async () => {
		const server = await scriptedServer();
		// A viewer whose copy holds a change the server lacks.
		const { provider, shapes } = connect(server.url, { token: 'vABC-_123', readOnly: true }, serverDoc({ mine: 'kept offline' }));
		provider.awareness.setLocalState({ user: { name: 'Viewer', color: '#1971c2' } });
		await waitFor(() => server.sockets[0] !== undefined && questions(server.sockets[0]).length === 1, 'the viewer’s question');
		const side = server.sockets[0]!;
		expect(server.tokens).toEqual(['vABC-_123']);
		const board = serverDoc({ a: 'on the server' });
		side.send(syncMessage(SYNC_STEP1, Y.encodeStateVector(board)));
		side.send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(board)));
		await waitFor(() => provider.synced, 'the sync');
		expect(shapes.get('a')).toBe('on the server');
		shapes.set('drawn', 'by the viewer');
		// Presence still flows: a frame sent after the change arrives after anything the change would have sent.
		provider.awareness.setLocalStateField('user', { name: 'Viewer 2', color: '#1971c2' });
		await waitFor(() => side.received.filter((f) => f[0] === MESSAGE_AWARENESS).length >= 2, 'the renamed presence');
		expect(replies(side)).toEqual([]);
		expect(updatesSent(side)).toEqual([]);
		expect(provider.saves.unconfirmed).toBe(0);
	});

	it('a writable provider answers the same step 1 with what the server lacks (the test above would see it)', async () => {
		const server = await scriptedServer();
		const { provider } = connect(server.url, { token: 'eABC' }, serverDoc({ mine: 'kept offline' }));
		await waitFor(() => server.sockets[0] !== undefined && questions(server.sockets[0]).length === 1, 'the question');
		const side = server.sockets[0]!;
		side.send(syncMessage(SYNC_STEP1, Y.encodeStateVector(new Y.Doc())));
		await waitFor(() => replies(side).length === 1, 'the reply');
		const copy = serverDoc({});
		Y.applyUpdate(copy, replies(side)[0]!);
		expect(copy.getMap('shapes').get('mine')).toBe('kept offline');
		expect(provider.token).toBe('eABC');
	});

	it('stops for good on 4001 and 4002, and connectWith opens a new socket with the new token', async () => {
		for (const code of [4001, 4002]) {
			const server = await scriptedServer();
			const { provider } = connect(server.url, { token: 'old' });
			await waitFor(() => provider.socketState === 'open', 'the first socket');
			server.sockets[0]!.socket.close(code, 'link reset');
			await waitFor(() => provider.fatalClose !== null, 'the close');
			expect(provider.fatalClose).toEqual({ code, reason: 'link reset' });
			expect(provider.retryState.nextAttemptAt).toBeNull();

			provider.connectWith('new');
			await waitFor(() => provider.socketState === 'open', 'the socket with the new token');
			expect(server.sockets).toHaveLength(2);
			expect(provider.fatalClose).toBeNull();
			expect(server.tokens).toEqual(['old', 'new']);
		}
	});

	it('disconnect closes the socket and opens no other until connectWith', async () => {
		const server = await scriptedServer();
		const { provider } = connect(server.url, { deferConnect: true });
		provider.connectWith(null);
		await waitFor(() => provider.socketState === 'open', 'the socket');
		provider.disconnect();
		expect(provider.socketState).toBe('closed');
		expect(provider.retryState.nextAttemptAt).toBeNull();
		provider.connectWith('t2');
		await waitFor(() => provider.socketState === 'open', 'the socket with a token');
		expect(server.tokens).toEqual([null, 't2']);
	});
});
