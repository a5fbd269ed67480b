// Tokens a host application signs: HS256 and a public key set, the right and the name they carry, and expiry while open.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { OpenedClients, type TestClient } from '../helpers/clients.ts';
import { startTestServer, storedShapes, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const JWT_SECRET = 'the-host-application-and-boardwalk-share-this';
let server: TestServer;
const opened = new OpenedClients(() => server.wsUrl);
const client = opened.client.bind(opened);
const raw = opened.raw.bind(opened);

afterEach(async () => {
	opened.closeAll();
	vi.restoreAllMocks();
	await server?.stop();
});

const seconds = (ms: number) => Math.floor(ms / 1000);

function hs256(claims: Record<string, unknown>, exp = seconds(Date.now()) + 3600, key = JWT_SECRET): Promise<string> {
	return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(key));
}

const stored = (board: string) => storedShapes(server.storage, board);

const names = (c: TestClient) => [...c.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name);

describe('JWT (HS256)', () => {
	const env = { AUTH: 'both', AUTH_JWT_SECRET: JWT_SECRET };

	it('opens the board for edit or view as the token says; a viewer stores 0 keys; presence takes the name from the token', async () => {
		server = await startTestServer({ env });
		const editor = await client('host', await hs256({ board: 'host', access: 'edit', name: 'Ada' }), true);
		const viewer = await client('host', await hs256({ board: 'host', access: 'view', name: 'Grace', color: '#00aa00' }), true);
		vi.spyOn(console, 'warn').mockImplementation(() => {}); // the stock client's "Permission denied" 
		viewer.shapes.set('from-viewer', 1);
		// The viewer claims another name; the server relays the token's.
		viewer.provider.awareness.setLocalStateField('user', { name: 'Someone Else', color: '#ffffff' });
		await waitFor(() => names(editor).includes('Grace'), "the viewer's pinned name to reach the editor");
		const grace = [...editor.provider.awareness.getStates().values()].find((s) => (s.user as { name?: string } | undefined)?.name === 'Grace')!;
		expect(grace.user).toEqual({ name: 'Grace', color: '#00aa00' });
		expect(names(editor)).not.toContain('Someone Else');
		editor.shapes.set('from-editor', 2);
		await waitFor(async () => (await stored('host'))['from-editor'] === 2, "the editor's write to be stored");
		expect(await stored('host')).toEqual({ 'from-editor': 2 });
	});

	it('refuses an expired, forged or other-board token, and closes an open socket at its exp with 4002', async () => {
		server = await startTestServer({ env });
		const expired = await hs256({ board: 'b', access: 'edit' }, seconds(Date.now()) - 60);
		expect(await (await raw(`b?token=${expired}`)).closed).toEqual({ code: 4002, reason: 'token expired' });
		const forged = await hs256({ board: 'b', access: 'edit' }, undefined, 'an-attacker-guessing-the-shared-secret');
		expect((await (await raw(`b?token=${forged}`)).closed).code).toBe(4001);
		const other = await hs256({ board: 'other', access: 'edit' });
		expect(await (await raw(`b?token=${other}`)).closed).toEqual({ code: 4001, reason: 'token for another board' });

		const exp = seconds(Date.now()) + 2;
		const short = await raw(`b?token=${await hs256({ board: 'b', access: 'edit' }, exp)}`);
		const closed = await short.closed;
		expect(closed).toEqual({ code: 4002, reason: 'token expired' });
		expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
	});

	it('answers the access API with the grant and no links, and 401 for an expired token', async () => {
		server = await startTestServer({ env });
		const token = await hs256({ board: 'api', access: 'view', name: 'Ada' }, seconds(Date.now()) + 600);
		const response = await fetch(`${server.url}/api/boards/api/access`, { headers: { authorization: `Bearer ${token}` } });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ access: 'view', claimed: false, name: 'Ada', expiresAt: (seconds(Date.now()) + 600) * 1000, links: {} });
		const expired = await hs256({ board: 'api', access: 'view' }, seconds(Date.now()) - 60);
		const refused = await fetch(`${server.url}/api/boards/api/access`, { headers: { authorization: `Bearer ${expired}` } });
		expect(refused.status).toBe(401);
		expect(await refused.json()).toMatchObject({ error: 'token-expired' });
	});

	it('needs a token for every board under AUTH=jwt, and turns links off', async () => {
		server = await startTestServer({ env: { ...env, AUTH: 'jwt' } });
		expect(await (await raw('any')).closed).toEqual({ code: 4001, reason: 'link required' });
		const claim = await fetch(`${server.url}/api/boards/any/claim`, { method: 'POST' });
		expect(claim.status).toBe(403);
		expect(await claim.json()).toMatchObject({ error: 'links-disabled' });
		await client('any', await hs256({ board: 'any', access: 'edit' }));
	});
});

describe('JWT (a public key set)', () => {
	let jwks: http.Server;
	let jwksUrl: string;
	let privateKey: CryptoKey;
	let strangerKey: CryptoKey;

	beforeAll(async () => {
		const pair = await generateKeyPair('ES256');
		privateKey = pair.privateKey;
		strangerKey = (await generateKeyPair('ES256')).privateKey;
		const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
		jwks = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ keys: [jwk] }));
		});
		await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
		jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
	});
	afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

	const es256 = (claims: Record<string, unknown>, key: CryptoKey, issuer = 'https://host.example') =>
		new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience('boardwalk').setExpirationTime('10m').sign(key);

	it('opens the board with a token signed by a key of the set, for the configured issuer and audience only', async () => {
		server = await startTestServer({ env: { AUTH: 'jwt', AUTH_JWKS_URL: jwksUrl, AUTH_JWT_ISSUER: 'https://host.example', AUTH_JWT_AUDIENCE: 'boardwalk' } });
		const editor = await client('keys', await es256({ board: 'keys', access: 'edit' }, privateKey));
		editor.shapes.set('signed', true);
		await waitFor(async () => (await stored('keys')).signed === true, 'the write to be stored');

		expect((await (await raw(`keys?token=${await es256({ board: 'keys', access: 'edit' }, strangerKey)}`)).closed).code).toBe(4001);
		const wrongIssuer = await es256({ board: 'keys', access: 'edit' }, privateKey, 'https://elsewhere.example');
		expect((await (await raw(`keys?token=${wrongIssuer}`)).closed).code).toBe(4001);
		// A token signed with HS256 is not checked against a public key set.
		expect((await (await raw(`keys?token=${await hs256({ board: 'keys', access: 'edit' })}`)).closed).code).toBe(4001);
	});

	it('says "try again later" (1013, 503) when the key set cannot be fetched: the token may be good', async () => {
		const gone = http.createServer();
		await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/jwks.json`;
		await new Promise<void>((resolve) => gone.close(() => resolve()));
		server = await startTestServer({ env: { AUTH: 'jwt', AUTH_JWKS_URL: url } });
		const token = await es256({ board: 'keys', access: 'edit' }, privateKey);
		expect((await (await raw(`keys?token=${token}`)).closed).code).toBe(1013);
		const api = await fetch(`${server.url}/api/boards/keys/access`, { headers: { authorization: `Bearer ${token}` } });
		expect(api.status).toBe(503);
		expect(await api.json()).toMatchObject({ error: 'unavailable' });
	});
});
