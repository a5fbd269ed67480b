/** Reconnection for a WebsocketProvider: capped exponential backoff with jitter, and an immediate retry when the network or the tab comes back. */
import type { WebsocketProvider } from 'y-websocket';
import { FATAL_CLOSE_CODES } from '$lib/shared/wire';

export const RECONNECT_BASE_DELAY_MS = 500;

/** For the provider's `shouldReconnect` option: retrying after a fatal close would fail the same way forever. */
export const shouldReconnect = (event: CloseEvent): boolean => !FATAL_CLOSE_CODES.has(event.code);
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

export interface ReconnectState {
	/** Attempts since the last successful sync. */
	attempt: number;
	/** When the next attempt is due (epoch ms), or null when none is scheduled. */
	nextAttemptAt: number | null;
}

/**
 * Takes retrying over from the provider, whose own backoff has no jitter and tops out at 2.5 s.
 * Fatal closes (see FATAL_CLOSE_CODES) are left to the provider, which stops for good.
 */
export class Reconnector {
	private timer: ReturnType<typeof setTimeout> | null = null;
	private readonly listeners = new Set<() => void>();
	private detachTriggers: () => void = () => {};
	readonly state: ReconnectState = { attempt: 0, nextAttemptAt: null };

	constructor(
		private readonly provider: WebsocketProvider,
		private readonly random: () => number = Math.random
	) {
		provider.on('connection-close', this.onClose);
		provider.on('sync', this.onSync);
		if (typeof window !== 'undefined' && typeof document !== 'undefined') {
			const retry = () => {
				if (document.visibilityState === 'visible') this.retryNow();
			};
			window.addEventListener('online', retry);
			document.addEventListener('visibilitychange', retry);
			this.detachTriggers = () => {
				window.removeEventListener('online', retry);
				document.removeEventListener('visibilitychange', retry);
			};
		}
	}

	/** Called whenever the schedule changes (for a "retrying in 4 s" display). */
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Connects now if a retry is waiting (the network came back, the tab became visible, the user asked). */
	retryNow(): void {
		if (this.timer === null) return;
		clearTimeout(this.timer);
		this.timer = null;
		this.attemptNow();
	}

	destroy(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		this.detachTriggers();
		this.provider.off('connection-close', this.onClose);
		this.provider.off('sync', this.onSync);
		this.listeners.clear();
	}

	private readonly onClose = (event: CloseEvent | null) => {
		if (event && FATAL_CLOSE_CODES.has(event.code)) return;
		// shouldConnect false here means someone called provider.disconnect(): respect it.
		if (!this.provider.shouldConnect) return;
		// Turn the provider's own scheduled retry into a no-op; ours replaces it.
		this.provider.shouldConnect = false;
		const delay = reconnectDelayMs(this.state.attempt, this.random);
		this.state.attempt++;
		this.state.nextAttemptAt = Date.now() + delay;
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.timer = null;
			this.attemptNow();
		}, delay);
		this.notify();
	};

	private readonly onSync = (synced: boolean) => {
		if (!synced) return;
		this.state.attempt = 0;
		this.notify();
	};

	private attemptNow(): void {
		this.state.nextAttemptAt = null;
		this.provider.connect();
		this.notify();
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}
}
