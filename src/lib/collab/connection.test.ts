import { describe, expect, it } from 'vitest';
import { syncServerUrl } from '$lib/collab/connection.svelte';

describe('syncServerUrl', () => {
	it('uses ws on http and wss on https, on the page origin, without the room', () => {
		expect(syncServerUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/ws');
		expect(syncServerUrl({ protocol: 'https:', host: 'board.example' })).toBe('wss://board.example/ws');
	});
});
