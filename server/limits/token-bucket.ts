/** Token buckets: how many messages, bytes or attempts a client may spend, refilled at a steady rate with room for a burst. */

/** A clock in milliseconds; tests pass their own. */
export type Clock = () => number;

const systemClock: Clock = () => performance.now();

/**
 * `capacity` tokens at most, refilled at `perSecond`. `take(n)` spends n if there are n; otherwise it
 * spends nothing and says how long until there will be. A request bigger than the capacity can never
 * be served, so it is allowed when the bucket is full (and empties it): one large message is slowed
 * down, not refused for ever.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;

	constructor(
		readonly perSecond: number,
		readonly capacity: number,
		private readonly now: Clock = systemClock
	) {
		this.tokens = capacity;
		this.updatedAt = now();
	}

	/** Spends `n` tokens if it can; returns 0 then, else the milliseconds until it could. */
	take(n = 1): number {
		this.refill();
		const needed = Math.min(n, this.capacity);
		if (this.tokens >= needed) {
			this.tokens -= n;
			return 0;
		}
		return Math.ceil(((needed - this.tokens) / this.perSecond) * 1000);
	}

	/** Tokens left now. */
	get available(): number {
		this.refill();
		return this.tokens;
	}

	/** Whether the bucket has refilled completely (a keyed limiter may then forget it). */
	get full(): boolean {
		return this.available >= this.capacity;
	}

	private refill(): void {
		const now = this.now();
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
		this.updatedAt = now;
	}
}

/**
 * One TokenBucket per key (a client address, say). Full buckets hold no information, so they are
 * dropped whenever the map grows past `maxKeys`; if every bucket is still in use, the oldest go:
 * a flood of new keys costs bounded memory.
 */
export class KeyedTokenBuckets {
	private readonly buckets = new Map<string, TokenBucket>();

	constructor(
		readonly perSecond: number,
		readonly capacity: number,
		private readonly maxKeys = 10_000,
		private readonly now: Clock = systemClock
	) {}

	/** As TokenBucket.take, for `key`'s bucket. */
	take(key: string, n = 1): number {
		let bucket = this.buckets.get(key);
		if (!bucket) {
			if (this.buckets.size >= this.maxKeys) this.prune();
			bucket = new TokenBucket(this.perSecond, this.capacity, this.now);
			this.buckets.set(key, bucket);
		}
		return bucket.take(n);
	}

	get size(): number {
		return this.buckets.size;
	}

	private prune(): void {
		for (const [key, bucket] of this.buckets) if (bucket.full) this.buckets.delete(key);
		// Maps iterate in insertion order: what remains over the bound are the oldest keys.
		for (const key of this.buckets.keys()) {
			if (this.buckets.size < this.maxKeys) break;
			this.buckets.delete(key);
		}
	}
}
