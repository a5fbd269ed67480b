/** Fractional indices for z-order: string keys that sort between any two others, so concurrent reorders never conflict. */

// The scheme is David Greenspan's, as in rocicorp/fractional-indexing (CC0): a key is a
// variable-length integer part plus a fraction. The integer head says how many digits
// follow ('a' → 1, 'b' → 2 …; 'Z', 'Y' … for negatives), so appending at either end
// grows keys logarithmically rather than one character every few inserts.

/** Base-62 digits in ASCII order, so plain string comparison (`<`) orders keys. */
export const INDEX_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ZERO = '0';
const BASE = INDEX_DIGITS.length;
/** The key for the first item of an empty list. */
export const FIRST_INDEX = 'a0';
/** No key can sort below it, so it is not a valid key itself. */
const SMALLEST_INTEGER = 'A' + ZERO.repeat(26);
/** Random digits appended by jitter: 62³ ≈ 238,000 outcomes for two clients inserting at the same place. */
export const JITTER_DIGITS = 3;

function digitValue(char: string | undefined): number {
	return char === undefined ? -1 : INDEX_DIGITS.indexOf(char);
}

function integerLength(head: string): number | null {
	if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 97 + 2;
	if (head >= 'A' && head <= 'Z') return 90 - head.charCodeAt(0) + 2;
	return null;
}

/** Returns the problem with `key`, or null if it is a valid index. */
function indexProblem(key: string): string | null {
	const length = integerLength(key.charAt(0));
	if (length === null) return 'bad integer head';
	if (key.length < length) return 'integer part too short';
	for (let i = 1; i < key.length; i++) if (digitValue(key[i]) < 0) return `bad digit ${key[i]}`;
	if (key === SMALLEST_INTEGER) return 'smallest integer is reserved';
	if (key.length > length && key.endsWith(ZERO)) return 'fraction ends in 0';
	return null;
}

export function isValidIndex(key: string): boolean {
	return indexProblem(key) === null;
}

function assertIndex(key: string): void {
	const problem = indexProblem(key);
	if (problem !== null) throw new Error(`invalid index "${key}": ${problem}`);
}

function integerPart(key: string): string {
	return key.slice(0, integerLength(key.charAt(0)) ?? 0);
}

/** A fraction strictly between fractions a and b (b null = 1); neither ends in 0. */
function midpoint(a: string, b: string | null): string {
	if (b !== null) {
		// Strip the common prefix (a padded with zeros) and recurse on the rest.
		let n = 0;
		while ((a[n] ?? ZERO) === b[n]) n++;
		if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
	}
	const digitA = a ? digitValue(a[0]) : 0;
	const digitB = b !== null ? digitValue(b[0]) : BASE;
	if (digitB - digitA > 1) return INDEX_DIGITS.charAt(Math.round((digitA + digitB) / 2));
	// Consecutive first digits: take b's first digit if b continues, else extend a.
	if (b !== null && b.length > 1) return b.slice(0, 1);
	return INDEX_DIGITS.charAt(digitA) + midpoint(a.slice(1), null);
}

function incrementInteger(x: string): string | null {
	const head = x.charAt(0);
	const digits = x.slice(1).split('');
	let carry = true;
	for (let i = digits.length - 1; carry && i >= 0; i--) {
		const d = digitValue(digits[i]) + 1;
		if (d === BASE) digits[i] = ZERO;
		else {
			digits[i] = INDEX_DIGITS.charAt(d);
			carry = false;
		}
	}
	if (!carry) return head + digits.join('');
	if (head === 'Z') return 'a' + ZERO;
	if (head === 'z') return null;
	const nextHead = String.fromCharCode(head.charCodeAt(0) + 1);
	if (nextHead > 'a') digits.push(ZERO);
	else digits.pop();
	return nextHead + digits.join('');
}

function decrementInteger(x: string): string | null {
	const head = x.charAt(0);
	const digits = x.slice(1).split('');
	const top = INDEX_DIGITS.charAt(BASE - 1);
	let borrow = true;
	for (let i = digits.length - 1; borrow && i >= 0; i--) {
		const d = digitValue(digits[i]) - 1;
		if (d === -1) digits[i] = top;
		else {
			digits[i] = INDEX_DIGITS.charAt(d);
			borrow = false;
		}
	}
	if (!borrow) return head + digits.join('');
	if (head === 'a') return 'Z' + top;
	if (head === 'A') return null;
	const prevHead = String.fromCharCode(head.charCodeAt(0) - 1);
	if (prevHead < 'Z') digits.push(top);
	else digits.pop();
	return prevHead + digits.join('');
}

