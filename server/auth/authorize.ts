/** The one place that decides who may open a board: every socket upgrade, preview and API call asks `authorize` first. */
import { CloseCode } from '../../src/lib/shared/wire.ts';
import type { AuthMode } from '../config.ts';
import type { AccessRecords } from './access.ts';
import { looksLikeJwt, type JwtVerifier } from './jwt.ts';
import { checkLinkToken } from './link-tokens.ts';
import type { OriginPolicy } from './origin.ts';

/** What a grant allows: `edit` writes the board, `view` reads it and shares presence (Room refuses its writes). */
export type Access = 'edit' | 'view';

/** What `authorize` may look at: the request that asks for a board, and where it came from. */
export interface AccessRequest {
	/** The request's headers (Origin, Authorization, Host, …). */
	headers: Headers;
	/** The full request URL (the token in `?token=`). */
	url: string;
	/** The client's address (server/http/client-address.ts: a trusted proxy's X-Forwarded-For, or the peer). */
	remoteAddress: string | null;
}

/**
 * The decision for one connection, made before the upgrade and carried on its Connection for its
 * whole life: what it may do, which token opened it (so a reset or an expiry can end it), and enough
 * about who asked to log it. Kept small on purpose: every idle connection holds one, and the fields
 * a connection without a token lacks are left out rather than set to undefined.
 */
export interface Grant {
	readonly board: string;
	readonly access: Access;
	readonly remoteAddress: string | null;
	/** The page's origin for browser requests (absent for other clients). */
	readonly origin: string | null;
	/** `open`: no token, on a board nobody claimed. */
	readonly tokenKind: 'link' | 'jwt' | 'open';
	/** The link's generation (AccessRecord): a reset of this right ends connections of older ones. */
	readonly generation?: number;
	/** From a JWT: presence is pinned to this name and colour. */
	readonly name?: string;
	readonly color?: string;
	/** From a JWT's `exp`, in ms: the socket is closed then with 4002. */
	readonly expiresAt?: number;
}

type GrantBase = Pick<Grant, 'board' | 'remoteAddress' | 'origin'>;

/**
 * A grant written out as a literal, its optional fields added by assignment: V8 gives every object
 * built by spreading another a map of its own, and every idle connection holds its grant
 * (bench/JOURNAL.md, issue 15: 216 bytes each).
 */
function grantOf(base: GrantBase, access: Access, tokenKind: Grant['tokenKind'], extra: Partial<Pick<Grant, 'generation' | 'expiresAt' | 'name' | 'color'>> = {}): Grant {
	const grant: { -readonly [K in keyof Grant]: Grant[K] } = { board: base.board, remoteAddress: base.remoteAddress, origin: base.origin, access, tokenKind };
	if (extra.generation !== undefined) grant.generation = extra.generation;
	if (extra.expiresAt !== undefined) grant.expiresAt = extra.expiresAt;
	if (extra.name !== undefined) grant.name = extra.name;
	if (extra.color !== undefined) grant.color = extra.color;
	return grant;
}

/**
 * Why a request was refused: an HTTP status and a JSON `error` for the preview and the API, and for
 * sockets a close code (a browser cannot read the status of a refused upgrade, so the server upgrades
 * and closes at once with it). No close code: refused before any upgrade (a page of another origin).
 */
export interface Refusal {
	status: 401 | 403 | 503;
	error: 'origin-refused' | 'link-required' | 'link-invalid' | 'token-expired' | 'unavailable';
	message: string;
	closeCode?: number;
	/** The close reason (at most 123 bytes). */
	reason?: string;
}

export type Decision = { grant: Grant } | { refused: Refusal };
export type Authorize = (request: AccessRequest, board: string) => Promise<Decision>;

/** The token a request carries: `?token=` (sockets, previews) or `Authorization: Bearer` (the API). */
export function tokenOf(request: AccessRequest): string | null {
	const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
	if (bearer) return bearer;
	return new URL(request.url).searchParams.get('token') || null;
}

const revoked = (message: string, reason: string): { refused: Refusal } => ({
	refused: { status: 403, error: 'link-invalid', message, closeCode: CloseCode.LinkRevoked, reason }
});

