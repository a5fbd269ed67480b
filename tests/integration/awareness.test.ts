// Presence relay: states reach peers, vanish when their connection drops (even abruptly), and cannot be spoofed or inflated.
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, MAX_AWARENESS_FRAME_BYTES } from '../../src/lib/shared/wire.ts';
import { encodeAwareness, encodeAwarenessUpdate } from '../../server/frames.ts';
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
});
