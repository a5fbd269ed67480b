/** A HistoryClock a test moves by hand: timers run when the test advances past them, never by waiting. */
import type { HistoryClock } from '../../server/history/policy.ts';

export class ManualClock implements HistoryClock {
	private timers: Array<{ at: number; run: () => void; id: number }> = [];
	private nextId = 1;

	constructor(private time = Date.UTC(2026, 0, 5, 12)) {}

	now(): number {
		return this.time;
	}

	setTimeout(run: () => void, ms: number): unknown {
		const id = this.nextId++;
		this.timers.push({ at: this.time + ms, run, id });
		return id;
	}

	clearTimeout(handle: unknown): void {
		this.timers = this.timers.filter((t) => t.id !== handle);
	}

	/** Timers waiting. */
	get pending(): number {
		return this.timers.length;
	}

	/** Moves the clock `ms` forward, running every timer due on the way, in time order. */
	advance(ms: number): void {
		const end = this.time + ms;
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
			const next = this.timers[0];
			if (next === undefined || next.at > end) break;
			this.timers.shift();
			this.time = Math.max(this.time, next.at);
			next.run();
		}
		this.time = end;
	}
}
