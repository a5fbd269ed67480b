/** Undo/redo of this user's own board changes (never a peer's), with gestures as single steps and selection restored. */

import * as Y from 'yjs';
import { type Board } from '../shared/model/board.ts';

export interface HistoryOptions {
	/** The editor's current selection; stored with each step so undo/redo can restore it. */
	getSelection?: () => readonly string[];
}

export interface UndoResult {
	/** The selection to show after this undo/redo (only ids that still exist), or null if unknown. */
	selection: string[] | null;
}

export interface History {
	/** Undoes the latest step of this user; null when there is nothing to undo. */
	undo(): UndoResult | null;
	redo(): UndoResult | null;
	canUndo(): boolean;
	canRedo(): boolean;
	/**
	 * Starts a gesture: every change until endGesture() becomes one undo step (a drag, a
	 * stroke, a resize, typing into a note). Nested begin/end pairs count as one gesture.
	 */
	beginGesture(): void;
	endGesture(): void;
	/** Ends the gesture and reverts its changes without leaving a redo step (e.g. Escape mid-drag). */
	cancelGesture(): void;
	/** Runs `fn` as a gesture; ends it even if `fn` throws. */
	gesture<R>(fn: () => R): R;
	readonly inGesture: boolean;
	/** Calls `listener` whenever canUndo/canRedo may have changed. Returns an unsubscribe function. */
	onChange(listener: () => void): () => void;
	clear(): void;
	destroy(): void;
}

const SELECTION_META = 'selection';

/**
 * An undo manager scoped to the board's shapes and to the board's own origin, so a
 * peer's edit is never undone here (and ours survives theirs, per Yjs undo semantics).
 * Outside a gesture every op is its own step: no time-based merging, so two quick clicks
 * stay two steps.
 */
export function createHistory(board: Board, options: HistoryOptions = {}): History {
	const manager = new Y.UndoManager(board.shapes, {
		trackedOrigins: new Set([board.origin]),
		captureTimeout: 0
	});
	const getSelection = options.getSelection;
	let depth = 0;
	let gestureSelection: string[] | null = null;
	let gestureAddedStep = false;
	const listeners = new Set<() => void>();

	const currentSelection = () => (getSelection ? [...getSelection()] : null);
	const notify = () => {
		for (const listener of listeners) listener();
	};
	/**
	 * The selection as the latest of our transactions (an edit, an undo, a redo) began: by the time the
	 * step is added, the editor has already dropped the ids that change removed from the selection.
	 */
	let selectionBefore: string[] | null = null;
	const beforeTransaction = (transaction: Y.Transaction) => {
		if (depth === 0 && (transaction.origin === board.origin || transaction.origin === manager)) selectionBefore = currentSelection();
	};
	board.doc.on('beforeTransaction', beforeTransaction);

	// Each step remembers the selection to restore when it is popped: the selection before
	// the change for undo steps (so undoing a delete selects what came back), and the selection
	// at undo time for the redo step it creates (so redoing a creation selects it again).
	manager.on('stack-item-added', ({ stackItem }) => {
		const selection = gestureSelection ?? selectionBefore ?? currentSelection();
		stackItem.meta.set(SELECTION_META, selection);
		if (depth > 0 && !manager.undoing && !manager.redoing) gestureAddedStep = true;
		notify();
	});
	manager.on('stack-item-popped', notify);
	manager.on('stack-cleared', notify);

	const existing = (ids: unknown): string[] | null =>
		Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && board.read(id) !== null) : null;

	const pop = (which: 'undo' | 'redo'): UndoResult | null => {
		// An undo in the middle of a gesture would split it; finish the gesture first.
		if (depth > 0) finishGesture();
		const item = which === 'undo' ? manager.undo() : manager.redo();
		return item ? { selection: existing(item.meta.get(SELECTION_META)) } : null;
	};

	function finishGesture(): void {
		depth = 0;
		gestureSelection = null;
		manager.captureTimeout = 0;
		manager.stopCapturing();
	}

	const history: History = {
		undo: () => pop('undo'),
		redo: () => pop('redo'),
		canUndo: () => manager.canUndo(),
		canRedo: () => manager.canRedo(),
		beginGesture() {
			if (depth++ > 0) return;
			gestureSelection = currentSelection();
			gestureAddedStep = false;
			// A fresh step for the gesture, then merge everything until it ends.
			manager.stopCapturing();
			manager.captureTimeout = Number.POSITIVE_INFINITY;
		},
		endGesture() {
			if (depth === 0) return;
			if (--depth === 0) finishGesture();
		},
		cancelGesture() {
			if (depth === 0) return;
			const revert = gestureAddedStep;
			finishGesture();
			if (!revert) return;
			// Hide older steps while reverting: Yjs undo skips a step that changes nothing
			// (say a peer deleted the dragged shape) and would undo an older one instead.
			const older = manager.undoStack.splice(0, manager.undoStack.length - 1);
			const redoDepth = manager.redoStack.length;
			try {
				manager.undo();
			} finally {
				manager.undoStack.unshift(...older);
				// Drop the redo step the revert created: a cancelled gesture never happened.
				manager.redoStack.length = redoDepth;
			}
			notify();
		},
		gesture<R>(fn: () => R): R {
			history.beginGesture();
			try {
				return fn();
			} finally {
				history.endGesture();
			}
		},
		get inGesture() {
			return depth > 0;
		},
		onChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		clear() {
			manager.clear();
		},
		destroy() {
			board.doc.off('beforeTransaction', beforeTransaction);
			listeners.clear();
			manager.destroy();
		}
	};
	return history;
}
