// authorize: open boards until claimed, link tokens of the current generation, JWTs for this board, origins.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { MemoryStorage } from '../storage/memory.ts';
import { AccessRecords } from './access.ts';
import { Authorizer, tokenOf, type AccessRequest, type Decision } from './authorize.ts';
import { JwtVerifier } from './jwt.ts';
import { linkToken } from './link-tokens.ts';
import { OriginPolicy } from './origin.ts';

const SECRET = Buffer.alloc(32, 1);
const JWT_SECRET = 'a-host-application-secret-of-32-chars!';

function setup(mode: 'links' | 'jwt' | 'both' = 'both') {
	const storage = new MemoryStorage();
	const access = new AccessRecords(storage);
	const auth = new Authorizer({
		mode,
		secret: SECRET,
		access,
		jwt: mode === 'links' ? null : new JwtVerifier({ secret: JWT_SECRET, jwksUrl: null, issuer: null, audience: null }),
		origins: new OriginPolicy({ allowed: ['https://board.example.com'], trustProxy: 0, log: createLogger('silent') })
	});
	return { storage, access, auth };
}

const request = (query = '', headers: Record<string, string> = {}): AccessRequest => ({
	headers: new Headers({ host: 'localhost:3000', ...headers }),
	url: `http://localhost:3000/ws/b1${query}`,
	remoteAddress: '10.0.0.7'
});

const jwt = (claims: Record<string, unknown>, expiresIn: string | number = '1h') =>
	new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(expiresIn).sign(new TextEncoder().encode(JWT_SECRET));

const refusal = (decision: Decision) => ('refused' in decision ? decision.refused : null);

