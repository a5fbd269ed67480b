/** A tiny runtime-validator kit: each validator checks unknown input and carries the TypeScript type it proves. */

/** Thrown by a validator; `path` says which field (e.g. `points[3]`) so a log line points at the culprit. */
export class ValidationError extends Error {
	constructor(
		readonly path: string,
		readonly problem: string
	) {
		super(path ? `${path}: ${problem}` : problem);
		this.name = 'ValidationError';
	}
}

export interface Validator<T> {
	/** Returns the value typed as T, or throws a ValidationError naming `path`. */
	check(value: unknown, path?: string): T;
	/** The same verdict as `check` without building an error: `union` tries alternatives that have it first (an Error captures a stack: costly per shape). */
	test?(value: unknown): boolean;
	/** Marks a field of an `object()` as optional; `undefined` only, never null. */
	readonly optional?: boolean;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return `a string of length ${value.length}`;
	return typeof value === 'object' ? 'an object' : typeof value;
}

export interface NumberRange {
	min?: number;
	max?: number;
	integer?: boolean;
}

function checkNumber(value: unknown, path: string, range: NumberRange): number {
	// NaN and ±Infinity are rejected here once, so geometry never has to guard against them.
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new ValidationError(path, `expected a finite number, got ${describe(value)}`);
	}
	if (range.integer && !Number.isInteger(value)) throw new ValidationError(path, `expected an integer, got ${value}`);
	if (range.min !== undefined && value < range.min) throw new ValidationError(path, `${value} is below ${range.min}`);
	if (range.max !== undefined && value > range.max) throw new ValidationError(path, `${value} is above ${range.max}`);
	return value;
}

export function number(range: NumberRange = {}): Validator<number> {
	return { check: (value, path = '') => checkNumber(value, path, range) };
}

export function string(rules: { minLength?: number; maxLength?: number; pattern?: RegExp } = {}): Validator<string> {
	const test = (value: unknown): value is string =>
		typeof value === 'string' &&
		(rules.minLength === undefined || value.length >= rules.minLength) &&
		(rules.maxLength === undefined || value.length <= rules.maxLength) &&
		(rules.pattern === undefined || rules.pattern.test(value));
	return {
		test,
		check(value, path = '') {
			if (test(value)) return value;
			if (typeof value !== 'string') throw new ValidationError(path, `expected a string, got ${describe(value)}`);
			if (rules.minLength !== undefined && value.length < rules.minLength) {
				throw new ValidationError(path, `shorter than ${rules.minLength} characters`);
			}
			if (rules.maxLength !== undefined && value.length > rules.maxLength) {
				throw new ValidationError(path, `longer than ${rules.maxLength} characters`);
			}
			throw new ValidationError(path, `"${value.slice(0, 40)}" does not match ${rules.pattern}`);
		}
	};
}

export function literal<const T extends string | number | boolean>(expected: T): Validator<T> {
	return {
		test: (value) => value === expected,
		check(value, path = '') {
			if (value !== expected) throw new ValidationError(path, `expected ${JSON.stringify(expected)}, got ${describe(value)}`);
			return expected;
		}
	};
}

/** Tries each alternative in turn; the error lists why each one failed. */
export function union<const V extends readonly Validator<unknown>[]>(...alternatives: V): Validator<Infer<V[number]>> {
	return {
		check(value, path = '') {
			const problems: Array<() => string> = [];
			for (const alternative of alternatives) {
				// A cheap verdict where there is one: a value only a later alternative accepts must not cost an Error (and its stack) per read.
				if (alternative.test) {
					if (alternative.test(value)) return alternative.check(value, path) as Infer<V[number]>;
					problems.push(() => problemOf(alternative, value, path));
					continue;
				}
				try {
					return alternative.check(value, path) as Infer<V[number]>;
				} catch (error) {
					problems.push(() => (error instanceof ValidationError ? error.problem : String(error)));
				}
			}
			throw new ValidationError(path, problems.map((problem) => problem()).join('; or '));
		}
	};
}

/** Why `validator` (which has already said no) rejects `value`. */
function problemOf(validator: Validator<unknown>, value: unknown, path: string): string {
	try {
		validator.check(value, path);
		return 'rejected';
	} catch (error) {
		return error instanceof ValidationError ? error.problem : String(error);
	}
}

