/** Link tokens: an HMAC of (board, right, generation) under the server secret, so a view link reveals nothing of the edit link. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Access } from './authorize.ts';

/** Characters of the HMAC kept (base64url: 132 bits), after the one-letter right. */
const MAC_CHARS = 22;
export const LINK_TOKEN_LENGTH = MAC_CHARS + 1;
const PREFIX: Record<Access, string> = { edit: 'e', view: 'v' };

/** How many older generations are recognised, only to say "this link was reset" rather than "invalid". */
const RESET_LOOKBACK = 8;

export function linkToken(secret: Buffer, board: string, right: Access, generation: number): string {
	const mac = createHmac('sha256', secret).update(`boardwalk-link\0${board}\0${right}\0${generation}`).digest('base64url');
	return PREFIX[right] + mac.slice(0, MAC_CHARS);
}

/** The right a token claims by its shape alone (nothing is proven yet), or null when it is not a link token. */
export function linkTokenRight(token: string): Access | null {
	if (token.length !== LINK_TOKEN_LENGTH) return null;
	if (token[0] === PREFIX.edit) return 'edit';
	if (token[0] === PREFIX.view) return 'view';
	return null;
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Checks `token` against the board's current generations. `valid`: it opens the board with `right`;
 * `reset`: it was the link of an earlier generation; `invalid`: forged, of another board or another
 * secret (these cannot be told apart, by design).
 */
export function checkLinkToken(
	secret: Buffer,
	board: string,
	token: string,
	generations: { edit: number; view: number }
): { result: 'valid'; right: Access; generation: number } | { result: 'reset' | 'invalid' } {
	const right = linkTokenRight(token);
	if (right === null) return { result: 'invalid' };
	const current = generations[right];
	if (sameToken(token, linkToken(secret, board, right, current))) return { result: 'valid', right, generation: current };
	for (let generation = current - 1; generation >= Math.max(0, current - RESET_LOOKBACK); generation--) {
		if (sameToken(token, linkToken(secret, board, right, generation))) return { result: 'reset' };
	}
	return { result: 'invalid' };
}
