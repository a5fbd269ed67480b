/** The offline badge's countdown: whole seconds to the next retry, and when the shown number next changes. */

/** Whole seconds until `at` (epoch ms), never below 0. */
export function secondsUntil(at: number, now: number): number {
	return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Milliseconds until the shown number changes: the next whole-second boundary before `at`, so the
 * countdown ticks once a second in step with the retry, never twice in a second nor skipping one.
 */
export function msUntilNextTick(at: number, now: number): number {
	const left = at - now;
	if (left <= 0) return 1000;
	return left % 1000 || 1000;
}