describe('authorize', () => {
	it('grants edit to anyone on a board nobody claimed, with the address and page origin of the request', async () => {
		const { auth } = setup();
		expect(await auth.authorize(request('', { origin: 'https://board.example.com' }), 'b1')).toEqual({
			grant: { board: 'b1', access: 'edit', remoteAddress: '10.0.0.7', origin: 'https://board.example.com', tokenKind: 'open' }
		});
	});

	it('needs a link once the board is claimed, and grants the right of its current link', async () => {
		const { auth, access } = setup();
		await access.claim('b1');
		expect(refusal(await auth.authorize(request(), 'b1'))).toMatchObject({ status: 403, error: 'link-required', closeCode: 4001 });
		const edit = await auth.authorize(request(`?token=${linkToken(SECRET, 'b1', 'edit', 0)}`), 'b1');
		expect(edit).toMatchObject({ grant: { access: 'edit', tokenKind: 'link', generation: 0 } });
		const view = await auth.authorize(request('', { authorization: `Bearer ${linkToken(SECRET, 'b1', 'view', 0)}` }), 'b1');
		expect(view).toMatchObject({ grant: { access: 'view', tokenKind: 'link', generation: 0 } });
	});

	it('refuses a reset link, a link of another board or secret, and a forged one, with 4001 and a reason', async () => {
		const { auth, access } = setup();
		await access.claim('b1');
		await access.claim('b2');
		const old = linkToken(SECRET, 'b1', 'view', 0);
		await access.reset('b1', 'view');
		expect(refusal(await auth.authorize(request(`?token=${old}`), 'b1'))).toMatchObject({ closeCode: 4001, reason: 'link reset' });
		for (const token of [linkToken(SECRET, 'b2', 'edit', 0), linkToken(Buffer.alloc(32, 2), 'b1', 'edit', 0), `e${'A'.repeat(22)}`, 'short']) {
			expect(refusal(await auth.authorize(request(`?token=${token}`), 'b1'))).toMatchObject({ status: 403, closeCode: 4001, reason: 'invalid link' });
		}
		// The edit link was not reset with the view link.
		expect(await auth.authorize(request(`?token=${linkToken(SECRET, 'b1', 'edit', 0)}`), 'b1')).toMatchObject({ grant: { access: 'edit' } });
	});

	it('grants what a JWT for this board says, with its name, colour and expiry, claimed or not', async () => {
		const { auth } = setup();
		const token = await jwt({ board: 'b1', access: 'view', name: '  Ada   Lovelace ', color: '#aa3300' });
		const decision = await auth.authorize(request(`?token=${token}`), 'b1');
		expect(decision).toMatchObject({ grant: { access: 'view', tokenKind: 'jwt', name: 'Ada Lovelace', color: '#aa3300' } });
		expect('grant' in decision && decision.grant.expiresAt! - Date.now()).toBeGreaterThan(3_500_000);
	});

	it('refuses an expired JWT with 401 and 4002, and a forged, foreign or malformed one with 4001', async () => {
		const { auth } = setup();
		const expired = await jwt({ board: 'b1', access: 'edit' }, Math.floor(Date.now() / 1000) - 10);
		expect(refusal(await auth.authorize(request(`?token=${expired}`), 'b1'))).toMatchObject({ status: 401, error: 'token-expired', closeCode: 4002 });
		const other = await jwt({ board: 'b2', access: 'edit' });
		expect(refusal(await auth.authorize(request(`?token=${other}`), 'b1'))).toMatchObject({ closeCode: 4001, reason: 'token for another board' });
		const forged = await new SignJWT({ board: 'b1', access: 'edit' })
			.setProtectedHeader({ alg: 'HS256' })
			.setExpirationTime('1h')
			.sign(new TextEncoder().encode('not-the-secret-but-just-as-long-as-it'));
		expect(refusal(await auth.authorize(request(`?token=${forged}`), 'b1'))).toMatchObject({ status: 403, closeCode: 4001 });
		const noExpiry = await new SignJWT({ board: 'b1', access: 'edit' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(JWT_SECRET));
		expect(refusal(await auth.authorize(request(`?token=${noExpiry}`), 'b1'))).toMatchObject({ closeCode: 4001 });
		const badRight = await jwt({ board: 'b1', access: 'admin' });
		expect(refusal(await auth.authorize(request(`?token=${badRight}`), 'b1'))).toMatchObject({ closeCode: 4001 });
		expect(refusal(await auth.authorize(request('?token=a.b.c'), 'b1'))).toMatchObject({ closeCode: 4001 });
	});

	it('takes only the tokens AUTH allows: no JWT under links, no link and no open board under jwt', async () => {
		const links = setup('links');
		expect(refusal(await links.auth.authorize(request(`?token=${await jwt({ board: 'b1', access: 'edit' })}`), 'b1'))).toMatchObject({ closeCode: 4001 });
		const jwtOnly = setup('jwt');
		await jwtOnly.access.claim('b1');
		expect(refusal(await jwtOnly.auth.authorize(request(`?token=${linkToken(SECRET, 'b1', 'edit', 0)}`), 'b1'))).toMatchObject({ reason: 'links disabled' });
		expect(refusal(await jwtOnly.auth.authorize(request(), 'b2'))).toMatchObject({ error: 'link-required' });
	});

	it("allows ORIGIN, the request's own origin and a missing Origin; refuses others with 403 and no close code", async () => {
		const { auth } = setup();
		for (const origin of ['https://board.example.com', 'http://localhost:3000']) {
			expect(await auth.authorize(request('', { origin }), 'b1')).toHaveProperty('grant');
		}
		expect(await auth.authorize(request(), 'b1')).toHaveProperty('grant');
		for (const origin of ['https://evil.example', 'null', 'http://localhost:3001', 'https://localhost:3000']) {
			const refused = refusal(await auth.authorize(request('', { origin }), 'b1'));
			expect(refused).toMatchObject({ status: 403, error: 'origin-refused' });
			expect(refused!.closeCode).toBeUndefined();
		}
	});

	it('says which open connections a claim or reset ended', async () => {
		const { auth, access } = setup();
		const open = await auth.authorize(request(), 'b1');
		await access.claim('b1');
		const edit = await auth.authorize(request(`?token=${linkToken(SECRET, 'b1', 'edit', 0)}`), 'b1');
		const view = await auth.authorize(request(`?token=${linkToken(SECRET, 'b1', 'view', 0)}`), 'b1');
		if (!('grant' in open && 'grant' in edit && 'grant' in view)) throw new Error('expected grants');
		expect(auth.revokedReason(open.grant)).toBe('link required');
		expect(auth.revokedReason(edit.grant)).toBeNull();
		await access.reset('b1', 'edit');
		expect(auth.revokedReason(edit.grant)).toBe('link reset');
		expect(auth.revokedReason(view.grant)).toBeNull();
	});
});

describe('tokenOf', () => {
	it('reads a Bearer token before ?token=', () => {
		expect(tokenOf(request('?token=q', { authorization: 'Bearer h' }))).toBe('h');
		expect(tokenOf(request('?token=q'))).toBe('q');
		expect(tokenOf(request('?token='))).toBeNull();
	});
});
