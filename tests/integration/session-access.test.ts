// The page's session with links, against a real server: claiming a new board, a viewer whose copy never offers the
// server anything, resets that stop the tabs using the old link (without a reconnect loop), a reset of one's own edit
// link, tokens handed over later (embedding), and a host application's token naming the person.
import { SignJWT } from 'jose';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { BoardSession } from '../../src/lib/collab/session.svelte.ts';
import { describeAccessProblem } from '../../src/lib/collab/access.ts';
import { CloseCode, MESSAGE_AUTH, MESSAGE_SYNC, SYNC_STEP2, SYNC_UPDATE, describeCloseCode } from '../../src/lib/shared/wire.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startTestServer, storedShapes, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { nodeSession } from './node-session.ts';

const JWT_SECRET = 'the-host-application-and-boardwalk-share-this';
let server: TestServer;
const cleanups: Array<() => void> = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) cleanup();
	await server?.stop();
});

/** Every socket a session opened, with the frames it sent and received. */
interface Wire {
	sockets: Array<{ url: string; sent: Uint8Array[]; received: Uint8Array[] }>;
	WebSocket: typeof globalThis.WebSocket;
}

function recordingWebSocket(): Wire {
	const wire: Wire = { sockets: [], WebSocket: null as unknown as typeof globalThis.WebSocket };
	class Recording extends WebSocket {
		readonly record = { url: '', sent: [] as Uint8Array[], received: [] as Uint8Array[] };
		constructor(url: string) {
			super(url);
			this.record.url = url;
			wire.sockets.push(this.record);
			this.on('message', (data: Buffer) => this.record.received.push(new Uint8Array(data)));
		}
		override send(data: Uint8Array): void {
			this.record.sent.push(new Uint8Array(data));
			super.send(data);
		}
	}
	wire.WebSocket = Recording as unknown as typeof globalThis.WebSocket;
	return wire;
}

/** A page's session on `board` with `token` (null: claims the board), real fetch and sockets; `onToken` records the tokens it puts in the address bar. */
function page(board: string, token: string | null, doc = new Y.Doc()) {
	const wire = recordingWebSocket();
	const tokens: string[] = [];
	const session: BoardSession = nodeSession(server.wsUrl, board, doc, {
		token,
		onToken: (t) => tokens.push(t),
		WebSocket: wire.WebSocket,
		fetch: (input, init) => fetch(new URL(String(input), server.url), init)
	});
	cleanups.push(() => session.destroy());
	return { session, doc, wire, tokens, shapes: doc.getMap<string>('shapes') };
}

async function client(board: string, token: string): Promise<TestClient> {
	const c = await connectClient(server.wsUrl, board, { params: { token } });
	cleanups.push(() => c.destroy());
	return c;
}

const tokenOf = (link: string) => new URL(link).hash.replace('#t=', '');
const kind = (frame: Uint8Array): [number, number | null] => {
	const decoder = decoding.createDecoder(frame);
	const type = decoding.readVarUint(decoder);
	return [type, type === MESSAGE_SYNC ? decoding.readVarUint(decoder) : null];
};
/** Frames on `wire` that offered the server doc content: sync step 2 or update. */
const writes = (wire: Wire) =>
	wire.sockets.flatMap((s) => s.sent).filter((f) => {
		const [type, subtype] = kind(f);
		return type === MESSAGE_SYNC && (subtype === SYNC_STEP2 || subtype === SYNC_UPDATE);
	});

const stored = (board: string) => storedShapes(server.storage, board);

