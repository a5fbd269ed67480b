/** Validation on read: every class of malformed shape is skipped and logged once, valid shapes still listed. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getShape, listShapes } from './board.ts';
import { MAX_POINTS, SHAPE_DEFAULTS, SHAPE_TYPES, type Shape, validateShape } from './schema.ts';
import { makeBoard } from './test-helpers.ts';
import { ValidationError } from './validate.ts';

/** Writes a raw shape map the way a buggy or hostile peer could, bypassing ops. */
function writeRaw(shapes: Y.Map<unknown>, id: string, fields: Record<string, unknown>): void {
	shapes.set(id, new Y.Map<unknown>(Object.entries(fields)));
}

function touchAsPeer(board: { shapes: Y.Map<unknown>; doc: Y.Doc }, id: string, x: number): void {
	board.doc.transact(() => (board.shapes.get(id) as Y.Map<unknown>).set('x', x), 'peer');
}

const goodRect = { type: 'rect', x: 0, y: 0, rotation: 0, index: 'a5', stroke: '#000', fill: 'transparent', strokeWidth: 1, opacity: 1, w: 10, h: 10 };

describe('validateShape', () => {
	it('accepts the defaults of every kind', () => {
		for (const type of SHAPE_TYPES) {
			const shape = validateShape({ ...SHAPE_DEFAULTS[type], type, id: 'abc', index: 'a0' });
			expect(shape.type).toBe(type);
		}
	});

	it('drops unknown fields so newer clients can add some without hiding shapes from older ones', () => {
		const shape = validateShape({ ...goodRect, id: 'r', futureField: 1 });
		expect(shape).not.toHaveProperty('futureField');
	});

	it('names the offending field', () => {
		expect(() => validateShape({ ...goodRect, id: 'r', w: Number.NaN })).toThrow(/^w: expected a finite number/);
		expect(() => validateShape({ ...goodRect, id: 'r', type: 'line', points: [0, 0, 1, 1, 2] })).toThrow(/points: odd length/);
	});
});

describe('reading a board with malformed shapes', () => {
	// A function: a Y type can join only one doc, so each test needs fresh ones.
	const badShapes = (): Record<string, Record<string, unknown> | 'not-a-map'> => ({
		unknownType: { ...goodRect, type: 'hexagon' },
		missingIndex: (({ index: _index, ...rest }) => rest)(goodRect),
		lineWithoutPoints: { ...goodRect, type: 'line' },
		wrongType: { ...goodRect, x: '10' },
		nan: { ...goodRect, y: Number.NaN },
		infinity: { ...goodRect, rotation: Number.POSITIVE_INFINITY },
		absurdSize: { ...goodRect, w: 1e12 },
		negativeSize: { ...goodRect, h: -5 },
		farAway: { ...goodRect, x: 1e15 },
		badColour: { ...goodRect, stroke: 'red; drop table' },
		badIndex: { ...goodRect, index: '!!' },
		opacityOverOne: { ...goodRect, opacity: 2 },
		tooManyPoints: { ...goodRect, type: 'pen', points: new Array((MAX_POINTS + 1) * 2).fill(0) },
		pressureMismatch: { ...goodRect, type: 'pen', points: [0, 0, 1, 1], pressures: [0.5] },
		lineWithOnePoint: { ...goodRect, type: 'line', points: [0, 0] },
		textNotString: { ...goodRect, type: 'text', text: 42, fontSize: 12 },
		nestedYType: { ...goodRect, type: 'line', points: new Y.Array<number>() },
		'not-a-map': 'not-a-map'
	});
	const bad = badShapes();

	function boardWithBadShapes() {
		const fixture = makeBoard({ jitter: false });
		const good = 'good';
		fixture.doc.transact(() => {
			writeRaw(fixture.board.shapes, good, { type: 'ellipse', x: 5, y: 0, w: 100, h: 100, index: 'a0' });
			for (const [id, fields] of Object.entries(badShapes())) {
				if (fields === 'not-a-map') fixture.board.shapes.set(id, { type: 'rect' });
				else writeRaw(fixture.board.shapes, id, fields);
			}
		}, 'peer');
		return { ...fixture, good };
	}

	it('skips each class of malformed shape and still lists the valid ones', () => {
		const { board, good } = boardWithBadShapes();
		expect(listShapes(board).map((s) => s.id)).toEqual([good]);
		for (const id of Object.keys(bad)) expect(getShape(board, id), id).toBeNull();
		expect(getShape(board, good)?.type).toBe('ellipse');
	});

	it('logs each malformed shape once, however often it is read', () => {
		const { board, warnings } = boardWithBadShapes();
		for (let i = 0; i < 5; i++) {
			listShapes(board);
			for (const id of Object.keys(bad)) getShape(board, id);
		}
		// A peer keeps changing a malformed shape: still one warning for it.
		for (let i = 0; i < 3; i++) {
			touchAsPeer(board, 'nan', i);
			getShape(board, 'nan');
		}
		expect(warnings).toHaveLength(Object.keys(bad).length);
		expect(warnings.find((w) => w.includes('absurdSize'))).toMatch(/w: .*above/);
		expect(warnings.find((w) => w.includes('not-a-map'))).toMatch(/not a Y\.Map/);
	});

	it('reads a scalar field left out of the map as its kind\'s default', () => {
		const { board, doc } = makeBoard();
		doc.transact(() => {
			writeRaw(board.shapes, 'bare', { type: 'pen', index: 'a1', points: [0, 0, 4, 4] });
			writeRaw(board.shapes, 'note', { type: 'sticky', index: 'a2', x: 7, text: 'hi' });
		}, 'peer');
		expect(getShape(board, 'bare')).toEqual({ ...SHAPE_DEFAULTS.pen, type: 'pen', id: 'bare', index: 'a1', points: [0, 0, 4, 4] });
		expect(getShape(board, 'note')).toMatchObject({ x: 7, y: 0, text: 'hi', strokeWidth: 0, fontSize: 20, noteColor: SHAPE_DEFAULTS.sticky.noteColor });
	});

	it('shows a shape again once a peer repairs it', () => {
		const { board, doc } = boardWithBadShapes();
		doc.transact(() => (board.shapes.get('nan') as Y.Map<unknown>).set('y', 3), 'peer');
		expect(getShape(board, 'nan')?.y).toBe(3);
	});

	it('never throws anything but ValidationError for garbage input', () => {
		const garbage: unknown[] = [null, undefined, 1, 'x', [], {}, { type: 'rect' }, { type: { toString: 1 } }, { type: '__proto__' }];
		for (const value of garbage) {
			expect(() => validateShape(value)).toThrow(ValidationError);
		}
	});
});

describe('types derived from validators', () => {
	it('narrow by kind', () => {
		const shape: Shape = validateShape({ ...SHAPE_DEFAULTS.sticky, type: 'sticky', id: 's', index: 'a0' });
		// Compile-time: noteColor only exists on sticky notes.
		if (shape.type === 'sticky') expect(shape.noteColor).toMatch(/^#/);
	});
});