export interface AuthorizerOptions {
	mode: AuthMode;
	/** The server secret link tokens are made with (server/auth/secret.ts). */
	secret: Buffer;
	access: AccessRecords;
	/** Null when AUTH=links. */
	jwt: JwtVerifier | null;
	origins: OriginPolicy;
}

export class Authorizer {
	constructor(readonly options: AuthorizerOptions) {}

	/**
	 * The decision for `request` on `board`. A page of another origin is refused first. Without a
	 * token, a board nobody claimed opens for edit (as every board did before links); a claimed one
	 * (or any board under AUTH=jwt) needs a token. A link token must be the board's current link of its
	 * right; a JWT must be valid, unexpired and name this board.
	 */
	readonly authorize: Authorize = async (request, board) => {
		if (!this.options.origins.allows(request)) {
			return { refused: { status: 403, error: 'origin-refused', message: 'Pages of this origin may not open boards here (see ALLOWED_ORIGINS).' } };
		}
		const base: GrantBase = { board, remoteAddress: request.remoteAddress, origin: request.headers.get('origin') };
		const token = tokenOf(request);
		const { mode } = this.options;
		if (token === null) {
			if (mode !== 'jwt' && (await this.options.access.get(board)) === null) return { grant: grantOf(base, 'edit', 'open') };
			return {
				refused: {
					status: 403,
					error: 'link-required',
					message: 'This board needs a link: ask someone who has it.',
					closeCode: CloseCode.LinkRevoked,
					reason: 'link required'
				}
			};
		}
		return looksLikeJwt(token) ? this.byJwt(token, base) : this.byLink(token, base);
	};

	/**
	 * Why a connection opened with `grant` may no longer stay, as far as the records in memory say:
	 * its link was reset, or it came without a token and the board has been claimed since. Null: it may.
	 */
	revokedReason(grant: Grant): 'link reset' | 'link required' | null {
		if (grant.tokenKind === 'jwt') return null;
		const record = this.options.access.peek(grant.board);
		if (record === undefined) return null;
		if (grant.tokenKind === 'open') return record === null ? null : 'link required';
		const current = grant.access === 'edit' ? record?.editGeneration : record?.viewGeneration;
		return current === grant.generation ? null : 'link reset';
	}

	private async byLink(token: string, base: GrantBase): Promise<Decision> {
		if (this.options.mode === 'jwt') return revoked('Links are turned off on this server (AUTH=jwt).', 'links disabled');
		const record = await this.options.access.get(base.board);
		if (record === null) return revoked('This link is not valid for this board.', 'invalid link');
		const check = checkLinkToken(this.options.secret, base.board, token, { edit: record.editGeneration, view: record.viewGeneration });
		if (check.result !== 'valid') {
			return check.result === 'reset'
				? revoked('This link was reset by an editor of the board: ask them for the new one.', 'link reset')
				: revoked('This link is not valid for this board.', 'invalid link');
		}
		return { grant: grantOf(base, check.right, 'link', { generation: check.generation }) };
	}

	private async byJwt(token: string, base: GrantBase): Promise<Decision> {
		const { jwt } = this.options;
		if (jwt === null) return revoked('Tokens signed by another application are not accepted here (AUTH=links).', 'tokens disabled');
		const check = await jwt.check(token);
		if (!check.ok) {
			switch (check.problem) {
				case 'expired':
					return {
						refused: { status: 401, error: 'token-expired', message: 'The token has expired.', closeCode: CloseCode.TokenExpired, reason: 'token expired' }
					};
				case 'unavailable':
					return { refused: { status: 503, error: 'unavailable', message: check.message, closeCode: CloseCode.TryAgainLater, reason: check.message } };
				case 'invalid':
					return revoked(`The token is not valid: ${check.message}.`, check.message.slice(0, 100));
			}
		}
		const { claims } = check;
		if (claims.board !== base.board) return revoked('The token is for another board.', 'token for another board');
		return { grant: grantOf(base, claims.access, 'jwt', { expiresAt: claims.expiresAt, name: claims.name, color: claims.color }) };
	}
}
