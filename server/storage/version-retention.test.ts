/** The retention rule: all of the last day, hourly for a week, daily after; named versions kept; the byte cap drops the oldest unnamed first. */
import { describe, expect, it } from 'vitest';
import { versionsToThin, type RetainedVersion } from './version-retention.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 1_000 * DAY;
const policy = { keepAllMs: DAY, keepHourlyMs: 7 * DAY, maxBoardBytes: 1_000_000 };
const at = (id: string, ageMs: number, extra: Partial<RetainedVersion> = {}): RetainedVersion => ({ id, createdAt: NOW - ageMs, name: null, bytes: 10, ...extra });

describe('versionsToThin', () => {
	it('keeps every version of the last day', () => {
		const versions = Array.from({ length: 50 }, (_, i) => at(`v${i}`, i * 60_000));
		expect(versionsToThin(versions, NOW, policy)).toEqual([]);
	});

	it('keeps the newest of each hour between a day and a week old', () => {
		const base = 2 * DAY + 10 * 60_000; // ten minutes into an hour, two days ago
		const versions = [at('newest', base - 5 * 60_000), at('older', base), at('oldest', base + 4 * 60_000), at('next-hour', base + HOUR)];
		expect(versionsToThin(versions, NOW, policy).sort()).toEqual(['older', 'oldest']);
	});

	it('keeps the newest of each day past a week', () => {
		const base = 10 * DAY - 12 * HOUR; // noon, ten days ago
		const versions = [at('a', base), at('b', base + 2 * HOUR), at('c', base + 5 * HOUR), at('other-day', base + DAY)];
		expect(versionsToThin(versions, NOW, policy).sort()).toEqual(['b', 'c']);
	});

	it('keeps named versions whatever their age', () => {
		const versions = [at('a', 30 * DAY - 3 * HOUR, { name: 'kept' }), at('b', 30 * DAY - 2 * HOUR), at('c', 30 * DAY - HOUR)];
		expect(versionsToThin(versions, NOW, policy)).toEqual(['c']);
	});

	it('drops the oldest unnamed versions past the byte cap, never named ones nor the newest', () => {
		const cap = { ...policy, maxBoardBytes: 250 };
		const versions = [at('new', 0, { bytes: 100 }), at('mid', HOUR, { bytes: 100 }), at('old', 2 * HOUR, { bytes: 100 }), at('named', 3 * HOUR, { bytes: 100, name: 'n' })];
		expect(versionsToThin(versions, NOW, cap).sort()).toEqual(['mid', 'old']);
	});
});
