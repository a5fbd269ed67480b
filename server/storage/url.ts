/** A store's URL as logs and messages may show it: no credentials. */

/** A postgres:// URL with its user name and password left out (and its query, which may hold a password too). */
export function withoutCredentials(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return '(unparsable URL)';
	}
}
