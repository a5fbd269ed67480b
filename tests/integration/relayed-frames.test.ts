// Relayed updates reach every peer byte for byte, whatever length encoding their WebSocket frame needs.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_SYNC, SYNC_UPDATE } from '../../src/lib/shared/wire.ts';
import { encodeUpdate } from '../../server/frames.ts';
import { openRaw, type RawSocket } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
const sockets: RawSocket[] = [];

afterEach(async () => {
	for (const s of sockets.splice(0)) s.socket.terminate();
	await server?.stop();
});

/**
 * An update frame of exactly `length` bytes, from its own client id so the server finds it new.
 * 125 and 126 are the last 7-bit and first 16-bit payload lengths, 65535 and 65536 the last 16-bit
 * and first 64-bit ones (RFC 6455 §5.2).
 */
function updateFrameOf(length: number, clientID: number): Uint8Array {
	for (let text = length; text > 0; text--) {
		const doc = new Y.Doc();
		doc.clientID = clientID;
		doc.getText('t').insert(0, 'x'.repeat(text));
		const frame = encodeUpdate(Y.encodeStateAsUpdate(doc));
		if (frame.byteLength === length) return frame;
	}
	throw new Error(`no update frame of ${length} bytes`);
}

/** Lengths first (a readable failure), then the bytes (vitest's deep equality walks 200 KB arrays slowly). */
function expectSameFrames(received: Uint8Array[], sent: Uint8Array[]): void {
	expect(received.map((f) => f.byteLength)).toEqual(sent.map((f) => f.byteLength));
	expect(received.every((f, i) => Buffer.compare(f, sent[i]!) === 0)).toBe(true);
}

const updatesIn = (socket: RawSocket) => socket.frames.filter((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_UPDATE);

async function room(name: string): Promise<{ writer: RawSocket; readers: RawSocket[] }> {
	server = await startTestServer();
	const [writer, ...readers] = await Promise.all([0, 1, 2].map(() => openRaw(server.wsUrl, name)));
	sockets.push(writer!, ...readers);
	// Joined once the server greeted them (its sync step 1): only then are they among the room's peers.
	await waitFor(() => [writer!, ...readers].every((s) => s.frames.length > 0), 'the server to greet every socket');
	return { writer: writer!, readers };
}

describe('relayed frames', () => {
	// Two of one length: a frame built once for all peers must still be built anew for the next update.
	const lengths = [125, 125, 126, 127, 1_000, 65_535, 65_536, 200_000];

	it('reach every peer intact when each update arrives on its own', async () => {
		const { writer, readers } = await room('one-by-one');
		const sent: Uint8Array[] = [];
		for (const [i, length] of lengths.entries()) {
			const frame = updateFrameOf(length, 1000 + i);
			sent.push(frame);
			writer.socket.send(frame);
			await waitFor(() => readers.every((r) => updatesIn(r).length === sent.length), `the ${length}-byte update to reach both readers`);
		}
		for (const reader of readers) expectSameFrames(updatesIn(reader), sent);
		expect(updatesIn(writer)).toEqual([]);
	});

	it('reach every peer intact and in order when several arrive in one tick', async () => {
		const { writer, readers } = await room('batched');
		const sent = lengths.map((length, i) => updateFrameOf(length, 2000 + i));
		for (const frame of sent) writer.socket.send(frame);
		await waitFor(() => readers.every((r) => updatesIn(r).length === sent.length), 'every update to reach both readers');
		for (const reader of readers) expectSameFrames(updatesIn(reader), sent);
	});
});
