// A room's preview cache: the shapes in a view with the board's total, read once per state of the doc, and read again from a new doc.
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createBoard, createShape } from '../../src/lib/board/index.ts';
import { createLogger } from '../log.ts';
import { PreviewCache } from './preview.ts';

const log = createLogger('silent');

function docWith(rects: Array<{ x: number; y: number }>): Y.Doc {
	const doc = new Y.Doc();
	const board = createBoard(doc);
	for (const rect of rects) createShape(board, 'rect', { ...rect, w: 10, h: 10 });
	return doc;
}

/** The x of each shape in a preview (fields at their default, x = 0 among them, are left out). */
const shown = (json: string) => (JSON.parse(json) as { total: number; shapes: Array<{ x?: number }> }).shapes.map((s) => s.x ?? 0);

describe('PreviewCache', () => {
	it('gives the shapes whose bounds meet the view, with the number of shapes on the board', () => {
		const cache = new PreviewCache(log);
		const doc = docWith([{ x: 0, y: 0 }, { x: 500, y: 0 }, { x: 1000, y: 1000 }]);
		const json = cache.render(doc, { x: -5, y: -5, w: 520, h: 20 });
		expect(JSON.parse(json).total).toBe(3);
		expect(shown(json)).toEqual([0, 500]);
		expect(shown(cache.render(doc, null))).toEqual([0, 500, 1000]);
	});

	it('reads the doc once per state: a change shows only after invalidate', () => {
		const cache = new PreviewCache(log);
		const doc = docWith([{ x: 0, y: 0 }]);
		expect(shown(cache.render(doc, null))).toEqual([0]);
		createShape(createBoard(doc), 'rect', { x: 42, y: 0, w: 10, h: 10 });
		expect(shown(cache.render(doc, null))).toEqual([0]);
		cache.invalidate();
		expect(shown(cache.render(doc, null))).toEqual([0, 42]);
	});

	it('reads a new doc after reset (the room reloaded)', () => {
		const cache = new PreviewCache(log);
		expect(shown(cache.render(docWith([{ x: 1, y: 0 }]), null))).toEqual([1]);
		cache.reset();
		expect(shown(cache.render(docWith([{ x: 2, y: 0 }]), null))).toEqual([2]);
	});

	it('serialises an answer once per state of the doc and view, and again after a change', () => {
		const cache = new PreviewCache(log);
		const doc = docWith([{ x: 0, y: 0 }, { x: 500, y: 0 }]);
		const stringify = vi.spyOn(JSON, 'stringify');
		try {
			const view = { x: -5, y: -5, w: 20, h: 20 };
			for (let i = 0; i < 5; i++) {
				cache.render(doc, null);
				cache.render(doc, view);
			}
			expect(stringify).toHaveBeenCalledTimes(2);
			createShape(createBoard(doc), 'rect', { x: 42, y: 0, w: 10, h: 10 });
			cache.invalidate();
			expect(shown(cache.render(doc, null))).toEqual([0, 500, 42]);
			expect(stringify).toHaveBeenCalledTimes(3);
		} finally {
			stringify.mockRestore();
		}
	});
});
