/** Fractional indices: exact keys for known cases, and ordering invariants under random inserts and jitter. */

import { describe, expect, it } from 'vitest';
import { FIRST_INDEX, INDEX_DIGITS, compareOrder, isValidIndex, keyBetween, keysBetween } from './order.ts';

/** A deterministic PRNG so randomized tests replay the same way on failure. */
function mulberry32(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function expectStrictlyAscending(keys: string[]): void {
	for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!, `${keys[i - 1]} < ${keys[i]}`).toBe(true);
}

describe('keyBetween', () => {
	it('starts an empty list at a0 and appends or prepends by integer steps', () => {
		expect(keyBetween(null, null)).toBe(FIRST_INDEX);
		expect(keyBetween('a0', null)).toBe('a1');
		expect(keyBetween(null, 'a0')).toBe('Zz');
		expect(keyBetween('az', null)).toBe('b00');
		expect(keyBetween(null, 'b00')).toBe('az');
	});

	it('finds a key strictly between neighbours, also when they differ only in the fraction', () => {
		expect(keyBetween('a0', 'a1')).toBe('a0V');
		expect(keyBetween('a0', 'a0V')).toBe('a0G');
		expect(keyBetween('a0V', 'a1')).toBe('a0l');
		expect(keyBetween('a1', 'a1001')).toBe('a1000V');
	});

	it('rejects reversed, equal and malformed bounds', () => {
		expect(() => keyBetween('a1', 'a0')).toThrow();
		expect(() => keyBetween('a1', 'a1')).toThrow();
		expect(() => keyBetween('a10', null)).toThrow(/ends in 0/);
		expect(() => keyBetween('!', null)).toThrow();
	});

	it('keeps keys short when always appending (logarithmic growth)', () => {
		let key: string | null = null;
		for (let i = 0; i < 10_000; i++) key = keyBetween(key, null);
		expect(key!.length).toBeLessThanOrEqual(4);
	});

	it('keeps order and validity under random inserts anywhere in the list', () => {
		const random = mulberry32(7);
		const keys: string[] = [];
		for (let i = 0; i < 2_000; i++) {
			const at = Math.floor(random() * (keys.length + 1));
			const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null, { jitter: random() < 0.5, random });
			expect(isValidIndex(key), key).toBe(true);
			keys.splice(at, 0, key);
		}
		expectStrictlyAscending(keys);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('survives repeated inserts into the same gap (fraction grows but stays ordered)', () => {
		let low = 'a0';
		const high = 'a1';
		for (let i = 0; i < 500; i++) {
			const key = keyBetween(low, high);
			expect(low < key && key < high).toBe(true);
			low = key;
		}
	});

	it('jitter adds random digits yet stays strictly between the bounds', () => {
		const random = mulberry32(1);
		const seen = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const key = keyBetween('a0', 'a1', { jitter: true, random });
			expect('a0' < key && key < 'a1').toBe(true);
			expect(isValidIndex(key)).toBe(true);
			seen.add(key);
		}
		// Without jitter all 200 would be the same key.
		expect(seen.size).toBeGreaterThan(190);
	});

	it('jitter falls back to the plain key when the suffix would pass the upper bound', () => {
		// The plain key between a0 and a012 is a01, a prefix of the upper bound.
		expect(keyBetween('a0', 'a012')).toBe('a01');
		expect(keyBetween('a0', 'a012', { jitter: true, random: () => 0.9999 })).toBe('a01');
		const low = keyBetween('a0', 'a012', { jitter: true, random: () => 0 });
		expect(low).toBe('a01001');
		expect('a0' < low && low < 'a012').toBe(true);
	});
});

describe('keysBetween', () => {
	it('returns n ascending keys inside the range, for every kind of range', () => {
		const ranges: Array<[string | null, string | null]> = [
			[null, null],
			['a0', null],
			[null, 'a0'],
			['a0', 'a1'],
			['a0V', 'a0W']
		];
		for (const [a, b] of ranges) {
			for (const jitter of [false, true]) {
				const keys = keysBetween(a, b, 25, { jitter });
				expect(keys).toHaveLength(25);
				expectStrictlyAscending([...(a ? [a] : []), ...keys, ...(b ? [b] : [])]);
				for (const key of keys) expect(isValidIndex(key)).toBe(true);
			}
		}
	});

	it('returns nothing for n = 0', () => {
		expect(keysBetween('a0', 'a1', 0)).toEqual([]);
	});
});

describe('isValidIndex', () => {
	it('accepts generated keys and rejects malformed ones', () => {
		for (const key of ['a0', 'a0V', 'Zz', 'b00', 'a1001']) expect(isValidIndex(key), key).toBe(true);
		for (const key of ['', 'a', 'a0V0', 'a 1', '0a', 'b0', 'A' + '0'.repeat(26), 'a0\u00e9']) {
			expect(isValidIndex(key), JSON.stringify(key)).toBe(false);
		}
	});

	it('uses digits that sort by plain string comparison', () => {
		expect([...INDEX_DIGITS].sort().join('')).toBe(INDEX_DIGITS);
	});
});

describe('compareOrder', () => {
	it('orders by index, then by id so equal indices sort the same on every client', () => {
		const shapes = [
			{ id: 'b', index: 'a1' },
			{ id: 'z', index: 'a0' },
			{ id: 'a', index: 'a1' }
		];
		expect(shapes.sort(compareOrder).map((s) => s.id)).toEqual(['z', 'a', 'b']);
	});
});
