// Which stored seqs a process applied: the contiguous prefix grows over out-of-order arrivals, and only a gap that lasts a whole interval is fetched.
import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker.ts';

describe('SeqTracker', () => {
	it('advances the contiguous prefix over seqs that arrive out of order', () => {
		const seqs = new SeqTracker(4);
		seqs.see(6);
		seqs.see(7);
		expect(seqs.contiguous).toBe(4);
		expect(seqs.has(6)).toBe(true);
		expect(seqs.has(5)).toBe(false);
		expect(seqs.behind).toBe(true);
		seqs.see(5);
		expect(seqs.contiguous).toBe(7);
		expect(seqs.behind).toBe(false);
	});

	it('reports a gap only once it stood through a whole interval, and a silence storage reported', () => {
		const seqs = new SeqTracker(0);
		seqs.see(2);
		expect(seqs.gapOutlived()).toBe(false); // seq 1 may be late on the bus
		expect(seqs.gapOutlived()).toBe(true);
		seqs.see(1);
		expect(seqs.gapOutlived()).toBe(false);
		seqs.heard(5); // stored, never published
		expect(seqs.gapOutlived()).toBe(false);
		expect(seqs.gapOutlived()).toBe(true);
	});

	it('jumps over everything a snapshot covered', () => {
		const seqs = new SeqTracker(0);
		seqs.see(9);
		seqs.see(12);
		seqs.seeThrough(8);
		expect(seqs.contiguous).toBe(9);
		expect(seqs.has(12)).toBe(true);
		seqs.seeThrough(11);
		expect(seqs.contiguous).toBe(12);
	});
});
