import { describe, expect, it } from 'vitest';
import { appCacheName, BOARD_SHELL_PATH, HOME_PATH, routeRequest, staleCaches } from '$lib/util/app-shell';

const ORIGIN = 'https://boards.example';
const assets = new Set(['/_app/immutable/entry/start.abc.js', '/favicon.svg']);
const get = (path: string, mode = 'no-cors') => ({ method: 'GET', url: `${ORIGIN}${path}`, mode });

describe('the offline app shell', () => {
	it('answers this build’s files from its cache', () => {
		expect(routeRequest(get('/_app/immutable/entry/start.abc.js', 'cors'), ORIGIN, assets)).toEqual({ kind: 'asset' });
		expect(routeRequest(get('/favicon.svg'), ORIGIN, assets)).toEqual({ kind: 'asset' });
	});

	it('opens a board address or home from the network first, with the shell as the offline fallback', () => {
		expect(routeRequest(get('/b/abc123', 'navigate'), ORIGIN, assets)).toEqual({ kind: 'page', fallback: BOARD_SHELL_PATH });
		expect(routeRequest(get('/b/abc123?x=1', 'navigate'), ORIGIN, assets)).toEqual({ kind: 'page', fallback: BOARD_SHELL_PATH });
		expect(routeRequest(get('/', 'navigate'), ORIGIN, assets)).toEqual({ kind: 'page', fallback: HOME_PATH });
	});

	it('leaves the socket, the APIs, previews, version checks, writes and other origins to the network', () => {
		for (const path of ['/api/boards/b1/access', '/preview/b1', '/export/b1.boardwalk', '/_app/version.json', '/ws/b1', '/metrics'])
			expect(routeRequest(get(path), ORIGIN, assets)).toEqual({ kind: 'pass' });
		expect(routeRequest({ method: 'POST', url: `${ORIGIN}/_app/immutable/entry/start.abc.js`, mode: 'cors' }, ORIGIN, assets)).toEqual({ kind: 'pass' });
		expect(routeRequest(get('/_app/immutable/entry/start.abc.js', 'cors'), 'https://other.example', assets)).toEqual({ kind: 'pass' });
		// An unknown page (a typo, /new's redirect) is the server's to answer.
		expect(routeRequest(get('/new', 'navigate'), ORIGIN, assets)).toEqual({ kind: 'pass' });
		expect(routeRequest(get('/b/a/b', 'navigate'), ORIGIN, assets)).toEqual({ kind: 'pass' });
	});

	it('drops every other build’s cache and nothing else', () => {
		const names = [appCacheName('1'), appCacheName('2'), 'someone-elses-cache'];
		expect(staleCaches(names, '2')).toEqual([appCacheName('1')]);
	});
});
