// Tokens from around the page: only the embedding page's messages are read, only token messages, and the address bar's link.
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_MESSAGE, listenForTokens, readTokenMessage } from '$lib/collab/embedding.svelte';

describe('readTokenMessage', () => {
	it('takes the token of a boardwalk:token message and nothing else', () => {
		expect(readTokenMessage({ type: TOKEN_MESSAGE, token: 'a.b.c' })).toBe('a.b.c');
		for (const data of [null, 'boardwalk:token', { type: TOKEN_MESSAGE }, { type: TOKEN_MESSAGE, token: '' }, { type: TOKEN_MESSAGE, token: 42 }, { type: 'other', token: 'x' }]) {
			expect(readTokenMessage(data)).toBeNull();
		}
	});
});

/** A window as far as the listener looks at it: events, a parent, and a fragment. */
class FakeWindow extends EventTarget {
	location = { hash: '' };
	constructor(readonly parent: unknown = null) {
		super();
	}
}

function message(data: unknown, source: unknown): Event {
	return Object.assign(new Event('message'), { data, source });
}

const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function listen(win: FakeWindow, token = 'vCurrent') {
	const used: string[] = [];
	const session = { token, expiresAt: null, useToken: async (t: string) => (used.push(t), true) };
	stops.push(listenForTokens(session, 'board', win as unknown as Window));
	return used;
}

describe('listenForTokens', () => {
	it('uses a token the embedding page sends, and ignores the same message from any other window, or its own token again', () => {
		const host = new FakeWindow();
		const win = new FakeWindow(host);
		const used = listen(win);
		win.dispatchEvent(message({ type: TOKEN_MESSAGE, token: 'eFromItself' }, win));
		win.dispatchEvent(message({ type: TOKEN_MESSAGE, token: 'eFromAnotherFrame' }, new FakeWindow()));
		win.dispatchEvent(message({ type: TOKEN_MESSAGE, token: 'eNoSource' }, null));
		win.dispatchEvent(message({ type: 'something-else', token: 'eOther' }, host));
		win.dispatchEvent(message({ type: TOKEN_MESSAGE, token: 'vCurrent' }, host));
		expect(used).toEqual([]);
		win.dispatchEvent(message({ type: TOKEN_MESSAGE, token: 'eFromHost' }, host));
		expect(used).toEqual(['eFromHost']);
	});

	it('a page that is not embedded (its parent is itself) takes no token by message', () => {
		const win = new FakeWindow();
		Object.defineProperty(win, 'parent', { value: win });
		const used = listen(win);
		win.dispatchEvent(message({ type: TOKEN_MESSAGE, token: 'eFromItself' }, win));
		expect(used).toEqual([]);
	});

	it('opens the board with a link put into the address bar', () => {
		const win = new FakeWindow(new FakeWindow());
		const used = listen(win);
		win.location.hash = '#t=vCurrent';
		win.dispatchEvent(new Event('hashchange'));
		win.location.hash = '#t=eOtherLink';
		win.dispatchEvent(new Event('hashchange'));
		win.location.hash = '';
		win.dispatchEvent(new Event('hashchange'));
		expect(used).toEqual(['eOtherLink']);
	});
});
