/** summarize(): what changed between two versions, by shape id and field equality. */

import { describe, expect, it } from 'vitest';
import { isEmptySummary, summarize } from './history.ts';
import { SHAPE_DEFAULTS, type Shape, validateShape } from './model/schema.ts';

const rect = (id: string, x = 0): Shape => validateShape({ ...SHAPE_DEFAULTS.rect, type: 'rect', id, index: 'a0', x });
const pen = (id: string, points: number[]): Shape =>
	validateShape({ ...SHAPE_DEFAULTS.pen, type: 'pen', id, index: 'a1', points });

describe('summarize', () => {
	it.each([
		['a first version: everything added', null, [rect('a'), rect('b')], { added: 2, deleted: 0, changed: 0 }],
		['nothing changed', [rect('a')], [rect('a')], { added: 0, deleted: 0, changed: 0 }],
		['an empty board stays empty', [], [], { added: 0, deleted: 0, changed: 0 }],
		['a shape added', [rect('a')], [rect('a'), rect('b')], { added: 1, deleted: 0, changed: 0 }],
		['a shape deleted', [rect('a'), rect('b')], [rect('b')], { added: 0, deleted: 1, changed: 0 }],
		['a field changed', [rect('a', 1), rect('b')], [rect('a', 2), rect('b')], { added: 0, deleted: 0, changed: 1 }],
		['all at once', [rect('a', 1), rect('b'), rect('c')], [rect('a', 2), rect('c'), rect('d')], { added: 1, deleted: 1, changed: 1 }],
		['points compared by value', [pen('p', [0, 0, 1, 1])], [pen('p', [0, 0, 1, 1])], { added: 0, deleted: 0, changed: 0 }],
		['a point moved', [pen('p', [0, 0, 1, 1])], [pen('p', [0, 0, 1, 2])], { added: 0, deleted: 0, changed: 1 }],
		['a shape replaced by another type under its id', [rect('x')], [pen('x', [0, 0, 1, 1])], { added: 0, deleted: 0, changed: 1 }]
	])('%s', (_name, previous, current, expected) => {
		expect(summarize(previous, current)).toEqual(expected);
	});

	it('an order change alone is no change', () => {
		expect(summarize([rect('a'), rect('b')], [rect('b'), rect('a')])).toEqual({ added: 0, deleted: 0, changed: 0 });
	});

	it('isEmptySummary is true only when all three are zero', () => {
		expect(isEmptySummary({ added: 0, deleted: 0, changed: 0 })).toBe(true);
		expect(isEmptySummary({ added: 0, deleted: 1, changed: 0 })).toBe(false);
	});
});
