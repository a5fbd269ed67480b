// Link tokens: 23 characters, one per (board, right, generation, secret), checked in constant time.
import { describe, expect, it } from 'vitest';
import { LINK_TOKEN_LENGTH, checkLinkToken, linkToken, linkTokenRight } from './link-tokens.ts';

const secret = Buffer.alloc(32, 9);

describe('link tokens', () => {
	it('are a right letter and 22 base64url characters, with no dot (so never taken for a JWT)', () => {
		const edit = linkToken(secret, 'board', 'edit', 0);
		expect(edit).toMatch(/^e[A-Za-z0-9_-]{22}$/);
		expect(linkToken(secret, 'board', 'view', 0)).toMatch(/^v[A-Za-z0-9_-]{22}$/);
		expect(edit).toHaveLength(LINK_TOKEN_LENGTH);
		expect(linkTokenRight(edit)).toBe('edit');
	});

	it('differ for every board, right, generation and secret', () => {
		const tokens = new Set(
			['a', 'b'].flatMap((board) =>
				(['edit', 'view'] as const).flatMap((right) => [0, 1].flatMap((gen) => [secret, Buffer.alloc(32, 8)].map((s) => linkToken(s, board, right, gen).slice(1))))
			)
		);
		expect(tokens.size).toBe(16);
	});

	it('check as valid only at the current generation, as reset at an earlier one', () => {
		const generations = { edit: 3, view: 1 };
		expect(checkLinkToken(secret, 'b', linkToken(secret, 'b', 'edit', 3), generations)).toEqual({ result: 'valid', right: 'edit', generation: 3 });
		expect(checkLinkToken(secret, 'b', linkToken(secret, 'b', 'edit', 2), generations)).toEqual({ result: 'reset' });
		expect(checkLinkToken(secret, 'b', linkToken(secret, 'b', 'view', 3), generations)).toEqual({ result: 'invalid' });
		// A view token with its letter turned into an edit one proves nothing.
		expect(checkLinkToken(secret, 'b', `e${linkToken(secret, 'b', 'view', 1).slice(1)}`, generations)).toEqual({ result: 'invalid' });
	});
});
