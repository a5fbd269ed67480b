import { describe, expect, it } from 'vitest';
import { literal, number, object, string, union, ValidationError } from './validate.ts';

describe('union', () => {
	const colorOrNone = union(string({ pattern: /^#[0-9a-f]{6}$/ }), literal('transparent'));

	it('accepts a value any alternative accepts', () => {
		expect(colorOrNone.check('#123abc')).toBe('#123abc');
		expect(colorOrNone.check('transparent')).toBe('transparent');
	});

	it('rejects with every alternative\'s reason and the field path', () => {
		expect(() => colorOrNone.check('red', 'fill')).toThrowError(ValidationError);
		expect(() => colorOrNone.check('red', 'fill')).toThrowError(/^fill: "red" does not match .*; or expected "transparent", got a string of length 3$/);
		expect(() => colorOrNone.check(3, 'fill')).toThrowError(/expected a string, got 3; or expected "transparent", got 3/);
	});

	it('keeps the order of alternatives, also mixed with validators that have no cheap test', () => {
		const point = object({ x: number() });
		const either = union(point, literal('none'));
		expect(either.check('none')).toBe('none');
		expect(either.check({ x: 1, extra: 2 })).toEqual({ x: 1 });
		expect(() => either.check({ x: 'a' })).toThrowError(/expected a finite number, got a string of length 1; or expected "none", got an object/);
	});

	it('builds no error for a value the second alternative accepts (errors capture a stack: costly per shape)', () => {
		const created: unknown[] = [];
		const original = Error.captureStackTrace;
		Error.captureStackTrace = (target: object, ...rest: unknown[]) => {
			created.push(target);
			return (original as (...args: unknown[]) => void).call(Error, target, ...rest);
		};
		try {
			colorOrNone.check('transparent');
		} finally {
			Error.captureStackTrace = original;
		}
		expect(created).toEqual([]);
	});
});

describe('string', () => {
	it('says no cheaply through test, and why through check', () => {
		const id = string({ minLength: 1, maxLength: 3, pattern: /^[a-z]+$/ });
		expect(id.test?.('ab')).toBe(true);
		expect(id.test?.('')).toBe(false);
		expect(id.test?.('abcd')).toBe(false);
		expect(id.test?.('A')).toBe(false);
		expect(() => id.check('', 'id')).toThrowError('id: shorter than 1 characters');
		expect(() => id.check('abcd', 'id')).toThrowError('id: longer than 3 characters');
		expect(() => id.check('A', 'id')).toThrowError(/id: "A" does not match/);
	});
});