describe('a page with links', () => {
	it('without a token claims a new board: it gets the edit token for its address bar and both links, and syncs with it', async () => {
		server = await startTestServer();
		const a = page('fresh', null);
		await waitFor(() => a.session.phase === 'live', 'the claimed page to sync');
		expect(a.tokens).toHaveLength(1);
		expect(a.tokens[0]).toMatch(/^e[A-Za-z0-9_-]{22}$/);
		expect(a.session.token).toBe(a.tokens[0]);
		expect(a.session.access).toBe('edit');
		expect(a.session.links.edit).toBe(`${server.url}/b/fresh#t=${a.tokens[0]}`);
		expect(a.session.links.view).toMatch(new RegExp(`^${server.url}/b/fresh#t=v[A-Za-z0-9_-]{22}$`));
		expect(a.wire.sockets.map((s) => new URL(s.url).searchParams.get('token'))).toEqual([a.tokens[0]]);

		a.shapes.set('s1', 'drawn');
		const editor = await client('fresh', a.tokens[0]!);
		await waitFor(() => editor.shapes.get('s1') === 'drawn', 'the change to reach another editor');

		// Someone else opening the bare address is told the board needs a link, and opens no socket.
		const b = page('fresh', null);
		await waitFor(() => b.session.accessError !== null, 'the refusal');
		expect(b.session.accessError).toBe('This board needs a link: ask someone who has it for theirs.');
		expect(b.session.status).toBe('stopped');
		expect(b.session.message).toBe('');
		expect(b.wire.sockets).toHaveLength(0);
	});

	it('with the view link: views, syncs live, and never offers the server its copy, however it changes', async () => {
		server = await startTestServer();
		const a = page('viewed', null);
		await waitFor(() => a.session.phase === 'live', 'the editor');
		a.shapes.set('s1', 'from the editor');
		const view = tokenOf(a.session.links.view!);

		// The viewer's copy holds something the server never had (kept on this device from an earlier visit).
		const offline = new Y.Doc();
		offline.getMap('shapes').set('mine', 'only on this device');
		const v = page('viewed', view, offline);
		await waitFor(() => v.session.phase === 'live' && v.shapes.get('s1') === 'from the editor', 'the viewer to sync');
		expect(v.session.access).toBe('view');
		expect(v.session.links).toEqual({ view: a.session.links.view });
		v.shapes.set('drawn', 'by the viewer');
		a.shapes.set('s2', 'live');
		await waitFor(() => v.shapes.get('s2') === 'live', 'the editor’s change to reach the viewer');

		// Presence still goes out: once the editor sees the viewer's name, everything the viewer sent before it has arrived.
		v.session.presence.rename('Viewer done');
		await waitFor(
			() => a.session.presence.peers.some((p) => p.user.name === 'Viewer done'),
			'the viewer’s presence to reach the editor'
		);
		expect(writes(v.wire)).toEqual([]);
		// The server never had to refuse it anything.
		expect(v.wire.sockets.flatMap((s) => s.received).filter((f) => kind(f)[0] === MESSAGE_AUTH)).toEqual([]);
		expect(await stored('viewed')).toEqual({ s1: 'from the editor', s2: 'live' });
		expect(a.shapes.has('mine')).toBe(false);
		expect(v.session.save).toBe('saved');
	});

	it('a reset of the view link stops the viewer with the close code’s words and no reconnect; the old link stays refused on reopening', async () => {
		server = await startTestServer();
		const a = page('reset', null);
		await waitFor(() => a.session.phase === 'live', 'the editor');
		const oldView = a.session.links.view!;
		const v = page('reset', tokenOf(oldView));
		await waitFor(() => v.session.phase === 'live', 'the viewer');

		expect(await a.session.resetLink('view')).toBeNull();
		expect(a.session.links.view).not.toBe(oldView);
		const words = describeCloseCode(CloseCode.LinkRevoked);
		await waitFor(() => v.session.accessError !== null, 'the viewer to be told');
		expect(v.session.accessError).toBe(words);
		expect(v.session.phase).toBe('stopped');
		expect(v.session.status).toBe('stopped');
		expect(v.session.retryState.nextAttemptAt).toBeNull();

		// No loop: while the editor keeps working, the stopped page opens no other socket.
		a.shapes.set('after', 'the reset');
		const viewer = await client('reset', tokenOf(a.session.links.view!));
		await waitFor(() => viewer.shapes.get('after') === 'the reset', 'the new view link to work');
		expect(v.wire.sockets).toHaveLength(1);

		const again = page('reset', tokenOf(oldView));
		await waitFor(() => again.session.accessError !== null, 'the old link refused');
		expect(again.session.accessError).toBe(words);
		expect(again.session.access).toBe('view');
	});

	it('an editor resetting its own edit link moves to the new one without being stopped, and keeps syncing', async () => {
		server = await startTestServer();
		const a = page('own', null);
		await waitFor(() => a.session.phase === 'live', 'the editor');
		const oldEdit = a.session.token!;
		const other = await client('own', oldEdit);

		expect(await a.session.resetLink('edit')).toBeNull();
		expect(a.tokens).toHaveLength(2);
		expect(a.session.token).toBe(a.tokens[1]);
		expect(a.session.links.edit).toBe(`${server.url}/b/own#t=${a.tokens[1]}`);
		await waitFor(() => a.session.phase === 'live', 'the editor back with the new link');
		expect(a.session.accessError).toBeNull();
		expect(new URL(a.wire.sockets.at(-1)!.url).searchParams.get('token')).toBe(a.tokens[1]);
		a.shapes.set('after', 'the reset');
		const fresh = await client('own', a.tokens[1]!);
		await waitFor(() => fresh.shapes.get('after') === 'the reset', 'the change to arrive');
		// The stock client with the old link was closed (it keeps trying, and keeps being refused).
		await waitFor(() => !other.provider.wsconnected || other.provider.ws?.readyState !== 1, 'the old link to be closed');
		expect(other.shapes.has('after')).toBe(false);
	});

	it('a page given a new token (the host page, the address bar) checks it and reconnects with it: a viewer becomes an editor, a bad token stops it', async () => {
		server = await startTestServer();
		const a = page('handover', null);
		await waitFor(() => a.session.phase === 'live', 'the editor');
		const v = page('handover', tokenOf(a.session.links.view!));
		await waitFor(() => v.session.phase === 'live', 'the viewer');

		expect(await v.session.useToken(a.session.token!)).toBe(true);
		expect(v.session.access).toBe('edit');
		expect(v.tokens).toEqual([a.session.token]);
		await waitFor(() => v.session.phase === 'live', 'the reconnection');
		expect(new URL(v.wire.sockets.at(-1)!.url).searchParams.get('token')).toBe(a.session.token);
		v.shapes.set('now', 'an editor');
		await waitFor(() => a.shapes.get('now') === 'an editor', 'the change to reach the other editor');

		expect(await v.session.useToken('eNotAToken000000000000')).toBe(false);
		expect(v.session.accessError).toBe(describeAccessProblem('link-invalid'));
		expect(v.session.status).toBe('stopped');
		// And a good one after that brings it back.
		expect(await v.session.useToken(a.session.token!)).toBe(true);
		await waitFor(() => v.session.phase === 'live', 'the page back');
		expect(v.session.accessError).toBeNull();
	});
});

