// Token buckets: bursts up to the capacity, a steady refill, big requests slowed rather than refused, bounded keys.
import { describe, expect, it } from 'vitest';
import { KeyedTokenBuckets, TokenBucket } from './token-bucket.ts';

function clock() {
	let now = 0;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucket', () => {
	it('allows a burst up to its capacity, then refills at its rate', () => {
		const c = clock();
		const bucket = new TokenBucket(10, 5, c.now);
		for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(0);
		expect(bucket.take()).toBe(100); // one token every 100 ms
		c.advance(100);
		expect(bucket.take()).toBe(0);
		expect(bucket.take()).toBeGreaterThan(0);
	});

	it('never holds more than its capacity however long it waits', () => {
		const c = clock();
		const bucket = new TokenBucket(10, 5, c.now);
		c.advance(60_000);
		expect(bucket.available).toBe(5);
	});

	it('serves a request larger than the capacity once the bucket is full, leaving it in debt', () => {
		const c = clock();
		const bucket = new TokenBucket(1000, 100, c.now);
		expect(bucket.take(250)).toBe(0);
		expect(bucket.available).toBe(-150);
		expect(bucket.take(1)).toBe(151);
		c.advance(250);
		expect(bucket.take(250)).toBe(0);
	});
});

describe('KeyedTokenBuckets', () => {
	it('keeps one bucket per key', () => {
		const c = clock();
		const buckets = new KeyedTokenBuckets(1, 2, 100, c.now);
		expect(buckets.take('a')).toBe(0);
		expect(buckets.take('a')).toBe(0);
		expect(buckets.take('a')).toBeGreaterThan(0);
		expect(buckets.take('b')).toBe(0);
	});

	it('stays within its key bound, dropping full buckets first and then the oldest', () => {
		const c = clock();
		const buckets = new KeyedTokenBuckets(1, 2, 3, c.now);
		buckets.take('busy', 2);
		buckets.take('x');
		buckets.take('y');
		c.advance(10_000); // x and y refill; busy too
		buckets.take('busy', 2);
		buckets.take('z');
		expect(buckets.size).toBeLessThanOrEqual(3);
		// busy was emptied again just now: its debt is remembered.
		expect(buckets.take('busy')).toBeGreaterThan(0);
		for (let i = 0; i < 100; i++) buckets.take(`flood${i}`);
		expect(buckets.size).toBeLessThanOrEqual(3);
	});
});
