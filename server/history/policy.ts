/** When versions are made and how long they are kept: the policy, declared once with its defaults (README "Configuration", docs/protocol.md "History"). */
import type { RetentionPolicy } from '../storage/version-retention.ts';

const HOUR_MS = 3_600_000;

export interface HistoryPolicy {
	/** An automatic version once the board had no edit for this long (HISTORY_QUIET_MS)… */
	quietMs: number;
	/** …or this long after the first edit it does not hold yet, however busy the board (HISTORY_MAX_INTERVAL_MS). */
	maxIntervalMs: number;
	/** One update deleting at least this many shapes stores a `before-delete` version first (HISTORY_LARGE_DELETE). */
	largeDelete: number;
	retention: RetentionPolicy;
}

export const DEFAULT_HISTORY: Readonly<HistoryPolicy> = Object.freeze({
	quietMs: 60_000,
	maxIntervalMs: 10 * 60_000,
	largeDelete: 20,
	retention: Object.freeze({ keepAllMs: 24 * HOUR_MS, keepHourlyMs: 7 * 24 * HOUR_MS, maxBoardBytes: 64 * 1024 * 1024 })
});

/** The clock versions are timed by: the system's in production, a test's own in tests (no sleeps). */
export interface HistoryClock {
	/** Ms since the epoch. */
	now(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: HistoryClock = {
	now: () => Date.now(),
	setTimeout: (run, ms) => setTimeout(run, ms).unref(),
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
};
