// Presence relay: states reach peers, vanish when their connection drops (even abruptly), and cannot be spoofed or inflated.
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, MAX_AWARENESS_FRAME_BYTES } from '../../src/lib/shared/wire.ts';
import { decodeAwarenessUpdate, decodeFrame, encodeAwareness, encodeAwarenessUpdate, encodeSyncStep1 } from '../../server/frames.ts';
import { MAX_PRESENCE_BYTES_PER_BOARD, MAX_PRESENCE_STATES_PER_BOARD } from '../../server/rooms/awareness.ts';
import { connectClient, openRaw, type TestClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	await server.stop();
});

async function client(room: string, name?: string) {
	const c = await connectClient(server.wsUrl, room, { awareness: true });
	if (name) c.provider.awareness.setLocalStateField('user', { name, color: '#e11d48' });
	clients.push(c);
	return c;
}

const namesSeenBy = (c: TestClient) =>
	[...c.provider.awareness.getStates().entries()]
		.filter(([id]) => id !== c.doc.clientID)
		.map(([, state]) => (state as { user?: { name: string } }).user?.name);

function awarenessFrame(entries: Array<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
	return encodeAwareness(encodeAwarenessUpdate(entries.map((e) => ({ clientId: e.clientId, clock: e.clock, stateJson: JSON.stringify(e.state) }))));
}

