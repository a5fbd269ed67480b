/** Copy/paste: payload format, re-id and placement on top, across boards, invalid input skipped. */

import { describe, expect, it } from 'vitest';
import { getShape, listShapes } from '../shared/model/board.ts';
import { CLIPBOARD_KIND, MAX_PASTE_SHAPES, isShapeClipboard, parseClipboard, pasteShapes, serializeShapes } from './clipboard.ts';
import { boundsOfShapes } from '../shared/model/geometry.ts';
import { createShape } from './ops.ts';
import { SCHEMA_VERSION, SHAPE_DEFAULTS } from '../shared/model/schema.ts';
import { makeBoard } from '../shared/model/test-helpers.ts';

describe('serializeShapes', () => {
	it('writes a marked JSON payload in stacking order without ids or indices', () => {
		const { board } = makeBoard();
		const a = createShape(board, 'rect', { x: 1 });
		const b = createShape(board, 'text', { text: 'hello' });
		const payload = JSON.parse(serializeShapes(board, [b, a, 'missing']));
		expect(payload.kind).toBe(CLIPBOARD_KIND);
		expect(payload.version).toBe(SCHEMA_VERSION);
		expect(payload.shapes.map((s: { type: string }) => s.type)).toEqual(['rect', 'text']);
		expect(payload.shapes[0]).not.toHaveProperty('id');
		expect(payload.shapes[0]).not.toHaveProperty('index');
	});
});

describe('pasteShapes', () => {
	it('pastes onto another board under new ids, on top, in the copied order', () => {
		const source = makeBoard();
		const a = createShape(source.board, 'rect', { x: 10, y: 10 });
		const b = createShape(source.board, 'arrow', { x: 50, y: 50 });
		const text = serializeShapes(source.board, [a, b]);

		const target = makeBoard();
		const existing = createShape(target.board, 'ellipse');
		const ids = pasteShapes(target.board, text);
		expect(ids).toHaveLength(2);
		expect(ids).not.toContain(a);
		expect(ids).not.toContain(b);
		expect(listShapes(target.board).map((s) => s.id)).toEqual([existing, ...ids]);
		expect(getShape(target.board, ids[0]!)).toMatchObject({ type: 'rect', x: 10, y: 10 });
		expect(getShape(target.board, ids[1]!)).toMatchObject({ type: 'arrow', x: 50, y: 50 });
	});

	it('pasting twice gives two independent copies', () => {
		const { board } = makeBoard();
		const a = createShape(board, 'rect');
		const text = serializeShapes(board, [a]);
		const first = pasteShapes(board, text);
		const second = pasteShapes(board, text);
		expect(new Set([a, ...first, ...second]).size).toBe(3);
	});

	it('centres the pasted group on `at`, keeping its layout', () => {
		const { board } = makeBoard();
		const a = createShape(board, 'rect', { x: 0, y: 0, w: 100, h: 50, strokeWidth: 0 });
		const b = createShape(board, 'rect', { x: 200, y: 0, w: 100, h: 50, strokeWidth: 0 });
		const ids = pasteShapes(board, serializeShapes(board, [a, b]), { x: 1000, y: 1000 });
		const bounds = boundsOfShapes(ids.map((id) => getShape(board, id)!))!;
		expect(bounds).toEqual({ x: 850, y: 975, w: 300, h: 50 });
	});

	it('skips invalid shapes in the payload and keeps the valid ones', () => {
		const { board } = makeBoard();
		const good = { ...SHAPE_DEFAULTS.rect, type: 'rect' };
		const payload = {
			kind: CLIPBOARD_KIND,
			version: 1,
			shapes: [good, { ...good, w: 'big' }, { ...good, type: 'star' }, null, 7, { ...good, x: Number.MAX_VALUE }, { ...good, id: 'evil', x: 3 }]
		};
		const ids = pasteShapes(board, JSON.stringify(payload));
		expect(ids).toHaveLength(2);
		expect(ids).not.toContain('evil');
		expect(listShapes(board)).toHaveLength(2);
	});

	it('ignores text that is not a shape payload', () => {
		const { board } = makeBoard();
		for (const text of ['hello', '{"kind":"other","shapes":[]}', '[1,2]', '{"kind":"boardwalk/shapes","shapes":{}}', '{not json', 'null']) {
			expect(pasteShapes(board, text), text).toEqual([]);
			expect(isShapeClipboard(text), text).toBe(false);
		}
		expect(board.shapes.size).toBe(0);
	});

	it('caps how many shapes one paste inserts', () => {
		const shapes = new Array(MAX_PASTE_SHAPES + 10).fill({ ...SHAPE_DEFAULTS.rect, type: 'rect' });
		expect(parseClipboard(JSON.stringify({ kind: CLIPBOARD_KIND, version: 1, shapes }))).toHaveLength(MAX_PASTE_SHAPES);
	});

	it('recognises its own payloads', () => {
		const { board } = makeBoard();
		const text = serializeShapes(board, [createShape(board, 'pen')]);
		expect(isShapeClipboard(text)).toBe(true);
	});
});
