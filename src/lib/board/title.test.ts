/** The board title: one write path (setTitle), validated on read, shared through the doc, and outside undo. */

import { describe, expect, it } from 'vitest';
import { createHistory } from './history.ts';
import { createShape, setTitle } from './ops.ts';
import { listShapes } from '../shared/model/board.ts';
import { MAX_TITLE_LENGTH, TITLE_KEY, getTitle, normalizeTitle, observeTitle } from '../shared/model/title.ts';
import { connect, makeBoard } from '../shared/model/test-helpers.ts';

describe('normalizeTitle', () => {
	it('keeps one trimmed line', () => {
		expect(normalizeTitle('  Sprint\n\tplanning  ')).toBe('Sprint planning');
		expect(normalizeTitle(' \n ')).toBe('');
	});

	it('cuts at the limit without splitting a character', () => {
		expect(normalizeTitle('x'.repeat(300))).toHaveLength(MAX_TITLE_LENGTH);
		const cut = normalizeTitle('x'.repeat(MAX_TITLE_LENGTH - 1) + '🙂🙂');
		expect(cut).toBe('x'.repeat(MAX_TITLE_LENGTH - 1));
	});
});

describe('setTitle and getTitle', () => {
	it('stores the normalized title and reports whether it changed', () => {
		const { board } = makeBoard();
		expect(getTitle(board)).toBe('');
		expect(setTitle(board, '  Roadmap ')).toBe(true);
		expect(board.meta.get(TITLE_KEY)).toBe('Roadmap');
		expect(setTitle(board, 'Roadmap')).toBe(false);
		expect(setTitle(board, '   ')).toBe(true);
		expect(board.meta.has(TITLE_KEY)).toBe(false);
	});

	it('reads a malformed stored title as no title, and a rename replaces it', () => {
		const { board } = makeBoard();
		for (const bad of [42, 'x'.repeat(MAX_TITLE_LENGTH + 1), 'two\nlines', ' padded ', { title: 'x' }]) {
			board.doc.transact(() => board.meta.set(TITLE_KEY, bad), 'remote');
			expect(getTitle(board)).toBe('');
		}
		expect(setTitle(board, 'Fixed')).toBe(true);
		expect(getTitle(board)).toBe('Fixed');
	});

	it('reaches every peer, whose observers hear of it', () => {
		const a = makeBoard();
		const b = makeBoard();
		connect(a.doc, b.doc);
		let heard = 0;
		observeTitle(b.board, () => heard++);
		setTitle(a.board, 'Shared');
		expect(getTitle(b.board)).toBe('Shared');
		expect(heard).toBe(1);
		createShape(a.board, 'rect');
		expect(heard).toBe(1);
	});

	it('is not an undo step: undo reverts the drawing, never the rename', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		createShape(board, 'rect');
		setTitle(board, 'Kept');
		history.undo();
		expect(listShapes(board)).toHaveLength(0);
		expect(getTitle(board)).toBe('Kept');
		expect(history.canUndo()).toBe(false);
	});
});
