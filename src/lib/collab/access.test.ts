// The page's side of links: the token in the URL's fragment, what a token says before the server does, and reading the API's answers.
import { describe, expect, it } from 'vitest';
import {
	describeAccessProblem,
	isJwt,
	presumedAccess,
	readFragmentToken,
	readGrant,
	readJwtClaims,
	readProblem,
	withFragmentToken
} from '$lib/collab/access';
import { CloseCode, describeCloseCode } from '$lib/shared/wire';

/** An unsigned JWT with `claims` (the page never checks signatures: the server does). */
function jwt(claims: Record<string, unknown>): string {
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe('the token in the fragment', () => {
	it('reads #t=, alone or among other entries, and nothing else', () => {
		expect(readFragmentToken('#t=eAbC_-12')).toBe('eAbC_-12');
		expect(readFragmentToken('t=vXyz')).toBe('vXyz');
		expect(readFragmentToken('#x=1&t=vXyz&y=2')).toBe('vXyz');
		const token = jwt({ board: 'b', access: 'edit' });
		expect(readFragmentToken(`#t=${token}`)).toBe(token);
		for (const hash of ['', '#', '#t=', '#t=%20', '#token=eAbc', '#eAbc']) expect(readFragmentToken(hash)).toBeNull();
	});

	it('writes the token into the fragment, keeping the path, the query and other entries, replacing an old token', () => {
		expect(withFragmentToken('https://board.example/b/abc', 'eNEW')).toBe('https://board.example/b/abc#t=eNEW');
		expect(withFragmentToken('https://board.example/b/abc?x=1#t=eOLD', 'eNEW')).toBe('https://board.example/b/abc?x=1#t=eNEW');
		expect(withFragmentToken('http://localhost:5173/b/abc#a=1&t=vOLD', 'vNEW')).toBe('http://localhost:5173/b/abc#a=1&t=vNEW');
		const token = jwt({ name: 'Ann' });
		const written = withFragmentToken('https://board.example/b/abc', token);
		expect(written).toBe(`https://board.example/b/abc#t=${token}`);
		expect(readFragmentToken(new URL(written).hash)).toBe(token);
	});
});

describe('what a token says before the server answers', () => {
	it('tells link tokens (no dots) from JWTs', () => {
		expect(isJwt('eAbCdEf')).toBe(false);
		expect(isJwt(jwt({}))).toBe(true);
	});

	it('takes edit from an e-token, view from a v-token, and the access claim of a JWT (view when it has none)', () => {
		expect(presumedAccess(null)).toBe('edit');
		expect(presumedAccess('e0123456789abcdefghijk')).toBe('edit');
		expect(presumedAccess('v0123456789abcdefghijk')).toBe('view');
		expect(presumedAccess(jwt({ access: 'edit' }))).toBe('edit');
		expect(presumedAccess(jwt({ access: 'view' }))).toBe('view');
		expect(presumedAccess(jwt({ access: 'admin' }))).toBe('view');
		expect(presumedAccess('not.a.jwt')).toBe('view');
	});

	it('reads a JWT’s claims of the right types, and nothing from what is not a JWT', () => {
		const exp = 1_900_000_000;
		expect(readJwtClaims(jwt({ board: 'b1', access: 'edit', name: 'Ann Lee', color: '#e03131', exp, extra: 1 }))).toEqual({
			board: 'b1',
			access: 'edit',
			name: 'Ann Lee',
			color: '#e03131',
			exp
		});
		expect(readJwtClaims(jwt({ name: 42, access: 'root', exp: 'soon' }))).toEqual({});
		expect(readJwtClaims(jwt({ name: 'Zoë ✓' }))?.name).toBe('Zoë ✓');
		for (const token of ['eAbc', 'a.b', 'a.b.c.d', 'x.!!!.y', `x.${Buffer.from('[1]').toString('base64url')}.y`, `x.${Buffer.from('null').toString('base64url')}.y`]) {
			expect(readJwtClaims(token)).toBeNull();
		}
	});
});

describe('the API’s answers', () => {
	it('reads a grant, keeping only known fields of the right types', () => {
		expect(readGrant({ access: 'edit', claimed: true, links: { edit: 'E', view: 'V', other: 'x' }, extra: 1 })).toEqual({
			access: 'edit',
			claimed: true,
			links: { edit: 'E', view: 'V' }
		});
		expect(readGrant({ access: 'view', claimed: true, name: 'Ann', color: '#e03131', expiresAt: 5, links: {} })).toEqual({
			access: 'view',
			claimed: true,
			name: 'Ann',
			color: '#e03131',
			expiresAt: 5,
			links: {}
		});
		expect(readGrant({ access: 'edit', claimed: false })).toEqual({ access: 'edit', claimed: false, links: {} });
		for (const body of [null, [], 'edit', { access: 'admin' }, { links: {} }]) expect(readGrant(body)).toBeNull();
	});

	it('names the problem from the body’s error, else from the status', () => {
		expect(readProblem(409, { error: 'claimed', message: '…' })).toBe('claimed');
		expect(readProblem(403, { error: 'link-invalid' })).toBe('link-invalid');
		expect(readProblem(403, { error: 'link-required' })).toBe('link-required');
		expect(readProblem(401, { error: 'token-expired' })).toBe('token-expired');
		expect(readProblem(403, { error: 'links-disabled' })).toBe('links-disabled');
		expect(readProblem(409, null)).toBe('claimed');
		expect(readProblem(401, 'text')).toBe('token-expired');
		expect(readProblem(403, {})).toBe('link-invalid');
		expect(readProblem(403, { error: 'view-only' }, 'forbidden')).toBe('forbidden');
		for (const status of [404, 500, 502, 503]) expect(readProblem(status, null)).toBe('unreachable');
	});

	it('says a revoked or expired link in the close codes’ words, so the page says the same whether it was kicked out or reopened the link', () => {
		expect(describeAccessProblem('link-invalid')).toBe(describeCloseCode(CloseCode.LinkRevoked));
		expect(describeAccessProblem('token-expired')).toBe(describeCloseCode(CloseCode.TokenExpired));
		expect(describeAccessProblem('claimed')).toBe('This board needs a link: ask someone who has it for theirs.');
		expect(describeAccessProblem('link-required')).toBe(describeAccessProblem('claimed'));
	});
});
