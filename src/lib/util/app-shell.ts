/** The offline app shell's rules (src/service-worker.ts): which requests the service worker answers, and how. */

/** Every cache the service worker writes starts with this; the current one ends with the build's version. */
export const APP_CACHE_PREFIX = 'boardwalk-app-';

/** The page every board address renders (`/b/<id>` is the same shell for any id: the router reads the address). */
export const BOARD_SHELL_PATH = '/b/offline-shell';
export const HOME_PATH = '/';

export const appCacheName = (version: string): string => `${APP_CACHE_PREFIX}${version}`;

/** Caches of other builds: removed once this build's worker is active, so an upgrade leaves nothing old behind. */
export const staleCaches = (names: readonly string[], version: string): string[] =>
	names.filter((name) => name.startsWith(APP_CACHE_PREFIX) && name !== appCacheName(version));

/**
 * How the worker answers a request:
 * - `asset`: a file of this build (hashed, or static): from this build's cache, else the network;
 * - `page`: an address of the app: the network first, so an online reload always gets the newest release,
 *   and the cached shell (`fallback`) only when the network fails;
 * - `pass`: not the worker's business (the socket, the APIs, previews, exports, `version.json`, other
 *   origins, anything not a GET): the browser fetches it as if there were no worker.
 */
export type ShellRoute = { kind: 'asset' } | { kind: 'page'; fallback: string } | { kind: 'pass' };

export function routeRequest(
	request: { method: string; url: string; mode: string },
	origin: string,
	assets: ReadonlySet<string>
): ShellRoute {
	if (request.method !== 'GET') return { kind: 'pass' };
	const url = new URL(request.url);
	if (url.origin !== origin) return { kind: 'pass' };
	if (assets.has(url.pathname)) return { kind: 'asset' };
	if (request.mode !== 'navigate') return { kind: 'pass' };
	if (url.pathname === HOME_PATH) return { kind: 'page', fallback: HOME_PATH };
	if (/^\/b\/[^/]+$/.test(url.pathname)) return { kind: 'page', fallback: BOARD_SHELL_PATH };
	return { kind: 'pass' };
}
