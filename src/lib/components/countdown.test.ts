import { describe, expect, it } from 'vitest';
import { msUntilNextTick, secondsUntil } from '$lib/components/countdown';

describe('the retry countdown', () => {
	it('shows whole seconds, rounded up, never negative', () => {
		expect(secondsUntil(10_000, 0)).toBe(10);
		expect(secondsUntil(10_000, 1)).toBe(10);
		expect(secondsUntil(10_000, 999)).toBe(10);
		expect(secondsUntil(10_000, 1000)).toBe(9);
		expect(secondsUntil(10_000, 9_999)).toBe(1);
		expect(secondsUntil(10_000, 10_000)).toBe(0);
		expect(secondsUntil(10_000, 12_000)).toBe(0);
	});

	it('wakes when the number changes: once a second, in step with the deadline', () => {
		expect(msUntilNextTick(10_000, 0)).toBe(1000);
		expect(msUntilNextTick(10_000, 250)).toBe(750);
		expect(msUntilNextTick(10_300, 0)).toBe(300);
		// Waking then shows one second less each time, from 11 down to 1.
		let now = 0;
		const shown: number[] = [];
		while (now < 10_300) {
			shown.push(secondsUntil(10_300, now));
			now += msUntilNextTick(10_300, now);
		}
		expect(shown).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
	});

	it('waits a second once the deadline has passed', () => {
		expect(msUntilNextTick(10_000, 10_000)).toBe(1000);
		expect(msUntilNextTick(10_000, 11_000)).toBe(1000);
	});
});
