// Links: claiming a board, edit and view links for stock clients, viewers who write nothing, resets that close old sockets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MESSAGE_AUTH } from '../../src/lib/shared/wire.ts';
import { OpenedClients } from '../helpers/clients.ts';
import { startTestServer, storedShapes, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { encodeAwareness, encodeAwarenessUpdate, encodeSyncStep1, encodeUpdate } from '../../server/frames.ts';

let server: TestServer;
const opened = new OpenedClients(() => server.wsUrl);
const client = opened.client.bind(opened);
const raw = opened.raw.bind(opened);

afterEach(async () => {
	opened.closeAll();
	vi.restoreAllMocks();
	await server?.stop();
});

interface Claimed {
	token: string;
	links: { edit: string; view: string };
}

async function claim(board: string): Promise<Claimed> {
	const response = await fetch(`${server.url}/api/boards/${board}/claim`, { method: 'POST' });
	expect(response.status).toBe(201);
	return (await response.json()) as Claimed;
}

const tokenOf = (link: string) => new URL(link).hash.replace('#t=', '');

const stored = (board: string) => storedShapes(server.storage, board);

const isPermissionDenied = (frame: Uint8Array) => decoding.readVarUint(decoding.createDecoder(frame)) === MESSAGE_AUTH;

describe('links', () => {
	it('claims a board once: the edit link opens it for edit, no token and the wrong board are refused with 4001', async () => {
		server = await startTestServer();
		const { token, links } = await claim('claimed');
		expect(token).toMatch(/^e[A-Za-z0-9_-]{22}$/);
		expect(links.edit).toBe(`${server.url}/b/claimed#t=${token}`);
		expect(tokenOf(links.view)).toMatch(/^v[A-Za-z0-9_-]{22}$/);
		expect((await fetch(`${server.url}/api/boards/claimed/claim`, { method: 'POST' })).status).toBe(409);

		const editor = await client('claimed', token);
		editor.shapes.set('a', 1);
		await waitFor(async () => (await stored('claimed')).a === 1, 'the edit to be stored');

		expect(await (await raw('claimed')).closed).toEqual({ code: 4001, reason: 'link required' });
		const other = await claim('other');
		expect(await (await raw(`claimed?token=${other.token}`)).closed).toEqual({ code: 4001, reason: 'invalid link' });
		expect(await (await raw(`claimed?token=e${'x'.repeat(22)}`)).closed).toEqual({ code: 4001, reason: 'invalid link' });
	});

	it('keeps unclaimed boards open to clients without a token, as before links', async () => {
		server = await startTestServer();
		const a = await client('open');
		const b = await client('open');
		a.shapes.set('k', 'v');
		await waitFor(() => b.shapes.get('k') === 'v', 'the edit to reach b');
	});

	it('gives a view link the board and the presence of others, and stores 0 keys of what it writes', async () => {
		server = await startTestServer();
		const { token, links } = await claim('viewed');
		const editor = await client('viewed', token, true);
		editor.shapes.set('before', 1);
		await waitFor(async () => (await stored('viewed')).before === 1, 'the first edit to be stored');

		const viewer = await client('viewed', tokenOf(links.view), true);
		expect(viewer.shapes.toJSON()).toEqual({ before: 1 });
		// The stock client warns once when the server says "permission denied".
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		viewer.shapes.set('sneaky', 'write');
		viewer.shapes.delete('before');
		viewer.provider.awareness.setLocalStateField('user', { name: 'Watcher', color: '#123456' });
		// Frames of one connection are handled in order: the awareness after the writes arrives after they were dropped.
		await waitFor(
			() => [...editor.provider.awareness.getStates().values()].some((s) => (s.user as { name?: string } | undefined)?.name === 'Watcher'),
			"the viewer's presence to reach the editor"
		);
		editor.shapes.set('after', 2);
		await waitFor(async () => (await stored('viewed')).after === 2, 'a later edit to be stored');
		expect(await stored('viewed')).toEqual({ before: 1, after: 2 });
		expect(editor.shapes.toJSON()).toEqual({ before: 1, after: 2 });
		await waitFor(() => warn.mock.calls.some((call) => String(call[0]).includes('Permission denied')), 'the viewer to be told');
		expect(viewer.provider.wsconnected).toBe(true);
	});

	it('answers a viewer permission-denied once per connection, not per message, and keeps it open', async () => {
		server = await startTestServer();
		const { links } = await claim('once');
		const viewer = await raw(`once?token=${tokenOf(links.view)}`);
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 5; i++) doc.getMap('shapes').set(`k${i}`, i);
		for (const update of updates) viewer.socket.send(encodeUpdate(update));
		viewer.socket.send(encodeSyncStep1(new Uint8Array([0])));
		// The step 1 reply comes after every frame before it was handled.
		await waitFor(() => viewer.frames.length >= 3, 'the sync reply');
		expect(viewer.frames.filter(isPermissionDenied)).toHaveLength(1);
		expect(await stored('once')).toEqual({});
		viewer.socket.send(encodeAwareness(encodeAwarenessUpdate([{ clientId: 1234, clock: 1, stateJson: JSON.stringify({ user: { name: 'v', color: '#000000' } }) }])));
		await waitFor(() => viewer.frames.some((f) => decoding.readVarUint(decoding.createDecoder(f)) === 1), 'its awareness echo');
		expect(viewer.socket.readyState).toBe(viewer.socket.OPEN);
	});

	it('closes the sockets of a reset link with 4001, keeps the others, and opens with the new link only', async () => {
		server = await startTestServer();
		const { token, links } = await claim('reset');
		const oldView = tokenOf(links.view);
		const editSocket = await raw(`reset?token=${token}`);
		const viewSocket = await raw(`reset?token=${oldView}`);
		const response = await fetch(`${server.url}/api/boards/reset/links/reset`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ right: 'view' })
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { token?: string; links: { edit: string; view: string } };
		expect(body.token).toBeUndefined();
		expect(body.links.edit).toBe(links.edit);
		expect(body.links.view).not.toBe(links.view);
		expect(await viewSocket.closed).toEqual({ code: 4001, reason: 'link reset' });
		expect(editSocket.socket.readyState).toBe(editSocket.socket.OPEN);
		expect(await (await raw(`reset?token=${oldView}`)).closed).toEqual({ code: 4001, reason: 'link reset' });
		const viewer = await client('reset', tokenOf(body.links.view));
		expect(viewer.provider.synced).toBe(true);
	});

	it('closes sockets that came without a token when the board is claimed', async () => {
		server = await startTestServer();
		const early = await raw('late-claim');
		await claim('late-claim');
		expect(await early.closed).toEqual({ code: 4001, reason: 'link required' });
	});
});
