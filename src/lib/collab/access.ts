/**
 * What this page may do on its board and with which token: the token in the page URL's fragment
 * (`/b/<board>#t=<token>`, never sent to the server with the page), the board API's claim, access and
 * link reset (docs/protocol.md "Links and tokens"), and the words the page shows when a link stops working.
 */
import { CloseCode, describeCloseCode } from '$lib/shared/wire';

export type Access = 'edit' | 'view';
export type Right = Access;

export interface Links {
	edit?: string;
	view?: string;
}

/** What the server grants a token on a board. */
export interface Grant {
	access: Access;
	/** The board has links (an unclaimed board opens to anyone, as before links existed). */
	claimed: boolean;
	/** The person's name and colour, when the token names them (a host application's JWT). */
	name?: string;
	color?: string;
	/** When the token stops working (epoch ms), for tokens that expire. */
	expiresAt?: number;
	/** The links this token may hand on: both for an editor, the view link for a viewer, none for a JWT (the host manages them). */
	links: Links;
}

/** Why the server said no, or why it could not be asked. */
export type AccessProblem =
	/** The board already has links, and this page has none. */
	| 'claimed'
	| 'link-required'
	/** The token is wrong, reset, or for another board. */
	| 'link-invalid'
	| 'token-expired'
	/** The server takes only tokens from the host application (AUTH=jwt). */
	| 'links-disabled'
	/** Allowed to look, not to change the links. */
	| 'forbidden'
	/** No answer (offline, the server down) or an answer that is not the API's. */
	| 'unreachable';

export type Answer<T> = { ok: true; value: T } | { ok: false; problem: AccessProblem };

/** `/api/boards/<board>/…`. */
export const API_BOARDS_PREFIX = '/api/boards/';

const FRAGMENT_TOKEN_KEY = 't';

