/** Editor commands behind shortcuts and buttons: undo/redo, delete, duplicate, z-order, nudge, zoom, select all. */
import { bringForward, deleteShapes, duplicateShapes, sendBackward, translateShapes } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Action } from '$lib/editor/shortcuts';

export function undo(editor: Editor): void {
	editor.activeTool.cancel();
	const result = editor.history.undo();
	if (result?.selection) editor.select(result.selection);
}

export function redo(editor: Editor): void {
	editor.activeTool.cancel();
	const result = editor.history.redo();
	if (result?.selection) editor.select(result.selection);
}

export function deleteSelection(editor: Editor): void {
	if (editor.selection.length === 0) return;
	deleteShapes(editor.board, editor.selection);
	editor.select([]);
}

export function duplicateSelection(editor: Editor): void {
	if (editor.selection.length === 0) return;
	editor.select(duplicateShapes(editor.board, editor.selection));
}

export function selectAll(editor: Editor): void {
	editor.setTool('select');
	editor.select(editor.shapes().map((shape) => shape.id));
}

/**
 * Runs a shortcut's action. Returns false for actions handled elsewhere (clipboard needs
 * the DOM's copy/paste events) so the caller lets the browser's default happen.
 */
export function runAction(editor: Editor, action: Action): boolean {
	switch (action.type) {
		case 'tool':
			editor.setTool(action.tool);
			return true;
		case 'nudge':
			if (editor.selection.length === 0) return false;
			translateShapes(editor.board, editor.selection, action.dx, action.dy);
			return true;
		case 'undo':
			undo(editor);
			return true;
		case 'redo':
			redo(editor);
			return true;
		case 'selectAll':
			selectAll(editor);
			return true;
		case 'delete':
			deleteSelection(editor);
			return true;
		case 'duplicate':
			duplicateSelection(editor);
			return true;
		case 'bringForward':
			bringForward(editor.board, editor.selection);
			return true;
		case 'sendBackward':
			sendBackward(editor.board, editor.selection);
			return true;
		case 'zoomIn':
			editor.zoomIn();
			return true;
		case 'zoomOut':
			editor.zoomOut();
			return true;
		case 'zoomReset':
			editor.resetZoom();
			return true;
		case 'zoomFit':
			editor.zoomToFit();
			return true;
		case 'cancel':
			if (editor.helpOpen) editor.helpOpen = false;
			else editor.cancel();
			return true;
		case 'help':
			editor.helpOpen = !editor.helpOpen;
			return true;
		case 'copy':
		case 'cut':
		case 'paste':
			return false;
	}
}
