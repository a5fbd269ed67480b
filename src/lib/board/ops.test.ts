/** Writes through ops: defaults, minimal writes, batch moves, delete, duplicate, and the change observer. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchemaVersion, getShape, listShapes, observeShapes, type ShapeChanges } from '../shared/model/board.ts';
import { createShape, deleteShapes, duplicateShapes, transact, translateShapes, updateShape, updateShapes } from './ops.ts';
import { SCHEMA_VERSION, SHAPE_DEFAULTS, SHAPE_TYPES } from '../shared/model/schema.ts';
import { makeBoard } from '../shared/model/test-helpers.ts';
import { ValidationError } from '../shared/model/validate.ts';

/** Records which keys of which shape maps each transaction wrote. */
function recordWrites(shapes: Y.Map<unknown>): Array<Record<string, string[]>> {
	const log: Array<Record<string, string[]>> = [];
	shapes.observeDeep((events) => {
		const entry: Record<string, string[]> = {};
		for (const event of events) {
			const id = event.path[0];
			if (typeof id === 'string') entry[id] = [...event.keys.keys()].sort();
		}
		log.push(entry);
	});
	return log;
}

describe('createShape', () => {
	it('fills every kind with its defaults and returns a new id', () => {
		const { board } = makeBoard();
		for (const type of SHAPE_TYPES) {
			const id = createShape(board, type);
			const shape = getShape(board, id);
			expect(shape).toMatchObject({ ...SHAPE_DEFAULTS[type], type, id });
		}
		expect(listShapes(board)).toHaveLength(SHAPE_TYPES.length);
	});

	it('lets props override defaults', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'sticky', { x: 40, y: -8, text: 'hi', noteColor: '#a0c4ff' });
		expect(getShape(board, id)).toMatchObject({ x: 40, y: -8, text: 'hi', noteColor: '#a0c4ff', w: 200 });
	});

	it('puts each new shape on top of all existing ones', () => {
		const { board } = makeBoard();
		const ids = [createShape(board, 'rect'), createShape(board, 'pen'), createShape(board, 'text')];
		expect(listShapes(board).map((s) => s.id)).toEqual(ids);
	});

	it('stores each shape as a Y.Map of the fields that differ from its kind\'s defaults and records the schema version', () => {
		const { board } = makeBoard();
		expect(getSchemaVersion(board)).toBeNull();
		const id = createShape(board, 'rect', { x: 5, w: 40, fill: '#ff0000' });
		const map = board.shapes.get(id) as Y.Map<unknown>;
		expect(map).toBeInstanceOf(Y.Map);
		expect([...map.keys()].sort()).toEqual(['fill', 'index', 'type', 'w', 'x']);
		expect(getShape(board, id)).toEqual({ ...SHAPE_DEFAULTS.rect, type: 'rect', id, index: map.get('index'), x: 5, w: 40, fill: '#ff0000' });
		expect(getSchemaVersion(board)).toBe(SCHEMA_VERSION);
	});

	it('always stores points, and a default value only once it was changed from another', () => {
		const { board } = makeBoard();
		const line = createShape(board, 'line');
		expect((board.shapes.get(line) as Y.Map<unknown>).get('points')).toEqual(SHAPE_DEFAULTS.line.points);
		const rect = createShape(board, 'rect');
		const map = board.shapes.get(rect) as Y.Map<unknown>;
		expect(updateShape(board, rect, { rotation: 0, opacity: 1 })).toBe(false);
		expect(map.has('rotation')).toBe(false);
		expect(updateShape(board, rect, { opacity: 0.5 })).toBe(true);
		expect(updateShape(board, rect, { opacity: 1 })).toBe(true);
		expect(map.get('opacity')).toBe(1);
		expect(getShape(board, rect)?.opacity).toBe(1);
	});

	it('raises an older board\'s schema version when it adds a shape, and never lowers a newer one', () => {
		const { board } = makeBoard();
		board.meta.set('schemaVersion', 1);
		createShape(board, 'rect');
		expect(getSchemaVersion(board)).toBe(SCHEMA_VERSION);
		board.meta.set('schemaVersion', SCHEMA_VERSION + 1);
		createShape(board, 'rect');
		expect(getSchemaVersion(board)).toBe(SCHEMA_VERSION + 1);
	});

	it('refuses invalid props instead of writing a shape peers would skip', () => {
		const { board } = makeBoard();
		expect(() => createShape(board, 'rect', { w: -1 })).toThrow(ValidationError);
		expect(() => createShape(board, 'line', { points: [0, 0] })).toThrow(ValidationError);
		expect(board.shapes.size).toBe(0);
	});
});