/** The token in a page URL's fragment (`#t=<token>`), or null when there is none. */
export function readFragmentToken(hash: string): string | null {
	const params = new URLSearchParams(hash.replace(/^#/, ''));
	const token = params.get(FRAGMENT_TOKEN_KEY)?.trim();
	return token ? token : null;
}

/** `href` with its fragment's token set to `token` (path, query and other fragment entries kept). */
export function withFragmentToken(href: string, token: string): string {
	const url = new URL(href);
	const params = new URLSearchParams(url.hash.replace(/^#/, ''));
	params.set(FRAGMENT_TOKEN_KEY, token);
	// Link tokens and JWTs are base64url and dots: nothing in them needs escaping.
	url.hash = params.toString().replace(/%2E/gi, '.');
	return url.href;
}

/** A JWT has three dot-separated parts; a link token has none (how the server tells them apart too). */
export function isJwt(token: string): boolean {
	return token.includes('.');
}

/** The claims a page reads from a host application's JWT to show things before the server answers; the server checks the signature. */
export interface JwtClaims {
	board?: string;
	access?: Access;
	name?: string;
	color?: string;
	/** Seconds since the epoch, as JWTs count. */
	exp?: number;
}

function base64UrlDecode(text: string): string {
	const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
	const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
	return new TextDecoder().decode(bytes);
}

/** The payload of a JWT, unverified (display only), keeping only fields of the right type; null when it is not a JWT. */
export function readJwtClaims(token: string): JwtClaims | null {
	const parts = token.split('.');
	if (parts.length !== 3) return null;
	let payload: unknown;
	try {
		payload = JSON.parse(base64UrlDecode(parts[1]!));
	} catch {
		return null;
	}
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
	const p = payload as Record<string, unknown>;
	const claims: JwtClaims = {};
	if (typeof p.board === 'string') claims.board = p.board;
	if (p.access === 'edit' || p.access === 'view') claims.access = p.access;
	if (typeof p.name === 'string') claims.name = p.name;
	if (typeof p.color === 'string') claims.color = p.color;
	if (typeof p.exp === 'number' && Number.isFinite(p.exp)) claims.exp = p.exp;
	return claims;
}

/**
 * The right a token is for, as far as the page can tell without the server: link tokens start with
 * `e` or `v`, a JWT says it in its `access` claim. No token: the page is about to claim the board (edit).
 */
export function presumedAccess(token: string | null): Access {
	if (token === null) return 'edit';
	if (isJwt(token)) return readJwtClaims(token)?.access ?? 'view';
	return token.startsWith('e') ? 'edit' : 'view';
}

/** Words for the page when it cannot open the board with what it has. */
export function describeAccessProblem(problem: AccessProblem): string {
	switch (problem) {
		case 'claimed':
		case 'link-required':
			return 'This board needs a link: ask someone who has it for theirs.';
		case 'link-invalid':
			return describeCloseCode(CloseCode.LinkRevoked);
		case 'token-expired':
			return describeCloseCode(CloseCode.TokenExpired);
		case 'links-disabled':
			return 'This board opens only from the application it belongs to.';
		case 'forbidden':
			return 'Only editors of this board can do that.';
		case 'unreachable':
			return 'Cannot reach the server right now. Try again in a moment.';
	}
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readLinks(value: unknown): Links {
	const links: Links = {};
	if (!isRecord(value)) return links;
	if (typeof value.edit === 'string') links.edit = value.edit;
	if (typeof value.view === 'string') links.view = value.view;
	return links;
}

/** A grant from the access API's body, or null when the body is not one. */
export function readGrant(body: unknown): Grant | null {
	if (!isRecord(body) || (body.access !== 'edit' && body.access !== 'view')) return null;
	const grant: Grant = { access: body.access, claimed: body.claimed !== false, links: readLinks(body.links) };
	if (typeof body.name === 'string') grant.name = body.name;
	if (typeof body.color === 'string') grant.color = body.color;
	if (typeof body.expiresAt === 'number' && Number.isFinite(body.expiresAt)) grant.expiresAt = body.expiresAt;
	return grant;
}

/** The problem an error answer names (`{error: …}`), by its status when the body says nothing we know. */
export function readProblem(status: number, body: unknown, unnamed403: AccessProblem = 'link-invalid'): AccessProblem {
	const error = isRecord(body) ? body.error : undefined;
	switch (error) {
		case 'claimed':
		case 'link-required':
		case 'link-invalid':
		case 'token-expired':
		case 'links-disabled':
			return error;
	}
	if (status === 409) return 'claimed';
	if (status === 401) return 'token-expired';
	if (status === 403) return unnamed403;
	return 'unreachable';
}

function apiUrl(board: string, action: string): string {
	return `${API_BOARDS_PREFIX}${encodeURIComponent(board)}/${action}`;
}

/** One API call: the JSON body on `okStatus`, the problem otherwise. */
async function call(fetcher: typeof fetch, url: string, init: RequestInit, okStatus: number, unnamed403?: AccessProblem): Promise<Answer<unknown>> {
	let response: Response;
	try {
		response = await fetcher(url, { cache: 'no-store', ...init });
	} catch {
		return { ok: false, problem: 'unreachable' };
	}
	let body: unknown = null;
	try {
		body = await response.json();
	} catch {
		// Not JSON (a proxy's error page, a server without the API): judged by its status alone.
	}
	if (response.status === okStatus) return { ok: true, value: body };
	return { ok: false, problem: readProblem(response.status, body, unnamed403) };
}

const bearer = (token: string | null): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});

/** The board API, for one board, on the page's own origin. */
export class BoardAccessApi {
	constructor(
		readonly board: string,
		private readonly fetcher: typeof fetch = (...args) => fetch(...args)
	) {}

	/** Claims an unclaimed board: this page gets its edit token and both links. */
	async claim(): Promise<Answer<{ token: string; grant: Grant }>> {
		const answer = await call(this.fetcher, apiUrl(this.board, 'claim'), { method: 'POST' }, 201);
		if (!answer.ok) return answer;
		const grant = readGrant(answer.value);
		const token = isRecord(answer.value) ? answer.value.token : undefined;
		if (!grant || typeof token !== 'string') return { ok: false, problem: 'unreachable' };
		return { ok: true, value: { token, grant } };
	}

	/** What `token` (or no token) may do on the board. */
	async access(token: string | null): Promise<Answer<Grant>> {
		const answer = await call(this.fetcher, apiUrl(this.board, 'access'), { headers: bearer(token) }, 200);
		if (!answer.ok) return answer;
		const grant = readGrant(answer.value);
		return grant ? { ok: true, value: grant } : { ok: false, problem: 'unreachable' };
	}

	/** Replaces the board's `right` link: the old one stops working at once. `token` is the new edit token when the caller's own link was the one reset. */
	async reset(right: Right, token: string): Promise<Answer<{ links: Links; token?: string }>> {
		const init = { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ right }) };
		// A 403 that names no problem is the server refusing a viewer.
		const answer = await call(this.fetcher, apiUrl(this.board, 'links/reset'), init, 200, 'forbidden');
		if (!answer.ok) return answer;
		if (!isRecord(answer.value)) return { ok: false, problem: 'unreachable' };
		const value: { links: Links; token?: string } = { links: readLinks(answer.value.links) };
		if (typeof answer.value.token === 'string') value.token = answer.value.token;
		return { ok: true, value };
	}
}
