/** Which page origins may open a board: ORIGIN, ALLOWED_ORIGINS and the server's own; others are refused before anything is served. */
import type { Logger } from '../log.ts';

/** One warning per this long at most for refused origins: any web page can make a visitor's browser trigger one. */
const WARN_INTERVAL_MS = 60_000;

export interface OriginPolicyOptions {
	/** ORIGIN (always set: config.ts gives it a default) and ALLOWED_ORIGINS, as origins. */
	allowed: readonly string[];
	/** TRUST_PROXY: with proxies in front, the request's own origin is built from X-Forwarded-Proto and -Host. */
	trustProxy: number;
	log: Logger;
}

/** What the policy reads of a request. */
export interface OriginRequest {
	headers: Headers;
	url: string;
}

/** The first entry of a header a proxy may have made a list of (as Express reads X-Forwarded-Host and -Proto). */
const firstEntry = (value: string | null) => value?.split(',')[0]?.trim() || null;

/**
 * The origin the request itself was made to, `<scheme>://<Host>`: a page served by this server has
 * this origin, whatever name or port the operator reaches it by. Behind trusted proxies the scheme
 * and host are the ones the proxy was asked for.
 */
export function requestOrigin(request: OriginRequest, trustProxy: number): string | null {
	const url = new URL(request.url);
	let scheme = url.protocol.slice(0, -1);
	let host = request.headers.get('host') ?? url.host;
	if (trustProxy > 0) {
		scheme = firstEntry(request.headers.get('x-forwarded-proto')) ?? scheme;
		host = firstEntry(request.headers.get('x-forwarded-host')) ?? host;
	}
	try {
		return new URL(`${scheme}://${host}`).origin;
	} catch {
		return null;
	}
}

export class OriginPolicy {
	private readonly allowed: ReadonlySet<string>;
	private lastWarnAt = -Infinity;
	private refusedSinceWarn = 0;

	constructor(private readonly options: OriginPolicyOptions) {
		this.allowed = new Set(options.allowed);
	}

	/**
	 * Whether the page that made `request` may use the board API. A missing Origin is allowed: browsers
	 * send one on every WebSocket upgrade and cross-site fetch, so only non-browser clients leave it
	 * out, and those could write any Origin they like; the token rules still apply to them.
	 */
	allows(request: OriginRequest): boolean {
		const origin = request.headers.get('origin');
		if (origin === null) return true;
		if (this.allowed.has(origin) || origin === requestOrigin(request, this.options.trustProxy)) return true;
		this.warn(origin);
		return false;
	}

	private warn(origin: string): void {
		this.refusedSinceWarn++;
		const now = performance.now();
		if (now - this.lastWarnAt < WARN_INTERVAL_MS) return;
		this.lastWarnAt = now;
		this.options.log.warn(
			{ origin, refused: this.refusedSinceWarn, allowed: [...this.allowed] },
			'refused a request from a page of another origin (set ALLOWED_ORIGINS to let it in); at most one such line a minute'
		);
		this.refusedSinceWarn = 0;
	}
}