function plainKeyBetween(a: string | null, b: string | null): string {
	if (a !== null) assertIndex(a);
	if (b !== null) assertIndex(b);
	if (a !== null && b !== null && a >= b) throw new Error(`index "${a}" is not below "${b}"`);
	if (a === null) {
		if (b === null) return FIRST_INDEX;
		const ib = integerPart(b);
		if (ib === SMALLEST_INTEGER) return ib + midpoint('', b.slice(ib.length));
		if (ib < b) return ib;
		const decremented = decrementInteger(ib);
		if (decremented === null) throw new Error('index space exhausted below');
		return decremented;
	}
	const ia = integerPart(a);
	const fa = a.slice(ia.length);
	if (b === null) return incrementInteger(ia) ?? ia + midpoint(fa, null);
	const ib = integerPart(b);
	if (ia === ib) return ia + midpoint(fa, b.slice(ib.length));
	const incremented = incrementInteger(ia);
	if (incremented === null) throw new Error('index space exhausted above');
	return incremented < b ? incremented : ia + midpoint(fa, null);
}

export interface KeyOptions {
	/**
	 * Append random digits so two clients inserting at the same place at the same time
	 * almost surely get different keys (equal keys still sort, by id, but nothing fits between them).
	 */
	jitter?: boolean;
	/** Source of randomness in [0, 1) for jitter; defaults to crypto. */
	random?: () => number;
}

function cryptoRandom(): number {
	return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/** `key` plus random digits, if that still sorts below `upper`; otherwise `key` unchanged. */
function jitterKey(key: string, upper: string | null, random: () => number): string {
	let suffix = '';
	for (let i = 0; i < JITTER_DIGITS - 1; i++) suffix += INDEX_DIGITS.charAt(Math.floor(random() * BASE) % BASE);
	// The last digit is never 0: a fraction may not end in 0.
	suffix += INDEX_DIGITS.charAt(1 + (Math.floor(random() * (BASE - 1)) % (BASE - 1)));
	const jittered = key + suffix;
	return upper === null || jittered < upper ? jittered : key;
}

/** A key strictly between a and b (null = open end). Throws if a ≥ b or either is invalid. */
export function keyBetween(a: string | null, b: string | null, options: KeyOptions = {}): string {
	const key = plainKeyBetween(a, b);
	return options.jitter ? jitterKey(key, b, options.random ?? cryptoRandom) : key;
}

/** n ascending keys strictly between a and b, spread so later inserts between them stay short. */
export function keysBetween(a: string | null, b: string | null, n: number, options: KeyOptions = {}): string[] {
	const keys = plainKeysBetween(a, b, n);
	if (!options.jitter) return keys;
	const random = options.random ?? cryptoRandom;
	return keys.map((key, i) => jitterKey(key, keys[i + 1] ?? b, random));
}

function plainKeysBetween(a: string | null, b: string | null, n: number): string[] {
	if (n <= 0) return [];
	if (n === 1) return [plainKeyBetween(a, b)];
	if (b === null) {
		const keys = [plainKeyBetween(a, null)];
		for (let i = 1; i < n; i++) keys.push(plainKeyBetween(keys[i - 1]!, null));
		return keys;
	}
	if (a === null) {
		const keys = [plainKeyBetween(null, b)];
		for (let i = 1; i < n; i++) keys.push(plainKeyBetween(null, keys[i - 1]!));
		return keys.reverse();
	}
	const half = Math.floor(n / 2);
	const middle = plainKeyBetween(a, b);
	return [...plainKeysBetween(a, middle, half), middle, ...plainKeysBetween(middle, b, n - half - 1)];
}

/** Stacking order: by index, then by id so equal indices (concurrent inserts) still sort the same everywhere. */
export function compareOrder(a: { index: string; id: string }, b: { index: string; id: string }): number {
	if (a.index !== b.index) return a.index < b.index ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
