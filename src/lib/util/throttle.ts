/** Rate-limits live doc writes during a gesture: peers see work in progress without one update per pointer move. */

/** How often a drag, resize or stroke in progress is written to the shared doc. */
export const LIVE_WRITE_INTERVAL_MS = 50;

export interface Clock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
	now: () => performance.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/**
 * Keeps only the latest write: `run` executes it at once if the interval has passed,
 * otherwise schedules it for the end of the interval (replacing any older pending write).
 */
export class Throttle {
	#pending: (() => void) | null = null;
	#last = Number.NEGATIVE_INFINITY;
	#timer: unknown = null;

	constructor(
		readonly intervalMs: number = LIVE_WRITE_INTERVAL_MS,
		readonly clock: Clock = systemClock
	) {}

	/** `intervalMs` overrides the default for this write (a stroke's gap grows with its size). */
	run(write: () => void, intervalMs = this.intervalMs): void {
		this.#pending = write;
		const wait = this.#last + intervalMs - this.clock.now();
		if (wait <= 0) this.flush();
		else if (this.#timer === null) this.#timer = this.clock.setTimeout(() => this.flush(), wait);
	}

	/** Runs the pending write now (at the end of a gesture). */
	flush(): void {
		this.#clearTimer();
		const write = this.#pending;
		this.#pending = null;
		if (!write) return;
		this.#last = this.clock.now();
		write();
	}

	/** Drops the pending write (a cancelled gesture). */
	cancel(): void {
		this.#clearTimer();
		this.#pending = null;
	}

	get pending(): boolean {
		return this.#pending !== null;
	}

	#clearTimer(): void {
		if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
		this.#timer = null;
	}
}
