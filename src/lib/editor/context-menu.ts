/**
 * What the context menu (right click, long press) offers: the registry's commands that apply to the
 * selection, or to the canvas when nothing is selected, in groups; those the user may not run now
 * (a viewer's writes) are left out, and those with nothing to act on yet are shown disabled.
 */
import { command, primaryKey, type CommandId } from '$lib/editor/commands';
import type { Editor } from '$lib/editor/editor.svelte';

/** Over one or more selected shapes. */
export const SELECTION_MENU: readonly (readonly CommandId[])[] = [
	['cut', 'copy', 'paste', 'duplicate'],
	['bringForward', 'sendBackward'],
	['zoomFit'],
	['delete']
];

/** Over the empty canvas, nothing selected. */
export const CANVAS_MENU: readonly (readonly CommandId[])[] = [
	['paste', 'selectAll'],
	['undo', 'redo'],
	['zoomIn', 'zoomOut', 'zoomReset', 'zoomFit'],
	['insertImage']
];

/** What the menu needs to know of the editor. */
export interface MenuState {
	selectionCount: number;
	canWrite: boolean;
	canUndo: boolean;
	canRedo: boolean;
	hasShapes: boolean;
}

export interface MenuItem {
	id: CommandId;
	label: string;
	/** The shortcut as the shortcuts dialog shows it ("Ctrl+D"), or null. */
	shortcut: string | null;
	/** False when it has nothing to act on now (Undo with nothing to undo). */
	enabled: boolean;
}

export function menuState(editor: Editor): MenuState {
	return {
		selectionCount: editor.selection.length,
		canWrite: editor.canWrite,
		canUndo: editor.canUndo,
		canRedo: editor.canRedo,
		hasShapes: editor.shapes().length > 0
	};
}

/** The command ids the menu lists for this state, by group; empty groups are dropped. */
export function contextMenuIds(state: MenuState): CommandId[][] {
	const layout = state.selectionCount > 0 ? SELECTION_MENU : CANVAS_MENU;
	return layout
		// The read-only seam's rule (`isAvailable`), from the state rather than the editor.
		.map((group) => group.filter((id) => state.canWrite || !command(id).writes))
		.filter((group) => group.length > 0);
}

function enabled(id: CommandId, state: MenuState): boolean {
	switch (id) {
		case 'undo':
			return state.canUndo;
		case 'redo':
			return state.canRedo;
		case 'selectAll':
		case 'zoomFit':
			return state.hasShapes;
		default:
			return true;
	}
}

/** The menu's rows: labels and shortcuts from the registry. */
export function contextMenuItems(state: MenuState): MenuItem[][] {
	return contextMenuIds(state).map((group) =>
		group.map((id) => ({ id, label: command(id).label, shortcut: primaryKey(id), enabled: enabled(id, state) }))
	);
}

/** The menu for the editor as it is now (a viewer gets only what `runCommand` would run). */
export function contextMenuFor(editor: Editor): MenuItem[][] {
	return contextMenuItems(menuState(editor));
}

/** Where a menu of `size` opened at `at` (viewport px) goes so it stays inside a `viewport`, with a margin. */
export function placeMenu(
	at: { x: number; y: number },
	size: { width: number; height: number },
	viewport: { width: number; height: number },
	margin = 8
): { x: number; y: number } {
	const clamp = (value: number, length: number, limit: number) => {
		// Opens to the left or above when there is no room to the right or below.
		const flipped = value + length > limit - margin ? value - length : value;
		return Math.max(margin, Math.min(flipped, limit - length - margin));
	};
	return { x: clamp(at.x, size.width, viewport.width), y: clamp(at.y, size.height, viewport.height) };
}

/** The next enabled row from `from` in `step` direction (wrapping), for arrow keys; -1 when none is enabled. */
export function nextEnabled(items: readonly MenuItem[], from: number, step: 1 | -1): number {
	const n = items.length;
	for (let i = 1; i <= n; i++) {
		const index = (((from + step * i) % n) + n) % n;
		if (items[index]!.enabled) return index;
	}
	return -1;
}
