/**
 * Tokens from around the page (docs/protocol.md "Embedding"): a host application that shows the board in
 * an iframe hands it fresh tokens with `postMessage` and is told a minute before one expires; a link put
 * into the address bar of an open board opens it with that link.
 */
import { on } from 'svelte/events';
import { readFragmentToken } from '$lib/collab/access';

/** `{type: 'boardwalk:token', token}`: from the host page, a token to use from now on. */
export const TOKEN_MESSAGE = 'boardwalk:token';
/** `{type: 'boardwalk:token-expiring', board, expiresAt}`: to the host page, time to send a fresh token. */
export const TOKEN_EXPIRING_MESSAGE = 'boardwalk:token-expiring';
/** How long before the token expires the host page is told. */
export const EXPIRY_NOTICE_MS = 60_000;
/** Longest delay setTimeout keeps (about 24.8 days); a token expiring later is not announced. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What this module needs of the board session. */
export interface TokenUser {
	readonly token: string | null;
	readonly expiresAt: number | null;
	useToken(token: string): Promise<boolean>;
}

/** The token of a `boardwalk:token` message, or null for any other message. */
export function readTokenMessage(data: unknown): string | null {
	if (typeof data !== 'object' || data === null) return null;
	const { type, token } = data as { type?: unknown; token?: unknown };
	return type === TOKEN_MESSAGE && typeof token === 'string' && token.length > 0 ? token : null;
}

/** Listens for tokens from the host page and the address bar, and tells the host page before the token expires. Returns the way to stop. */
export function listenForTokens(session: TokenUser, board: string, win: Window = window): () => void {
	const embedded = win.parent !== win;
	const offMessage = on(win, 'message', (event: MessageEvent) => {
		// Only the page the board is embedded in may hand it a token; any other window's messages are ignored.
		if (!embedded || event.source !== win.parent) return;
		const token = readTokenMessage(event.data);
		if (token !== null && token !== session.token) void session.useToken(token);
	});
	const offHash = on(win, 'hashchange', () => {
		const token = readFragmentToken(win.location.hash);
		if (token !== null && token !== session.token) void session.useToken(token);
	});
	const stopNotice = $effect.root(() => {
		$effect(() => {
			const expiresAt = session.expiresAt;
			if (!embedded || expiresAt === null) return;
			const delay = Math.max(0, expiresAt - EXPIRY_NOTICE_MS - Date.now());
			if (delay > MAX_TIMER_MS) return;
			// The message holds no secret: the board's id and when its token expires.
			const timer = setTimeout(() => win.parent.postMessage({ type: TOKEN_EXPIRING_MESSAGE, board, expiresAt }, '*'), delay);
			return () => clearTimeout(timer);
		});
	});
	return () => {
		offMessage();
		offHash();
		stopNotice();
	};
}
