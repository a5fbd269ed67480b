import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '$lib/collab/session.svelte';
import { ANNOUNCE, hear, startHearing } from '$lib/components/connection-announcements';

/** What the live region says over a run of states, in order (silent steps left out). */
function said(steps: readonly (ConnectionStatus | [ConnectionStatus, 'edit' | 'view'])[], access: 'edit' | 'view' = 'edit'): string[] {
	let heard = startHearing(access);
	const out: string[] = [];
	for (const step of steps) {
		const [status, right] = typeof step === 'string' ? [step, heard.access] : step;
		const next = hear(heard, status, right);
		heard = next.heard;
		if (next.say !== null) out.push(next.say);
	}
	return out;
}

describe('connection announcements', () => {
	it('say nothing while the board opens and connects', () => {
		expect(said(['connecting', 'connected', 'connected'])).toEqual([]);
	});

	it('say once that the connection was lost, however many retries, and once that it is back', () => {
		expect(said(['connecting', 'connected', 'offline', 'connecting', 'offline', 'connecting', 'offline', 'connecting', 'connected'])).toEqual([
			ANNOUNCE.lost,
			ANNOUNCE.back
		]);
	});

	it('tell a page that never connected that it is retrying', () => {
		expect(said(['connecting', 'offline', 'connecting', 'connected'])).toEqual([ANNOUNCE.cannotConnect, ANNOUNCE.back]);
	});

	it('say when syncing stopped for good', () => {
		expect(said(['connecting', 'connected', 'stopped'])).toEqual([ANNOUNCE.stopped]);
	});

	it('say when the page becomes view only, and not for a page that opened so', () => {
		expect(said(['connected', ['connected', 'view']])).toEqual([ANNOUNCE.viewOnly]);
		expect(said(['connecting', 'connected'], 'view')).toEqual([]);
	});
});