describe('updateShape', () => {
	it('writes only the keys whose values changed', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'rect', { x: 1, y: 2 });
		const writes = recordWrites(board.shapes);
		expect(updateShape(board, id, { x: 1, y: 5, fill: 'transparent', w: 100 })).toBe(true);
		expect(writes).toEqual([{ [id]: ['y'] }]);
	});

	it('writes nothing (and sends no update) when nothing changed', () => {
		const { board, doc } = makeBoard();
		const id = createShape(board, 'line', { points: [0, 0, 10, 10] });
		let updates = 0;
		doc.on('update', () => updates++);
		expect(updateShape(board, id, { points: [0, 0, 10, 10], rotation: 360 })).toBe(false);
		expect(updates).toBe(0);
	});

	it('stores rotation in [0, 360) and points on a 1/16 grid', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'pen');
		updateShape(board, id, { rotation: -90, points: [0, 0, 1.03, 2.5], pressures: [0.5, 0.3333] });
		expect(getShape(board, id)).toMatchObject({ rotation: 270, points: [0, 0, 1, 2.5], pressures: [0.5, 85 / 256] });
	});

	it('rejects invalid values, fields of other kinds and identity fields, leaving the shape as it was', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'rect');
		expect(() => updateShape(board, id, { w: Number.NaN })).toThrow(ValidationError);
		expect(() => updateShape(board, id, { text: 'no' })).toThrow(/not a field of rect/);
		expect(() => updateShape(board, id, { type: 'ellipse' } as never)).toThrow(/cannot be changed/);
		expect(() => updateShape(board, id, { index: 'a0' } as never)).toThrow(/cannot be changed/);
		expect(getShape(board, id)).toMatchObject(SHAPE_DEFAULTS.rect);
	});

	it('removes an optional field set to undefined', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'pen', { points: [0, 0, 1, 1], pressures: [0.5, 0.5] });
		updateShape(board, id, { pressures: undefined });
		expect(getShape(board, id)).not.toHaveProperty('pressures');
	});

	it('getShape with a kind returns null for shapes of other kinds', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'text', { text: 'x' });
		expect(getShape(board, id, 'text')?.text).toBe('x');
		expect(getShape(board, id, 'sticky')).toBeNull();
	});

	it('hands out frozen shapes, so an in-place edit cannot fork the local doc', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'line');
		const line = getShape(board, id, 'line')!;
		expect(() => line.points.push(1, 2)).toThrow(TypeError);
		expect(() => {
			(line as { x: number }).x = 5;
		}).toThrow(TypeError);
		expect((board.shapes.get(id) as Y.Map<unknown>).get('points')).toEqual([0, 0, 100, 0]);
	});

	it('returns false for a shape that does not exist', () => {
		const { board } = makeBoard();
		expect(updateShape(board, 'missing', { x: 1 })).toBe(false);
	});

	it('reads its own writes inside a larger transaction', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'rect');
		getShape(board, id); // warm the cache
		transact(board, () => {
			updateShape(board, id, { x: 50 });
			expect(getShape(board, id)?.x).toBe(50);
		});
	});
});

describe('updateShapes and translateShapes', () => {
	it('moves many shapes in one transaction', () => {
		const { board, doc } = makeBoard();
		const a = createShape(board, 'rect');
		const b = createShape(board, 'ellipse', { x: 10 });
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		expect(updateShapes(board, [{ id: a, patch: { x: 5 } }, { id: b, patch: { x: 15 } }])).toBe(2);
		expect(translateShapes(board, [a, b, 'missing'], 1, -1)).toBe(2);
		expect(transactions).toBe(2);
		expect(getShape(board, a)).toMatchObject({ x: 6, y: -1 });
		expect(getShape(board, b)).toMatchObject({ x: 16, y: -1 });
	});
});