export interface NumberArrayRules extends NumberRange {
	minLength?: number;
	maxLength: number;
	/** Flat [x0, y0, x1, y1, …] arrays must have an even length. */
	even?: boolean;
}

/** A plain array of finite numbers; the length cap is mandatory so no peer can make us loop forever. */
export function numberArray(rules: NumberArrayRules): Validator<number[]> {
	return {
		check(value, path = '') {
			if (!Array.isArray(value)) throw new ValidationError(path, `expected an array, got ${describe(value)}`);
			if (value.length > rules.maxLength) throw new ValidationError(path, `more than ${rules.maxLength} numbers`);
			if (rules.minLength !== undefined && value.length < rules.minLength) {
				throw new ValidationError(path, `fewer than ${rules.minLength} numbers`);
			}
			if (rules.even && value.length % 2 !== 0) throw new ValidationError(path, 'odd length: expected x, y pairs');
			for (let i = 0; i < value.length; i++) checkNumber(value[i], `${path}[${i}]`, rules);
			return value as number[];
		}
	};
}

export interface OptionalValidator<T> extends Validator<T | undefined> {
	readonly optional: true;
}

export function optional<T>(inner: Validator<T>): OptionalValidator<T> {
	return {
		optional: true,
		check: (value, path = '') => (value === undefined ? undefined : inner.check(value, path))
	};
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Fields = Record<string, Validator<unknown>>;
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends { optional: true } ? K : never }[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;
export type ObjectOf<F extends Fields> = Simplify<
	{ [K in RequiredKeys<F>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Exclude<Infer<F[K]>, undefined> }
>;

/** Where `checkFields` reads a record's fields from: the value of `key`, undefined if absent. */
export type FieldSource = (key: string) => unknown;

export interface ObjectValidator<F extends Fields> extends Validator<ObjectOf<F>> {
	readonly fields: F;
	/** `check` of the record whose fields `read` returns, without building that record first. */
	checkFields(read: FieldSource, path?: string): ObjectOf<F>;
}

/**
 * A plain record with exactly the listed fields. Unknown keys are dropped rather than
 * rejected: a newer client may add fields, and older clients should still show the shape.
 */
export function object<const F extends Fields>(fields: F): ObjectValidator<F> {
	const entries = Object.entries(fields);
	const checkFields = (read: FieldSource, path = ''): ObjectOf<F> => {
		const output: Record<string, unknown> = {};
		for (const [key, field] of entries) {
			const checked = field.check(read(key), path ? `${path}.${key}` : key);
			if (checked !== undefined) output[key] = checked;
		}
		return output as ObjectOf<F>;
	};
	return {
		fields,
		checkFields,
		check(value, path = '') {
			if (typeof value !== 'object' || value === null || Array.isArray(value)) {
				throw new ValidationError(path, `expected an object, got ${describe(value)}`);
			}
			const input = value as Record<string, unknown>;
			return checkFields((key) => input[key], path);
		}
	};
}

/** Adds a cross-field rule; `rule` returns a problem description, or null when the value is fine. */
export function refine<V extends Validator<unknown>>(inner: V, rule: (value: Infer<V>) => string | null): V {
	const apply = <T>(checked: T, path: string): T => {
		const problem = rule(checked as Infer<V>);
		if (problem !== null) throw new ValidationError(path, problem);
		return checked;
	};
	type FieldChecker = { checkFields?: (read: FieldSource, path?: string) => unknown };
	const refined: Validator<unknown> & FieldChecker = {
		...inner,
		check: (value: unknown, path = '') => apply(inner.check(value, path), path)
	};
	// An object validator stays one: its fields can still be read one by one.
	const checkFields = (inner as FieldChecker).checkFields;
	if (checkFields) refined.checkFields = (read, path = '') => apply(checkFields(read, path), path);
	return refined as V;
}

/** The JSON object in `text`, or null when `text` is not JSON or not an object (an array counts as one: callers check the fields they read). */
export function parseJsonObject(text: string): Record<string, unknown> | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return null;
	}
	return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
}
