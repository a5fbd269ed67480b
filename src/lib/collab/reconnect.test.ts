// Backoff schedule: grows exponentially, is capped, and is jittered within [cap/2, cap].
import { describe, expect, it } from 'vitest';
import { RECONNECT_BASE_DELAY_MS, RECONNECT_MAX_DELAY_MS, reconnectDelayMs } from '$lib/collab/reconnect';

describe('reconnectDelayMs', () => {
	it('doubles per attempt up to the cap', () => {
		const high = (attempt: number) => reconnectDelayMs(attempt, () => 1);
		expect(high(0)).toBe(RECONNECT_BASE_DELAY_MS);
		expect(high(1)).toBe(2 * RECONNECT_BASE_DELAY_MS);
		expect(high(3)).toBe(8 * RECONNECT_BASE_DELAY_MS);
		expect(high(20)).toBe(RECONNECT_MAX_DELAY_MS);
		expect(high(10_000)).toBe(RECONNECT_MAX_DELAY_MS);
	});

	it('spreads retries over the upper half of the window', () => {
		// Attempt 3: the window is 8 × base, so delays fall in [4, 8] × base.
		expect(reconnectDelayMs(3, () => 0)).toBe(4 * RECONNECT_BASE_DELAY_MS);
		const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(3)));
		expect(delays.size).toBeGreaterThan(10);
		for (const d of delays) {
			expect(d).toBeGreaterThanOrEqual(4 * RECONNECT_BASE_DELAY_MS);
			expect(d).toBeLessThanOrEqual(8 * RECONNECT_BASE_DELAY_MS);
		}
	});
});