describe('deleteShapes', () => {
	it('removes shapes, malformed ones included, and counts those that existed', () => {
		const { board, doc } = makeBoard();
		const a = createShape(board, 'rect');
		const b = createShape(board, 'rect');
		doc.transact(() => board.shapes.set('junk', 'not a map'));
		expect(deleteShapes(board, [a, 'junk', 'missing'])).toBe(2);
		expect([...board.shapes.keys()]).toEqual([b]);
	});
});

describe('duplicateShapes', () => {
	it('copies shapes with an offset, on top, keeping their relative order, under new ids', () => {
		const { board } = makeBoard();
		const a = createShape(board, 'rect', { x: 0 });
		const b = createShape(board, 'text', { x: 100, text: 'b' });
		const c = createShape(board, 'ellipse');
		const copies = duplicateShapes(board, [b, a], { x: 10, y: 20 });
		expect(copies).toHaveLength(2);
		expect(copies).not.toContain(a);
		const [copyOfB, copyOfA] = copies.map((id) => getShape(board, id)!);
		expect(copyOfB).toMatchObject({ type: 'text', text: 'b', x: 110, y: 20 });
		expect(copyOfA).toMatchObject({ type: 'rect', x: 10, y: 20 });
		expect(listShapes(board).map((s) => s.id)).toEqual([a, b, c, copyOfA!.id, copyOfB!.id]);
	});

	it('skips ids that are missing or malformed', () => {
		const { board } = makeBoard();
		expect(duplicateShapes(board, ['nope'])).toEqual([]);
	});
});

describe('observeShapes', () => {
	it('reports exactly which shapes were added, updated and removed, and whether the change was local', () => {
		const { board, doc } = makeBoard();
		const a = createShape(board, 'rect');
		const b = createShape(board, 'rect');
		const seen: Array<[ShapeChanges, boolean]> = [];
		const stop = observeShapes(board, (changes, isLocal) => seen.push([changes, isLocal]));

		const c = createShape(board, 'ellipse');
		updateShape(board, a, { fill: '#ff0000' });
		deleteShapes(board, [b]);
		expect(seen).toEqual([
			[{ added: [c], updated: [], removed: [], orderChanged: true }, true],
			[{ added: [], updated: [a], removed: [], orderChanged: false }, true],
			[{ added: [], updated: [], removed: [b], orderChanged: true }, true]
		]);

		// A peer's update arrives through applyUpdate: not local.
		const peer = new Y.Doc();
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
		(peer.getMap('shapes').get(a) as Y.Map<unknown>).set('x', 99);
		seen.length = 0;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)));
		expect(seen).toEqual([[{ added: [], updated: [a], removed: [], orderChanged: false }, false]]);

		stop();
		updateShape(board, a, { x: 1 });
		expect(seen).toHaveLength(1);
	});

	it('reports a shape turning malformed as removed, and its repair as added', () => {
		const { board, doc } = makeBoard();
		const a = createShape(board, 'rect');
		const seen: ShapeChanges[] = [];
		observeShapes(board, (changes) => seen.push(changes));
		const map = board.shapes.get(a) as Y.Map<unknown>;
		doc.transact(() => map.set('w', 'wide'), 'peer');
		doc.transact(() => map.set('h', -1), 'peer'); // still malformed: nothing to report
		doc.transact(() => {
			map.set('w', 10);
			map.set('h', 10);
		}, 'peer');
		expect(seen.map((c) => [c.added, c.removed])).toEqual([
			[[], [a]],
			[[a], []]
		]);
	});

	it('flags order changes when an index changes', () => {
		const { board } = makeBoard();
		const a = createShape(board, 'rect');
		const seen: ShapeChanges[] = [];
		observeShapes(board, (changes) => seen.push(changes));
		board.doc.transact(() => (board.shapes.get(a) as Y.Map<unknown>).set('index', 'Zz'), 'peer');
		expect(seen).toEqual([{ added: [], updated: [a], removed: [], orderChanged: true }]);
	});

	it('hands observers fresh shapes, not a stale cache', () => {
		const { board } = makeBoard();
		const a = createShape(board, 'rect');
		getShape(board, a);
		const xs: number[] = [];
		observeShapes(board, (changes) => changes.updated.forEach((id) => xs.push(getShape(board, id)!.x)));
		updateShape(board, a, { x: 7 });
		updateShape(board, a, { x: 8 });
		expect(xs).toEqual([7, 8]);
	});
});
