/** Keeps any one kind of log line from flooding the log: the first few per minute are written, the rest counted and summarised. */

/** Lines of one kind written per window; the others are counted. */
export const LOG_LINES_PER_KIND_PER_WINDOW = 20;
export const LOG_WINDOW_MS = 60_000;
/** Kinds tracked at most (log messages are fixed strings, so there are few; a bound all the same). */
const MAX_KINDS = 1_000;

interface Window {
	startedAt: number;
	written: number;
	suppressed: number;
	timer: NodeJS.Timeout | null;
}

/**
 * Anything a client can make the server warn about (bad frames, refused presence, refused connections)
 * could otherwise write a line per message: 20 people's echoing clients were ~11,000 lines/s. The
 * limiter lets `perWindow` lines of a kind through per window, then reports how many it held back in
 * one summary line when the window ends.
 */
export class LogLimiter {
	private readonly windows = new Map<string, Window>();

	constructor(
		/** Writes the summary for `kind` when a window held some back. */
		private readonly summarise: (kind: string, suppressed: number) => void,
		private readonly perWindow = LOG_LINES_PER_KIND_PER_WINDOW,
		private readonly windowMs = LOG_WINDOW_MS,
		private readonly now: () => number = Date.now
	) {}

	/** Whether a line of `kind` may be written now; counts it otherwise. */
	admit(kind: string): boolean {
		const now = this.now();
		let window = this.windows.get(kind);
		if (window && now - window.startedAt >= this.windowMs) {
			this.close(kind, window);
			window = undefined;
		}
		if (!window) {
			if (this.windows.size >= MAX_KINDS) this.windows.clear();
			window = { startedAt: now, written: 0, suppressed: 0, timer: null };
			this.windows.set(kind, window);
		}
		if (window.written < this.perWindow) {
			window.written++;
			return true;
		}
		window.suppressed++;
		if (!window.timer) {
			const held = window;
			held.timer = setTimeout(() => this.close(kind, held), Math.max(0, held.startedAt + this.windowMs - now));
			held.timer.unref();
		}
		return false;
	}

	private close(kind: string, window: Window): void {
		if (window.timer) clearTimeout(window.timer);
		window.timer = null;
		if (this.windows.get(kind) === window) this.windows.delete(kind);
		if (window.suppressed > 0) this.summarise(kind, window.suppressed);
		window.suppressed = 0;
	}
}
