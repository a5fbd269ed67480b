import { describe, expect, it } from 'vitest';
import { syncUrl } from '$lib/collab/session.svelte';

describe('syncUrl', () => {
	it('uses ws on http and wss on https, on the page origin, under /ws/<room>', () => {
		expect(syncUrl({ protocol: 'http:', host: 'localhost:5173' }, 'abc')).toBe('ws://localhost:5173/ws/abc');
		expect(syncUrl({ protocol: 'https:', host: 'board.example' }, 'x_y-z')).toBe('wss://board.example/ws/x_y-z');
	});
});
