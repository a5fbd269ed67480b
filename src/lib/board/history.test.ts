/** Undo scoped to the local user: remote changes survive, gestures are one step, selection is restored. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, getShape, listShapes, observeShapes } from '../shared/model/board.ts';
import { createHistory } from './history.ts';
import { createShape, deleteShapes, updateShape } from './ops.ts';
import { connect, makeBoard } from '../shared/model/test-helpers.ts';

describe('history', () => {
	it('undoes and redoes this user’s ops one at a time', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		const id = createShape(board, 'rect');
		updateShape(board, id, { x: 10 });
		updateShape(board, id, { x: 20 });
		history.undo();
		expect(getShape(board, id)!.x).toBe(10);
		history.undo();
		expect(getShape(board, id)!.x).toBe(0);
		history.undo();
		expect(getShape(board, id)).toBeNull();
		expect(history.canUndo()).toBe(false);
		expect(history.undo()).toBeNull();
		history.redo();
		history.redo();
		expect(getShape(board, id)!.x).toBe(10);
	});

	it('never undoes a remote change, even to the same shape', () => {
		const docA = new Y.Doc();
		const docB = new Y.Doc();
		connect(docA, docB);
		const a = new Board(docA);
		const b = new Board(docB);
		const historyA = createHistory(a);
		const id = createShape(a, 'rect');
		updateShape(a, id, { fill: '#ff0000' });
		updateShape(b, id, { x: 300 }); // the peer moves it
		const other = createShape(b, 'ellipse'); // and adds a shape
		historyA.undo(); // A's recolour
		expect(getShape(a, id)).toMatchObject({ fill: 'transparent', x: 300 });
		historyA.undo(); // A's creation
		expect(getShape(a, id)).toBeNull();
		expect(getShape(a, other)).not.toBeNull();
		expect(historyA.canUndo()).toBe(false);
		expect(listShapes(b).map((s) => s.id)).toEqual([other]);
	});

	it('makes a whole gesture one undo step', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		const id = createShape(board, 'rect');
		history.beginGesture();
		for (let x = 1; x <= 30; x++) updateShape(board, id, { x, y: x });
		history.endGesture();
		updateShape(board, id, { fill: '#00ff00' });
		history.undo();
		expect(getShape(board, id)).toMatchObject({ x: 30, fill: 'transparent' });
		history.undo();
		expect(getShape(board, id)).toMatchObject({ x: 0, y: 0 });
		expect(getShape(board, id)).not.toBeNull();
	});

	it('a stroke drawn as create + many point updates is one step', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		const id = history.gesture(() => {
			const pen = createShape(board, 'pen', { points: [0, 0] });
			for (let i = 1; i < 20; i++) updateShape(board, pen, { points: Array.from({ length: (i + 1) * 2 }, (_, k) => k) });
			return pen;
		});
		expect(getShape(board, id, 'pen')!.points).toHaveLength(40);
		history.undo();
		expect(board.shapes.size).toBe(0);
		history.redo();
		expect(getShape(board, id, 'pen')!.points).toHaveLength(40);
	});

	it('nested gestures count as one', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		const id = createShape(board, 'rect');
		history.beginGesture();
		updateShape(board, id, { x: 1 });
		history.beginGesture();
		updateShape(board, id, { x: 2 });
		history.endGesture();
		updateShape(board, id, { x: 3 });
		history.endGesture();
		history.undo();
		expect(getShape(board, id)!.x).toBe(0);
	});

	it('a peer edit in the middle of a gesture is not part of it', () => {
		const docA = new Y.Doc();
		const docB = new Y.Doc();
		connect(docA, docB);
		const a = new Board(docA);
		const b = new Board(docB);
		const history = createHistory(a);
		const id = createShape(a, 'rect');
		history.beginGesture();
		updateShape(a, id, { x: 50 });
		updateShape(b, id, { stroke: '#123456' });
		updateShape(a, id, { x: 60 });
		history.endGesture();
		history.undo();
		expect(getShape(a, id)).toMatchObject({ x: 0, stroke: '#123456' });
	});

	it('cancelGesture reverts the gesture without a redo step or touching older steps', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		const id = createShape(board, 'rect');
		history.beginGesture();
		updateShape(board, id, { x: 40 });
		history.cancelGesture();
		expect(getShape(board, id)!.x).toBe(0);
		expect(history.canRedo()).toBe(false);
		expect(history.canUndo()).toBe(true);
		// A gesture with no changes cancels to nothing: the creation is not undone.
		history.beginGesture();
		history.cancelGesture();
		expect(getShape(board, id)).not.toBeNull();
	});

	it('cancelGesture never reverts an older step, even when a peer deleted the gesture’s shape', () => {
		const docA = new Y.Doc();
		const docB = new Y.Doc();
		connect(docA, docB);
		const a = new Board(docA);
		const b = new Board(docB);
		const history = createHistory(a);
		const first = createShape(a, 'rect');
		const dragged = createShape(a, 'ellipse');
		history.beginGesture();
		updateShape(a, dragged, { x: 40 });
		deleteShapes(b, [dragged]);
		history.cancelGesture();
		expect(getShape(a, first)).not.toBeNull();
		expect(history.canUndo()).toBe(true);
	});

	it('restores the selection of each step on undo and redo, minus shapes that are gone', () => {
		const { board } = makeBoard();
		let selection: string[] = [];
		const history = createHistory(board, { getSelection: () => selection });
		const a = createShape(board, 'rect');
		selection = [a];
		const b = createShape(board, 'ellipse');
		selection = [b];
		history.beginGesture();
		selection = [a, b]; // e.g. shift-click starts a drag that selects more
		updateShape(board, b, { x: 5 });
		history.endGesture();
		updateShape(board, a, { x: 9 });

		expect(history.undo()).toEqual({ selection: [a, b] }); // before the x: 9 edit
		selection = [a, b];
		expect(history.undo()).toEqual({ selection: [b] }); // gesture started with [b] selected
		selection = [b];
		expect(history.undo()).toEqual({ selection: [a] }); // b's creation undone
		selection = [];
		expect(history.redo()).toEqual({ selection: [b] }); // the selection at the time of that undo
		deleteShapes(board, [b]); // a new change clears the redo stack
		expect(history.canRedo()).toBe(false);
		const result = history.undo();
		expect(result).toEqual({ selection: [] });
	});

	it('notifies listeners when the stacks change', () => {
		const { board } = makeBoard();
		const history = createHistory(board);
		let calls = 0;
		const stop = history.onChange(() => calls++);
		createShape(board, 'rect');
		history.undo();
		stop();
		history.redo();
		expect(calls).toBe(3); // added, popped (+ redo step added)
	});
});

describe('history: the selection after undo and redo', () => {
	/** A selection kept as the editor keeps it: the ids a change removes leave it at once (Editor.onShapesChanged). */
	function selectingBoard() {
		const { board } = makeBoard();
		let selection: string[] = [];
		const history = createHistory(board, { getSelection: () => selection });
		observeShapes(board, (changes) => {
			const gone = new Set(changes.removed);
			selection = selection.filter((id) => !gone.has(id));
		});
		return { board, history, select: (ids: string[]) => (selection = ids), selection: () => selection };
	}

	it('undoing a delete selects the shapes that came back', () => {
		const { board, history, select } = selectingBoard();
		const ids = [createShape(board, 'rect'), createShape(board, 'ellipse'), createShape(board, 'text')];
		select([ids[0]!, ids[2]!]);
		deleteShapes(board, [ids[0]!, ids[2]!]);
		select([]);
		expect(history.undo()!.selection).toEqual([ids[0], ids[2]]);
	});

	it('redoing a creation selects the shape again', () => {
		const { board, history, select } = selectingBoard();
		const id = createShape(board, 'rect');
		select([id]);
		expect(history.undo()!.selection).toEqual([]);
		select([]);
		expect(history.redo()!.selection).toEqual([id]);
	});
});
