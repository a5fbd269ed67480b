/** Restore: the diff between the live shapes and a version's, the plan that makes them equal, and its one undo step. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, listShapes } from '../shared/model/board.ts';
import type { Shape } from '../shared/model/schema.ts';
import { makeBoard } from '../shared/model/test-helpers.ts';
import { createShape, deleteShapes, updateShape } from './ops.ts';
import { createHistory } from './history.ts';
import { applyRestore, diffShapes, isEmptyPlan, restorePlan, restoreShapes, versionBoard } from './restore.ts';

/** A board with three rectangles, and the shapes as they were then (the "version"). */
function boardWithVersion() {
	const { board, doc } = makeBoard();
	const ids = [0, 1, 2].map((i) => createShape(board, 'rect', { x: i * 100, y: 0, w: 50, h: 50 }));
	const version = listShapes(board);
	return { board, doc, ids, version };
}

describe('diffShapes', () => {
	it('names shapes only in the version, only on the board and changed, by id', () => {
		const { board, ids, version } = boardWithVersion();
		deleteShapes(board, [ids[0]!]);
		updateShape(board, ids[1]!, { x: 500 });
		const added = createShape(board, 'ellipse');
		expect(diffShapes(listShapes(board), version)).toEqual({ onlyInVersion: [ids[0]], onlyOnBoard: [added], changed: [ids[1]] });
	});

	it('is empty for equal lists', () => {
		const { board, version } = boardWithVersion();
		expect(diffShapes(listShapes(board), version)).toEqual({ onlyInVersion: [], onlyOnBoard: [], changed: [] });
	});
});

describe('restorePlan', () => {
	it('removes what the version lacks, puts back what it has, and patches only the changed fields', () => {
		const { board, ids, version } = boardWithVersion();
		deleteShapes(board, [ids[0]!]);
		updateShape(board, ids[1]!, { x: 500, stroke: '#ff0000' });
		const added = createShape(board, 'ellipse');
		const plan = restorePlan(listShapes(board), version);
		expect(plan.remove).toEqual([added]);
		expect(plan.put.map((s) => s.id)).toEqual([ids[0]]);
		expect(plan.patch).toEqual([{ id: ids[1], set: { x: 100, stroke: version[1]!.stroke }, unset: [] }]);
	});

	it('with a selection, brings back only those shapes and removes nothing', () => {
		const { board, ids, version } = boardWithVersion();
		deleteShapes(board, [ids[0]!, ids[1]!]);
		createShape(board, 'ellipse');
		const plan = restorePlan(listShapes(board), version, [ids[1]!]);
		expect(plan).toEqual({ remove: [], put: [version[1]], patch: [] });
	});

	it('is empty when the board equals the version', () => {
		const { board, version } = boardWithVersion();
		expect(isEmptyPlan(restorePlan(listShapes(board), version))).toBe(true);
	});

	it('leaves out a version shape that fails validation', () => {
		const bad = { id: 'bad', type: 'rect', index: 'a0', x: Number.NaN } as unknown as Shape;
		expect(restorePlan([], [bad]).put).toEqual([]);
	});
});

describe('applyRestore', () => {
	it('makes the live shapes equal the version, ids and stacking order included', () => {
		const { board, ids, version } = boardWithVersion();
		deleteShapes(board, [ids[0]!]);
		updateShape(board, ids[2]!, { w: 300, rotation: 45 });
		createShape(board, 'text', { text: 'later' });
		restoreShapes(board, listShapes(board), version);
		expect(listShapes(board)).toEqual(version);
	});

	it('is one undo step, and undoing it gives back the board as it was before the restore', () => {
		const { board, ids, version } = boardWithVersion();
		const history = createHistory(board);
		deleteShapes(board, [ids[0]!, ids[1]!]);
		createShape(board, 'ellipse');
		const before = listShapes(board);
		history.clear();
		restoreShapes(board, listShapes(board), version);
		expect(listShapes(board)).toEqual(version);
		history.undo();
		expect(listShapes(board)).toEqual(before);
		expect(history.canUndo()).toBe(false);
		history.redo();
		expect(listShapes(board)).toEqual(version);
	});

	it('reaches another client as one update that converges to the version', () => {
		const { board, doc, ids, version } = boardWithVersion();
		const peer = new Y.Doc();
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
		deleteShapes(board, [ids[0]!]);
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)));
		let updates = 0;
		doc.on('update', (update: Uint8Array) => {
			updates++;
			Y.applyUpdate(peer, update);
		});
		applyRestore(board, restorePlan(listShapes(board), version));
		expect(updates).toBe(1);
		const other = new Board(peer);
		expect(listShapes(other)).toEqual(version);
	});
});

describe('versionBoard', () => {
	it('holds exactly the version shapes, on a doc of its own', () => {
		const { board, version } = boardWithVersion();
		const preview = versionBoard(version);
		expect(preview.doc).not.toBe(board.doc);
		expect(listShapes(preview)).toEqual(version);
	});
});
