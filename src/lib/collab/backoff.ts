/** The retry stage: when to reconnect after a close, as capped exponential backoff with jitter, and at once when asked. */

export const RECONNECT_BASE_DELAY_MS = 500;
export const RECONNECT_MAX_DELAY_MS = 15_000;

/**
 * Delay before attempt `attempt` (0-based): exponential, capped, with "equal jitter" — half of it
 * fixed, half random — so a server restart is not met by every tab at the same instant.
 */
export function reconnectDelayMs(
	attempt: number,
	random: () => number = Math.random,
	baseMs = RECONNECT_BASE_DELAY_MS,
	maxMs = RECONNECT_MAX_DELAY_MS
): number {
	const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
	return Math.round(cap / 2 + random() * (cap / 2));
}

export interface RetryState {
	/** Closes since the last successful sync. */
	attempt: number;
	/** When the next attempt is due (epoch ms), or null when none is scheduled. */
	nextAttemptAt: number | null;
}

/**
 * Schedules `attempt` after each close: a server that accepts the socket and then drops it is backed off
 * like one that refuses it, so the count goes back to zero only when a connection synced.
 */
export class RetrySchedule {
	readonly state: RetryState = { attempt: 0, nextAttemptAt: null };
	#timer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private readonly attempt: () => void,
		private readonly onChange: () => void = () => {},
		private readonly random: () => number = Math.random
	) {}

	/** The connection closed and should come back: the next attempt waits out the backoff. */
	closed(): void {
		this.#clear();
		const delay = reconnectDelayMs(this.state.attempt, this.random);
		this.state.attempt++;
		this.state.nextAttemptAt = Date.now() + delay;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#run();
		}, delay);
		this.onChange();
	}

	/** A connection synced: the next close starts again from the shortest delay. */
	synced(): void {
		if (this.state.attempt === 0) return;
		this.state.attempt = 0;
		this.onChange();
	}

	/** Runs the waiting attempt now (the network came back, the tab became visible, the person asked); nothing if none waits. */
	retryNow(): void {
		if (this.#timer === null) return;
		this.#clear();
		this.#run();
	}

	/** No more attempts (the close was fatal, or the session ends). */
	cancel(): void {
		if (this.#timer === null) return;
		this.#clear();
		this.state.nextAttemptAt = null;
		this.onChange();
	}

	#run(): void {
		this.state.nextAttemptAt = null;
		this.attempt();
		this.onChange();
	}

	#clear(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
