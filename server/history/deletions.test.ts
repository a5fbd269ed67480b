/** deletedShapes reads what a transaction deleted as it was, text stored as a Y.Text included. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, createShape, deleteShapes } from '../../src/lib/board/index.ts';
import { TextBinding } from '../../src/lib/board/text-binding.ts';
import { deletedShapes } from './deletions.ts';

describe('deletedShapes', () => {
	it("reads a deleted note's Y.Text as it was, not as the empty text it is after the delete", () => {
		const doc = new Y.Doc();
		const board = new Board(doc);
		const id = createShape(board, 'sticky', { text: 'keep me' });
		const binding = TextBinding.open(board, id)!;
		binding.update('keep me, edited'); // a delete inside the text too: "me" then ", edited"
		binding.update('keep, edited');
		let seen: string[] | null = null;
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			const shapes = deletedShapes(tr, board.shapes, 1);
			if (shapes) seen = shapes.map((shape) => (shape as { text: string }).text);
		});
		deleteShapes(board, [id]);
		expect(seen).toEqual(['keep, edited']);
	});
});
