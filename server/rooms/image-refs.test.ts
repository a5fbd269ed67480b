// The images a doc references: valid image shapes only, each hash once.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SHAPE_DEFAULTS } from '../../src/lib/shared/model/index.ts';
import { imageHashesOf } from './image-refs.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function put(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
	doc.getMap('shapes').set(id, new Y.Map<unknown>(Object.entries(fields)));
}

describe('imageHashesOf', () => {
	it('lists the hashes of valid image shapes once, and ignores other kinds and malformed images', () => {
		const doc = new Y.Doc();
		put(doc, 'one', { ...SHAPE_DEFAULTS.image, type: 'image', index: 'a0', hash: A });
		put(doc, 'copy', { type: 'image', index: 'a1', hash: A, x: 5, w: 10, h: 10, naturalW: 2, naturalH: 2 }); // defaults left out, as stored
		put(doc, 'rect', { ...SHAPE_DEFAULTS.rect, type: 'rect', index: 'a2', hash: B });
		put(doc, 'bad', { ...SHAPE_DEFAULTS.image, type: 'image', index: 'a3', hash: B, naturalW: -1 });
		put(doc, 'not-a-hash', { ...SHAPE_DEFAULTS.image, type: 'image', index: 'a4', hash: '../etc' });
		doc.getMap('shapes').set('plain', { type: 'image', hash: B });
		expect([...imageHashesOf(doc)]).toEqual([A]);
	});
});