describe('a new board opened while the server is down', () => {
	it('stays editable, says offline, and claims the board once the server is back; what was drawn meanwhile reaches it', async () => {
		// A port nothing listens on yet: the server comes up there later.
		server = await startTestServer();
		const { port, dataDir } = server;
		await server.stop();
		const a = page('offline-new', null);
		await waitFor(() => a.session.status === 'offline', 'the page to say offline');
		expect(a.session.token).toBeNull();
		expect(a.session.accessError).toBeNull();
		expect(a.wire.sockets).toHaveLength(0);
		a.shapes.set('drawn', 'while the server was down');

		server = await startTestServer({ port, dataDir });
		await waitFor(() => a.session.phase === 'live', 'the claim and the sync', 15_000);
		expect(a.tokens).toHaveLength(1);
		expect(a.session.access).toBe('edit');
		const editor = await client('offline-new', a.tokens[0]!);
		await waitFor(() => editor.shapes.get('drawn') === 'while the server was down', 'the change to reach the server');
	});
});

describe('a page with a host application’s token', () => {
	const seconds = (ms: number) => Math.floor(ms / 1000);
	const hs256 = (claims: Record<string, unknown>, exp: number) =>
		new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(JWT_SECRET));

	it('shows the name the token gives (renaming is off), no links, and when it expires', async () => {
		server = await startTestServer({ env: { AUTH: 'both', AUTH_JWT_SECRET: JWT_SECRET } });
		const exp = seconds(Date.now()) + 3600;
		const token = await hs256({ board: 'hosted', access: 'edit', name: 'Ann Host', color: '#2f9e44' }, exp);
		const p = page('hosted', token);
		await waitFor(() => p.session.phase === 'live', 'the page to sync');
		expect(p.session.managedByHost).toBe(true);
		expect(p.session.links).toEqual({});
		expect(p.session.expiresAt).toBe(exp * 1000);
		expect(p.session.presence.identity).toEqual({ name: 'Ann Host', color: '#2f9e44' });
		expect(p.session.presence.pinned).toBe(true);
		expect(p.session.presence.rename('Someone else')).toBe(false);
		expect(p.session.presence.identity.name).toBe('Ann Host');
		expect(await p.session.resetLink('view')).not.toBeNull();
	});

	it('says the access expired when the server closes the socket at expiry, and a fresh token brings the page back', async () => {
		server = await startTestServer({ env: { AUTH: 'both', AUTH_JWT_SECRET: JWT_SECRET } });
		// Expires within two seconds: the server closes the socket then with 4002.
		const soon = await hs256({ board: 'expiring', access: 'view' }, seconds(Date.now()) + 2);
		const p = page('expiring', soon);
		await waitFor(() => p.session.phase === 'live', 'the page to sync');
		await waitFor(() => p.session.accessError !== null, 'the expiry', 10_000);
		expect(p.session.accessError).toBe(describeCloseCode(CloseCode.TokenExpired));
		expect(p.session.retryState.nextAttemptAt).toBeNull();

		const fresh = await hs256({ board: 'expiring', access: 'view' }, seconds(Date.now()) + 3600);
		expect(await p.session.useToken(fresh)).toBe(true);
		await waitFor(() => p.session.phase === 'live', 'the page back');
		expect(p.session.accessError).toBeNull();
		expect(p.session.access).toBe('view');
	});
});
