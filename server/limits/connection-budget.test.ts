// A connection's budget: bursts of frames and bytes, debt with the time to pay it back, and abuse past one burst of debt.
import { describe, expect, it } from 'vitest';
import { ConnectionBudget } from './connection-budget.ts';
import { BYTE_BURST_SECONDS, MESSAGE_BURST_SECONDS } from './limits.ts';

function clock() {
	let now = 0;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ConnectionBudget', () => {
	it('lets a burst of frames through, then owes time at the frame rate', () => {
		const c = clock();
		const budget = new ConnectionBudget({ messagesPerSecond: 10, bytesPerSecond: 1e9 }, c.now);
		for (let i = 0; i < 10 * MESSAGE_BURST_SECONDS; i++) expect(budget.charge(1, 10)).toBe(0);
		expect(budget.charge(1, 10)).toBe(100);
		expect(budget.charge(1, 10)).toBe(200);
		c.advance(200);
		expect(budget.charge(0, 0)).toBe(0);
		expect(budget.abusive).toBe(false);
	});

	it('owes time at the byte rate for big frames', () => {
		const c = clock();
		const budget = new ConnectionBudget({ messagesPerSecond: 1e6, bytesPerSecond: 1000 }, c.now);
		expect(budget.charge(1, 1000 * BYTE_BURST_SECONDS)).toBe(0);
		expect(budget.charge(1, 500)).toBe(500);
	});

	it('is abusive once its debt passes a whole burst', () => {
		const budget = new ConnectionBudget({ messagesPerSecond: 10, bytesPerSecond: 1e9 }, () => 0);
		budget.charge(2 * 10 * MESSAGE_BURST_SECONDS, 0);
		expect(budget.abusive).toBe(false);
		budget.charge(1, 0);
		expect(budget.abusive).toBe(true);
	});
});
