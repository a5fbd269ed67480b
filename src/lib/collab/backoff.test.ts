// The retry stage: the backoff grows, is capped and jittered; attempts run when due, at once when asked, and never after a cancel.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECONNECT_BASE_DELAY_MS, RECONNECT_MAX_DELAY_MS, RetrySchedule, reconnectDelayMs } from '$lib/collab/backoff';

afterEach(() => {
	vi.useRealTimers();
});

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

describe('RetrySchedule', () => {
	/** A schedule without jitter (delays at the top of each window), counting attempts. */
	function schedule() {
		vi.useFakeTimers();
		let attempts = 0;
		let changes = 0;
		const retry = new RetrySchedule(
			() => attempts++,
			() => changes++,
			() => 1
		);
		return { retry, attempts: () => attempts, changes: () => changes };
	}

	it('attempts once the delay has passed, and waits longer after each close', () => {
		const { retry, attempts } = schedule();
		retry.closed();
		expect(retry.state).toEqual({ attempt: 1, nextAttemptAt: Date.now() + RECONNECT_BASE_DELAY_MS });
		vi.advanceTimersByTime(RECONNECT_BASE_DELAY_MS - 1);
		expect(attempts()).toBe(0);
		vi.advanceTimersByTime(1);
		expect(attempts()).toBe(1);
		expect(retry.state.nextAttemptAt).toBeNull();

		retry.closed();
		vi.advanceTimersByTime(2 * RECONNECT_BASE_DELAY_MS - 1);
		expect(attempts()).toBe(1);
		vi.advanceTimersByTime(1);
		expect(attempts()).toBe(2);
	});

	it('starts again from the shortest delay once a connection synced', () => {
		const { retry, attempts } = schedule();
		for (let i = 0; i < 4; i++) {
			retry.closed();
			vi.runOnlyPendingTimers();
		}
		retry.synced();
		expect(retry.state.attempt).toBe(0);
		retry.closed();
		vi.advanceTimersByTime(RECONNECT_BASE_DELAY_MS);
		expect(attempts()).toBe(5);
	});

	it('retries at once when asked while an attempt waits, and not otherwise', () => {
		const { retry, attempts } = schedule();
		retry.retryNow();
		expect(attempts()).toBe(0);
		retry.closed();
		retry.retryNow();
		expect(attempts()).toBe(1);
		expect(retry.state.nextAttemptAt).toBeNull();
		vi.advanceTimersByTime(RECONNECT_MAX_DELAY_MS);
		expect(attempts()).toBe(1); // the scheduled attempt was the one run
	});

	it('attempts nothing after a cancel, and says the schedule changed', () => {
		const { retry, attempts, changes } = schedule();
		retry.closed();
		const before = changes();
		retry.cancel();
		expect(changes()).toBe(before + 1);
		expect(retry.state.nextAttemptAt).toBeNull();
		vi.advanceTimersByTime(RECONNECT_MAX_DELAY_MS);
		expect(attempts()).toBe(0);
	});
});
