/**
 * The uploads a board owes the server: each image added here (or pasted from another board) is kept
 * locally until the server has it. Tried at once, again with backoff after a failure that may pass
 * (offline, the server down, too many uploads a minute), and at once when the page is back online; a
 * refusal that will not pass (wrong type, too big, over the board's quota) drops it with the server's words.
 */
import { reconnectDelayMs } from '$lib/collab/backoff';

/** What one upload attempt came to. */
export type UploadOutcome =
	| { ok: true }
	/** Worth trying again later: after `retryAfterMs` when the server said when. */
	| { ok: false; retry: true; message: string; retryAfterMs?: number }
	| { ok: false; retry: false; message: string };

/** Where the queue is kept across reloads (IndexedDB in the browser, a Map in tests). */
export interface PendingStore {
	list(): Promise<string[]>;
	put(hash: string): Promise<void>;
	remove(hash: string): Promise<void>;
}

export interface QueueStatus {
	/** Uploads not done yet (being sent or waiting). */
	pending: number;
	/** Of those, the ones waiting for the network or the server (the last attempt failed and will be retried). */
	waiting: number;
	/** The last refusal that will not pass, in the server's words, until the next one or `clearError`. */
	error: string | null;
}

export const UPLOAD_RETRY_BASE_MS = 1_000;
export const UPLOAD_RETRY_MAX_MS = 60_000;

export interface UploadQueueOptions {
	store: PendingStore;
	upload(hash: string): Promise<UploadOutcome>;
	onChange?(): void;
	/** Timers, for tests. */
	setTimer?(run: () => void, ms: number): unknown;
	clearTimer?(timer: unknown): void;
	random?(): number;
}

export class UploadQueue {
	readonly #options: UploadQueueOptions;
	/** Pending hashes, in the order added; with how many attempts failed. */
	readonly #pending = new Map<string, { failures: number }>();
	#running: string | null = null;
	#timer: unknown = null;
	#error: string | null = null;
	#destroyed = false;
	readonly #settled = new Map<string, ((outcome: UploadOutcome) => void)[]>();

	constructor(options: UploadQueueOptions) {
		this.#options = options;
	}

	/** Picks up what a previous page left (uploads that never got through). */
	async restore(): Promise<void> {
		for (const hash of await this.#options.store.list()) if (!this.#pending.has(hash)) this.#pending.set(hash, { failures: 0 });
		this.#changed();
		this.#pump();
	}

	/** Queues an upload (kept across reloads); resolves with its first attempt's outcome. */
	async add(hash: string): Promise<UploadOutcome> {
		const settled = new Promise<UploadOutcome>((resolve) => this.#settled.set(hash, [...(this.#settled.get(hash) ?? []), resolve]));
		if (!this.#pending.has(hash)) {
			await this.#options.store.put(hash);
			this.#pending.set(hash, { failures: 0 });
			this.#changed();
		}
		this.#pump();
		return settled;
	}

	/** Tries every waiting upload now (the page is back online, the socket reconnected). */
	retryNow(): void {
		this.#cancelTimer();
		for (const entry of this.#pending.values()) entry.failures = Math.min(entry.failures, 1);
		this.#pump(true);
	}

	get status(): QueueStatus {
		let waiting = 0;
		for (const entry of this.#pending.values()) if (entry.failures > 0) waiting++;
		return { pending: this.#pending.size, waiting, error: this.#error };
	}

	has(hash: string): boolean {
		return this.#pending.has(hash);
	}

	clearError(): void {
		this.#error = null;
		this.#changed();
	}

	destroy(): void {
		this.#destroyed = true;
		this.#cancelTimer();
	}

	#cancelTimer(): void {
		if (this.#timer === null) return;
		if (this.#options.clearTimer) this.#options.clearTimer(this.#timer);
		else clearTimeout(this.#timer as ReturnType<typeof setTimeout>);
		this.#timer = null;
	}

	/** Uploads one at a time, oldest first; those that failed wait for their timer (or `retryNow`). */
	#pump(includeFailed = false): void {
		if (this.#running !== null || this.#destroyed) return;
		const next = [...this.#pending].find(([, entry]) => includeFailed || entry.failures === 0);
		if (!next) return;
		const [hash, entry] = next;
		this.#running = hash;
		void this.#options.upload(hash).then(async (outcome) => {
			this.#running = null;
			if (this.#destroyed) return;
			if (outcome.ok || !outcome.retry) {
				this.#pending.delete(hash);
				await this.#options.store.remove(hash).catch(() => {});
				if (!outcome.ok) this.#error = outcome.message;
			} else {
				entry.failures++;
				this.#schedule(outcome.retryAfterMs ?? reconnectDelayMs(entry.failures - 1, this.#options.random, UPLOAD_RETRY_BASE_MS, UPLOAD_RETRY_MAX_MS));
			}
			for (const resolve of this.#settled.get(hash) ?? []) resolve(outcome);
			this.#settled.delete(hash);
			this.#changed();
			this.#pump(includeFailed && !(!outcome.ok && outcome.retry));
		});
	}

	#schedule(ms: number): void {
		if (this.#timer !== null) return;
		const run = () => {
			this.#timer = null;
			this.#pump(true);
		};
		this.#timer = this.#options.setTimer ? this.#options.setTimer(run, ms) : setTimeout(run, ms);
	}

	#changed(): void {
		this.#options.onChange?.();
	}
}
