// When a room's log is folded: the policy's decision, the idle timer, and what a failed or concurrent compaction leaves.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.ts';
import { Compactor, DEFAULT_COMPACTION, compactionDue, type CompactionPolicy } from './compaction.ts';

const policy: CompactionPolicy = { afterUpdates: 5, afterBytes: 1000, whenIdleMs: 300 };
const update = (bytes: number) => new Uint8Array(bytes);

describe('compactionDue', () => {
	const cases: Array<[string, number, number, number, boolean]> = [
		// what, log updates, log bytes, snapshot bytes, due
		['an empty log', 0, 0, 0, false],
		['fewer updates than afterUpdates', 4, 40, 0, false],
		['afterUpdates on a small board', 5, 50, 100, true],
		['afterUpdates, but the log under a quarter of a big snapshot', 5, 50, 10_000, false],
		['afterUpdates with the log at a quarter of the snapshot', 5, 250, 1000, true],
		['afterBytes whatever the snapshot', 1, 1000, 1_000_000, true]
	];
	for (const [what, updates, bytes, snapshot, due] of cases) {
		it(`${due ? 'compacts' : 'waits'} for ${what}`, () => {
			expect(compactionDue(policy, updates, bytes, snapshot)).toBe(due);
		});
	}

	it('has the defaults README documents', () => {
		expect(DEFAULT_COMPACTION).toEqual({ afterUpdates: 500, afterBytes: 4 * 1024 * 1024, whenIdleMs: 10_000 });
	});
});

describe('Compactor', () => {
	let stored: Array<{ snapshot: number; throughSeq: number }>;
	let failNext: boolean;
	let settled: boolean;
	let releaseStore: (() => void) | null;
	let holdStore: boolean;

	beforeEach(() => {
		stored = [];
		failNext = false;
		settled = true;
		releaseStore = null;
		holdStore = false;
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	function compactor(snapshotBytes = 10): Compactor {
		return new Compactor({
			policy,
			log: createLogger('silent'),
			room: 'r',
			storage: {
				compact: async (_room, snapshot, throughSeq) => {
					if (holdStore) await new Promise<void>((resolve) => (releaseStore = resolve));
					if (failNext) {
						failNext = false;
						throw new Error('disk full');
					}
					stored.push({ snapshot: snapshot.byteLength, throughSeq });
				}
			},
			source: {
				snapshot: () => update(snapshotBytes),
				get settled() {
					return settled;
				}
			}
		});
	}

	it('compacts through the last stored seq once the policy says so, and counts the log from zero after', async () => {
		const c = compactor();
		c.loaded({ snapshot: null, updates: [update(10)], lastSeq: 7 });
		c.appended([update(10), update(10), update(10)], 10);
		await c.settle();
		expect(stored).toEqual([]);
		c.appended([update(10)], 11);
		await c.settle();
		expect(stored).toEqual([{ snapshot: 10, throughSeq: 11 }]);
		expect(c.logSize).toEqual({ updates: 0, bytes: 0 });
	});

	it('compacts a log that is not due once the room has been at rest for whenIdleMs', async () => {
		const c = compactor();
		c.appended([update(10)], 1);
		await c.settle();
		await vi.advanceTimersByTimeAsync(policy.whenIdleMs - 1);
		expect(stored).toEqual([]);
		// Another update re-arms the timer: rest is counted from the last one.
		c.appended([update(10)], 2);
		await c.settle();
		await vi.advanceTimersByTimeAsync(policy.whenIdleMs - 1);
		expect(stored).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(stored).toEqual([{ snapshot: 10, throughSeq: 2 }]);
	});

	it('leaves the idle compaction to a later moment while updates wait to be stored', async () => {
		const c = compactor();
		c.appended([update(10)], 1);
		await c.settle();
		settled = false;
		await vi.advanceTimersByTimeAsync(policy.whenIdleMs);
		expect(stored).toEqual([]);
	});

	it('keeps counting the log after a failed compaction, and retries on the next settle', async () => {
		const c = compactor();
		c.appended([update(10), update(10), update(10), update(10), update(10)], 5);
		failNext = true;
		await c.settle();
		expect(stored).toEqual([]);
		expect(c.logSize).toEqual({ updates: 5, bytes: 50 });
		c.appended([update(10)], 6);
		await c.settle();
		expect(stored).toEqual([{ snapshot: 10, throughSeq: 6 }]);
	});

	it('keeps counting updates appended while an asynchronous store of the snapshot was in flight', async () => {
		const c = compactor();
		c.appended([update(10)], 1);
		holdStore = true;
		const compacting = c.compact();
		c.appended([update(20)], 2);
		// A second request while one runs joins it rather than racing it.
		expect(c.compact()).toBe(compacting);
		releaseStore!();
		await compacting;
		expect(stored).toEqual([{ snapshot: 10, throughSeq: 1 }]);
		expect(c.logSize).toEqual({ updates: 1, bytes: 20 });
	});

	it('does nothing once stopped, and leaves no timer behind', async () => {
		const c = compactor();
		c.appended([update(10)], 1);
		await c.settle();
		c.stop();
		expect(vi.getTimerCount()).toBe(0);
		await c.compact();
		expect(stored).toEqual([]);
	});
});