describe('awareness', () => {
	it('relays presence to peers and to late joiners', async () => {
		server = await startTestServer();
		const ada = await client('presence', 'Ada');
		const bob = await client('presence', 'Bob');
		await waitFor(() => namesSeenBy(bob).includes('Ada'), 'Bob to see Ada');
		await waitFor(() => namesSeenBy(ada).includes('Bob'), 'Ada to see Bob');
		const cy = await client('presence', 'Cy');
		await waitFor(() => ['Ada', 'Bob'].every((n) => namesSeenBy(cy).includes(n)), 'the late joiner to see both');
	});

	it('echoes an accepted entry to its sender, which y-websocket counts as a sign of life', async () => {
		server = await startTestServer();
		const raw = await openRaw(server.wsUrl, 'echo');
		await waitFor(() => raw.frames.length >= 1, 'the greeting');
		raw.socket.send(awarenessFrame([{ clientId: 31, clock: 1, state: { user: { name: 'Solo' } } }]));
		await waitFor(() => raw.frames.some((f) => f[0] === 1 && new TextDecoder().decode(f).includes('Solo')), 'the echo');
		raw.socket.close();
	});

	it('removes the presence of a client whose connection dropped without a goodbye', async () => {
		server = await startTestServer();
		const ada = await client('drop', 'Ada');
		const bob = await client('drop', 'Bob');
		await waitFor(() => namesSeenBy(bob).includes('Ada'), 'Bob to see Ada');
		// Abrupt: no awareness removal message, no close frame; the TCP socket just dies.
		ada.provider.shouldConnect = false;
		(ada.provider.ws as unknown as { terminate(): void }).terminate();
		await waitFor(() => !namesSeenBy(bob).includes('Ada'), 'Ada to disappear for Bob', 5_000);
	});

	it('closes a connection that stops answering pings and removes its presence', async () => {
		server = await startTestServer({ pingIntervalMs: 100 });
		const bob = await client('ping', 'Bob');
		const raw = await openRaw(server.wsUrl, 'ping');
		raw.socket.send(awarenessFrame([{ clientId: 777, clock: 1, state: { user: { name: 'Ghost' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('Ghost'), 'Bob to see the ghost');
		// Stop reading: the socket can no longer answer pings, like a peer whose network vanished.
		(raw.socket as unknown as { _socket: { pause(): void } })._socket.pause();
		await waitFor(() => !namesSeenBy(bob).includes('Ghost'), 'the ghost to be dropped after missed pongs', 5_000);
	});

	it('drops entries for client ids a connection did not announce first', async () => {
		server = await startTestServer();
		const bob = await client('spoof', 'Bob');
		const raw = await openRaw(server.wsUrl, 'spoof');
		raw.socket.send(awarenessFrame([{ clientId: 1001, clock: 1, state: { user: { name: 'Mallory' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('Mallory'), 'Bob to see Mallory');
		// Mallory now claims to be Bob (a newer clock for Bob's id) and invents a third person.
		raw.socket.send(
			awarenessFrame([
				{ clientId: bob.doc.clientID, clock: 999, state: { user: { name: 'Fake Bob' } } },
				{ clientId: 4242, clock: 1, state: { user: { name: 'Invented' } } },
				{ clientId: 1001, clock: 2, state: { user: { name: 'Mallory 2' } } }
			])
		);
		await waitFor(() => namesSeenBy(bob).includes('Mallory 2'), 'the legitimate part of the frame to arrive');
		const carol = await client('spoof', 'Carol');
		await waitFor(() => namesSeenBy(carol).includes('Bob'), 'Carol to see Bob');
		expect(namesSeenBy(carol)).not.toContain('Fake Bob');
		expect(namesSeenBy(carol)).not.toContain('Invented');
		expect(namesSeenBy(bob)).not.toContain('Invented');
		expect(bob.provider.awareness.getLocalState()).toMatchObject({ user: { name: 'Bob' } });
	});

	it(`refuses awareness frames over ${MAX_AWARENESS_FRAME_BYTES} bytes`, async () => {
		server = await startTestServer();
		const bob = await client('big', 'Bob');
		const raw = await openRaw(server.wsUrl, 'big');
		raw.socket.send(awarenessFrame([{ clientId: 5, clock: 1, state: { blob: 'x'.repeat(MAX_AWARENESS_FRAME_BYTES) } }]));
		expect((await raw.closed).code).toBe(CloseCode.MessageTooBig);
		const carol = await client('big', 'Carol');
		await waitFor(() => namesSeenBy(carol).includes('Bob'), 'the room to keep relaying presence');
		expect(namesSeenBy(carol)).toHaveLength(1);
	});

	it('keeps a live client id with the connection that announced it first, whatever clock another connection sends', async () => {
		server = await startTestServer();
		const bob = await client('hijack', 'Bob');
		const watcher = await client('hijack', 'Watcher');
		await waitFor(() => namesSeenBy(watcher).includes('Bob'), 'the watcher to see Bob');
		// Mallory's very first entry claims Bob's live id, with the largest clock a client can hold.
		const raw = await openRaw(server.wsUrl, 'hijack');
		raw.socket.send(awarenessFrame([{ clientId: bob.doc.clientID, clock: Number.MAX_SAFE_INTEGER, state: { user: { name: 'Fake Bob' } } }]));
		// Bob's own next change still reaches everyone: his id (and its clock) are still his.
		bob.provider.awareness.setLocalStateField('user', { name: 'Bob 2', color: '#e11d48' });
		await waitFor(() => namesSeenBy(watcher).includes('Bob 2'), "Bob's own change to arrive");
		const carol = await client('hijack', 'Carol');
		await waitFor(() => namesSeenBy(carol).includes('Bob 2'), 'Carol to see Bob');
		expect(namesSeenBy(carol)).not.toContain('Fake Bob');
		expect(namesSeenBy(watcher)).not.toContain('Fake Bob');
		expect(bob.provider.awareness.getLocalState()).toMatchObject({ user: { name: 'Bob 2' } });
		raw.socket.close();
	});

	it('refuses clocks past 2^31 or far ahead of the stored one, from the owner too', async () => {
		server = await startTestServer();
		const bob = await client('clocks', 'Bob');
		const raw = await openRaw(server.wsUrl, 'clocks');
		raw.socket.send(awarenessFrame([{ clientId: 500, clock: 1, state: { user: { name: 'Eve 1' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('Eve 1'), 'Bob to see Eve');
		raw.socket.send(awarenessFrame([{ clientId: 500, clock: 1 + 2 ** 20 + 1, state: { user: { name: 'Eve jump' } } }]));
		raw.socket.send(awarenessFrame([{ clientId: 500, clock: 2, state: { user: { name: 'Eve 2' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('Eve 2'), "Eve's next ordinary clock to be accepted");
		expect(namesSeenBy(bob)).not.toContain('Eve jump');
		const other = await openRaw(server.wsUrl, 'clocks');
		other.socket.send(awarenessFrame([{ clientId: 600, clock: 2 ** 31 + 1, state: { user: { name: 'Huge' } } }]));
		other.socket.send(awarenessFrame([{ clientId: 600, clock: 3, state: { user: { name: 'Small' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('Small'), 'the bounded clock to be accepted');
		expect(namesSeenBy(bob)).not.toContain('Huge');
		raw.socket.close();
		other.socket.close();
	});

	it('answers awareness queries at most once a second per connection, coalescing the rest', async () => {
		server = await startTestServer();
		await client('query', 'Bob');
		const raw = await openRaw(server.wsUrl, 'query');
		await waitFor(() => raw.frames.some((f) => f[0] === 1), 'the presence sent on join');
		const awarenessFrames = () => raw.frames.filter((f) => f[0] === 1).length;
		const before = awarenessFrames();
		for (let i = 0; i < 50; i++) raw.socket.send(new Uint8Array([3]));
		// One answer at once, one for all the queries that came within the interval.
		await waitFor(() => awarenessFrames() === before + 2, 'the immediate and the coalesced answer');
		// A sync round trip after it: anything else the queries caused would have arrived by now.
		const frames = raw.frames.length;
		raw.socket.send(encodeSyncStep1(new Uint8Array([0])));
		await waitFor(() => raw.frames.length > frames, 'the sync reply');
		expect(awarenessFrames()).toBe(before + 2);
		raw.socket.close();
	});

	it("caps the board's presence in bytes; other boards' presence is unaffected", async () => {
		server = await startTestServer();
		const bob = await client('crowded', 'Bob');
		const big = 'x'.repeat(30 * 1024);
		const count = Math.ceil(MAX_PRESENCE_BYTES_PER_BOARD / big.length) + 3;
		const sockets = [];
		for (let i = 0; i < count; i++) {
			const raw = await openRaw(server.wsUrl, 'crowded');
			raw.socket.send(awarenessFrame([{ clientId: 10_000 + i, clock: 1, state: { user: { name: `Big ${i}` }, pad: big } }]));
			sockets.push(raw);
		}
		// The last one is past the cap: a sync round trip on its socket shows its entry was handled.
		const last = sockets[sockets.length - 1]!;
		const frames = last.frames.length;
		last.socket.send(encodeSyncStep1(new Uint8Array([0])));
		await waitFor(() => last.frames.length > frames, 'the sync reply');
		await waitFor(() => namesSeenBy(bob).includes('Big 0'), 'the first states to arrive');
		expect(namesSeenBy(bob)).not.toContain(`Big ${count - 1}`);
		expect(namesSeenBy(bob).length).toBeLessThan(count);
		const ada = await client('calm', 'Ada');
		const cy = await client('calm', 'Cy');
		await waitFor(() => namesSeenBy(cy).includes('Ada'), 'presence on another board');
		for (const raw of sockets) raw.socket.close();
	});

	it('never relays a state for an id to another connection that announced the same id', async () => {
		server = await startTestServer();
		const bob = await client('owner', 'Bob');
		const mallory = await openRaw(server.wsUrl, 'owner');
		mallory.socket.send(awarenessFrame([{ clientId: 900, clock: 1, state: { user: { name: 'M1' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('M1'), 'Bob to see the first owner of 900');
		// The client whose id 900 is (reconnecting, say) is refused while Mallory's socket lives…
		const owner = await openRaw(server.wsUrl, 'owner');
		owner.socket.send(awarenessFrame([{ clientId: 900, clock: 5, state: { user: { name: 'Real' } } }]));
		mallory.socket.send(awarenessFrame([{ clientId: 900, clock: 2, state: { user: { name: 'M2' } } }]));
		await waitFor(() => namesSeenBy(bob).includes('M2'), "Mallory's next state to reach Bob");
		const frames = owner.frames.length;
		owner.socket.send(encodeSyncStep1(new Uint8Array([0])));
		await waitFor(() => owner.frames.length > frames, 'a round trip after it');
		// …and is never sent a state for its own id, which its client would adopt as its own.
		const statesFor900 = owner.frames
			.map((f) => decodeFrame(f))
			.flatMap((frame) => (frame.kind === 'awareness' ? decodeAwarenessUpdate(frame.update) : []))
			.filter((entry) => entry.clientId === 900 && entry.stateJson.includes('M2'));
		expect(statesFor900).toEqual([]);
		expect(namesSeenBy(bob)).not.toContain('Real');
		mallory.socket.close();
		owner.socket.close();
	});

	it(`holds at most ${MAX_PRESENCE_STATES_PER_BOARD} presence states per board`, async () => {
		server = await startTestServer({ limits: { maxConnectionsPerAddress: 1_000 } });
		const bob = await client('many', 'Bob');
		const sockets = await Promise.all(Array.from({ length: MAX_PRESENCE_STATES_PER_BOARD + 4 }, () => openRaw(server.wsUrl, 'many')));
		for (const [i, raw] of sockets.entries()) raw.socket.send(awarenessFrame([{ clientId: 20_000 + i, clock: 1, state: { user: { name: `N${i}` } } }]));
		// Round trips on every socket: each one's entry has been handled.
		for (const raw of sockets) raw.socket.send(encodeSyncStep1(new Uint8Array([0])));
		await waitFor(() => sockets.every((raw) => raw.frames.some((f) => f[0] === 0 && f[1] === 1)), 'every socket to be answered');
		const carol = await client('many', 'Carol');
		await waitFor(() => namesSeenBy(carol).includes('Bob'), 'Carol to see Bob');
		expect(carol.provider.awareness.getStates().size).toBeLessThanOrEqual(MAX_PRESENCE_STATES_PER_BOARD + 1);
		for (const raw of sockets) raw.socket.close();
	});
});
