// The browser's board session in Node against real servers: it goes through its lifecycle in order, "saved"
// means stored on the server, it reconnects by itself and pushes what was drawn meanwhile, and a fatal close stops it.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Phase } from '../../src/lib/collab/session.svelte.ts';
import { connectClient } from '../helpers/clients.ts';
import { nodeSession } from './node-session.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { heldAppends, startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `ws`'s WebSocket, recording what the session sends and how many sockets it opens. */
function recordingSocket() {
	const sent: Uint8Array[] = [];
	let opened = 0;
	class RecordingSocket extends WebSocket {
		constructor(url: string) {
			super(url);
			opened++;
		}
		override send(data: Uint8Array): void {
			sent.push(new Uint8Array(data));
			super.send(data);
		}
	}
	return { Socket: RecordingSocket as unknown as typeof globalThis.WebSocket, sent, opened: () => opened };
}

/** A session as the board page makes one, minus what Node lacks (IndexedDB, the page's origin for the preview). */
function openSession(wsUrl: string, room: string, doc = new Y.Doc()) {
	const phases: Phase[] = [];
	const socket = recordingSocket();
	const session = nodeSession(wsUrl, room, doc, {
		WebSocket: socket.Socket,
		identity: { name: 'Node', color: '#1971c2' },
		onPhase: (phase) => phases.push(phase)
	});
	cleanups.push(() => session.destroy());
	return { doc, session, phases, socket, shapes: doc.getMap<unknown>('shapes') };
}

describe('lifecycle', () => {
	it('goes local copy → preview → sync → live, then offline → retry → sync → live across a restart', async () => {
		const first: ServerProcess = await startServerProcess();
		const client = openSession(first.wsUrl, 'lifecycle');
		await waitFor(() => client.session.phase === 'live', 'the session to go live');
		expect(client.phases).toEqual(['preview', 'sync', 'live']); // it starts in 'local-copy'
		expect(client.session.status).toBe('connected');

		first.child.kill('SIGKILL');
		await first.exited;
		await waitFor(() => client.session.phase === 'offline', 'the session to notice');
		expect(client.session.status).toBe('offline');
		const second = await startServerProcess({ dataDir: first.dataDir, port: first.port });
		cleanups.push(() => second.child.kill('SIGKILL'));
		client.session.retryNow();
		await waitFor(() => client.session.phase === 'live', 'the session to be live again', 20_000);
		const afterRestart = client.phases.slice(3);
		expect(afterRestart[0]).toBe('offline');
		// Retries that fail go back offline; the one that works syncs and goes live.
		expect(afterRestart.slice(-3)).toEqual(['retry', 'sync', 'live']);
		for (let i = 1; i < afterRestart.length - 3; i++) expect(afterRestart[i]).toBe(i % 2 === 1 ? 'retry' : 'offline');
	});
});

describe('saved indicator', () => {
	it('says saved only once the server has stored the change', async () => {
		const dataDir = tempDataDir();
		let gate = false;
		const { storage, held } = heldAppends(dataDir, () => gate);
		const server: TestServer = await startTestServer({ storage, dataDir });
		cleanups.push(() => server.stop());
		const client = openSession(server.wsUrl, 'saving');
		await waitFor(() => client.session.status === 'connected', 'the first sync');
		expect(client.session.save).toBe('saved');
		// Someone else on the board, to see our frames pass through the server.
		const peer = await connectClient(server.wsUrl, 'saving', { awareness: true });
		cleanups.push(() => peer.destroy());

		gate = true;
		client.shapes.set('a', 1);
		expect(client.session.save).toBe('saving');
		await waitFor(() => held.length === 1, 'the append to reach storage');
		// The confirmation request goes out, and reaches the server: a frame sent after it is relayed to the peer.
		const questions = () => client.socket.sent.filter((f) => f[0] === 0 && f[1] === 0).length;
		const asked = questions();
		await waitFor(() => questions() > asked, 'the confirmation request', 5_000);
		const me = client.session.presence;
		let echoed = false;
		peer.provider.awareness.on('change', () => (echoed ||= peer.provider.awareness.getStates().get(me.clientId)?.user?.name === 'Ada'));
		me.rename('Ada');
		await waitFor(() => echoed, 'the rename to pass through the server');
		expect(client.session.save).toBe('saving');

		held.shift()!();
		await waitFor(() => client.session.save === 'saved', 'saved after the append');
		expect((await storage.load('saving')).updates.length).toBeGreaterThan(0);
	});
});

describe('reconnection', () => {
	it('reconnects by itself after the server restarts and pushes what was drawn meanwhile', async () => {
		const first: ServerProcess = await startServerProcess();
		const client = openSession(first.wsUrl, 'restart');
		await waitFor(() => client.session.status === 'connected', 'the first sync');
		client.shapes.set('before', 1);
		await waitFor(() => client.session.save === 'saved', 'the first change to be saved');

		first.child.kill('SIGKILL');
		await first.exited;
		await waitFor(() => client.session.status === 'offline', 'the session to notice');
		client.shapes.set('offline', 2);
		expect(client.session.save).toBe('unsaved');
		expect(client.session.unsafeToClose).toBe(true); // no local copy in Node

		const second = await startServerProcess({ dataDir: first.dataDir, port: first.port });
		cleanups.push(() => second.child.kill('SIGKILL'));
		await waitFor(() => client.session.save === 'saved', 'the offline change to be saved after reconnecting', 20_000);
		expect(client.session.unsafeToClose).toBe(false);
		const fresh = await connectClient(second.wsUrl, 'restart');
		cleanups.push(() => fresh.destroy());
		expect(fresh.shapes.toJSON()).toEqual({ before: 1, offline: 2 });
	});

	it('stops after a fatal close, retries no more, and says why', async () => {
		const server = await startTestServer({ maxFrameBytes: 64 * 1024 });
		cleanups.push(() => server.stop());
		const client = openSession(server.wsUrl, 'fatal');
		await waitFor(() => client.session.status === 'connected', 'the first sync');
		client.shapes.set('huge', 'x'.repeat(100 * 1024));
		await waitFor(() => client.session.status === 'stopped', 'the session to give up');
		expect(client.phases.at(-1)).toBe('stopped');
		expect(client.session.lastCloseCode).toBe(1009);
		expect(client.session.retryState.nextAttemptAt).toBeNull();
		expect(client.session.message).toMatch(/too large/);
		client.session.retryNow();
		expect(client.socket.opened()).toBe(1);
	});
});
