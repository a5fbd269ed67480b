// The lifecycle's order: local copy → preview → sync → live → offline → retry, or stopped; no step skipped, nothing after stopped.
import { describe, expect, it } from 'vitest';
import { Lifecycle, connectionPhase, connectionStatus, type ConnectionFacts, type Phase } from '$lib/collab/lifecycle';

const facts = (overrides: Partial<ConnectionFacts> = {}): ConnectionFacts => ({
	socket: 'open',
	synced: false,
	attempt: 0,
	fatal: false,
	...overrides
});

function walk(steps: Phase[]): Phase[] {
	const seen: Phase[] = [];
	const lifecycle = new Lifecycle((phase) => seen.push(phase));
	for (const step of steps) lifecycle.to(step);
	return seen;
}

describe('Lifecycle', () => {
	it('follows local copy → preview → sync → live → offline → retry → sync → live', () => {
		const order: Phase[] = ['preview', 'sync', 'live', 'offline', 'retry', 'offline', 'retry', 'sync', 'live'];
		expect(walk(order)).toEqual(order);
	});

	it('refuses to skip a step: no sync before the local copy and the preview, no live before sync, no retry while live', () => {
		const lifecycle = new Lifecycle();
		expect(lifecycle.to('sync')).toBe(false);
		expect(lifecycle.to('live')).toBe(false);
		expect(lifecycle.phase).toBe('local-copy');
		expect(lifecycle.started).toBe(false);
		lifecycle.to('preview');
		expect(lifecycle.to('live')).toBe(false);
		expect(lifecycle.started).toBe(false);
		lifecycle.to('sync');
		expect(lifecycle.started).toBe(true);
		lifecycle.to('live');
		expect(lifecycle.to('retry')).toBe(false);
		expect(lifecycle.to('sync')).toBe(false);
		expect(lifecycle.phase).toBe('live');
	});

	it('stops from anywhere, and nothing follows stopped', () => {
		for (const before of [[], ['preview'], ['preview', 'sync'], ['preview', 'sync', 'live', 'offline', 'retry']] as Phase[][]) {
			expect(walk([...before, 'stopped', 'retry', 'sync', 'live']).at(-1)).toBe('stopped');
		}
	});

	it('lets the hold end wherever the connection is: down, reconnecting or open', () => {
		expect(walk(['preview', 'sync', 'offline'])).toEqual(['preview', 'sync', 'offline']);
		expect(walk(['preview', 'sync', 'retry'])).toEqual(['preview', 'sync', 'retry']);
	});
});

describe('connectionPhase', () => {
	it('reads the phase from what the provider says', () => {
		expect(connectionPhase(facts({ socket: 'connecting' }))).toBe('sync');
		expect(connectionPhase(facts())).toBe('sync');
		expect(connectionPhase(facts({ synced: true }))).toBe('live');
		expect(connectionPhase(facts({ socket: 'closed', attempt: 1 }))).toBe('offline');
		expect(connectionPhase(facts({ socket: 'connecting', attempt: 1 }))).toBe('retry');
		expect(connectionPhase(facts({ socket: 'closed', attempt: 1, fatal: true }))).toBe('stopped');
	});
});

describe('connectionStatus', () => {
	it('says connected only when live, offline after a failed attempt or without a network, stopped after a fatal close', () => {
		expect(connectionStatus('live', facts({ synced: true }), true)).toBe('connected');
		expect(connectionStatus('local-copy', facts({ socket: 'connecting' }), true)).toBe('connecting');
		expect(connectionStatus('sync', facts({ attempt: 2 }), true)).toBe('connecting'); // open again, syncing
		expect(connectionStatus('local-copy', facts({ socket: 'closed', attempt: 1 }), true)).toBe('offline');
		expect(connectionStatus('retry', facts({ socket: 'connecting', attempt: 3 }), true)).toBe('offline');
		expect(connectionStatus('sync', facts({ socket: 'connecting' }), false)).toBe('offline');
		expect(connectionStatus('stopped', facts({ socket: 'closed', fatal: true }), true)).toBe('stopped');
	});
});

describe('Lifecycle.restart', () => {
	it('takes a started session back to sync (a new token), stopped included, and changes nothing before the hold is over', () => {
		const seen: Phase[] = [];
		const lifecycle = new Lifecycle((phase) => seen.push(phase));
		expect(lifecycle.restart()).toBe(false);
		lifecycle.to('preview');
		expect(lifecycle.restart()).toBe(false);
		expect(lifecycle.phase).toBe('preview');
		for (const from of ['live', 'offline', 'retry', 'stopped'] as Phase[]) {
			lifecycle.to('sync');
			if (from === 'retry') lifecycle.to('offline');
			lifecycle.to(from);
			expect(lifecycle.phase).toBe(from);
			expect(lifecycle.to('sync')).toBe(from === 'retry');
			expect(lifecycle.restart()).toBe(true);
			expect(lifecycle.phase).toBe('sync');
		}
		expect(seen.at(-1)).toBe('sync');
	});
});
