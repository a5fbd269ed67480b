/** The address a request came from: the socket's peer, or the client a trusted reverse proxy names in X-Forwarded-For. */

/**
 * `trustedProxies` is how many reverse proxies stand between the internet and this server (TRUST_PROXY).
 * Each appends the address it received the request from to X-Forwarded-For, so the client is the entry
 * that many places from the right; anything further left was written by the client itself and proves
 * nothing. With 0 (the default) the header is ignored: any client could write it.
 */
export function clientAddress(remoteAddress: string | null | undefined, forwardedFor: string | null | undefined, trustedProxies: number): string | null {
	const peer = normalise(remoteAddress ?? null);
	if (trustedProxies <= 0 || !forwardedFor) return peer;
	const hops = forwardedFor
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	// The last trusted proxy is our peer; it appended the address it saw last.
	const index = hops.length - trustedProxies;
	return normalise(hops[Math.max(0, index)] ?? null) ?? peer;
}

/** One spelling per address: IPv4 clients of a dual-stack socket arrive as `::ffff:1.2.3.4`. */
function normalise(address: string | null): string | null {
	if (!address) return null;
	return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
