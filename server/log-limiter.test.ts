// The log limiter: a few lines of a kind per window, then one summary of how many were held back.
import { describe, expect, it } from 'vitest';
import { LogLimiter } from './log-limiter.ts';

describe('LogLimiter', () => {
	it('lets the first lines of each kind through, counts the rest, and summarises them when the window ends', () => {
		let now = 0;
		const summaries: Array<[string, number]> = [];
		const limiter = new LogLimiter((kind, suppressed) => summaries.push([kind, suppressed]), 3, 60_000, () => now);
		const admitted = Array.from({ length: 10 }, () => limiter.admit('bad frame'));
		expect(admitted.filter(Boolean)).toHaveLength(3);
		expect(limiter.admit('another kind')).toBe(true);
		now = 60_000;
		expect(limiter.admit('bad frame')).toBe(true);
		expect(summaries).toEqual([['bad frame', 7]]);
	});
});
