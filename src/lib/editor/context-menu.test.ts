import { describe, expect, it } from 'vitest';
import { createShape } from '$lib/board';
import { command, COMMANDS } from '$lib/editor/commands';
import {
	CANVAS_MENU,
	SELECTION_MENU,
	contextMenuFor,
	contextMenuIds,
	contextMenuItems,
	nextEnabled,
	placeMenu,
	type MenuState
} from '$lib/editor/context-menu';
import { testEditor } from '$lib/editor/test-helpers';

const state = (over: Partial<MenuState> = {}): MenuState => ({
	selectionCount: 0,
	canWrite: true,
	canUndo: false,
	canRedo: false,
	hasShapes: true,
	...over
});

describe('context menu: which commands', () => {
	it('offers the selection commands over a selection, the canvas ones over nothing', () => {
		expect(contextMenuIds(state({ selectionCount: 2 }))).toEqual(SELECTION_MENU);
		expect(contextMenuIds(state())).toEqual(CANVAS_MENU);
		expect(contextMenuIds(state({ selectionCount: 1 })).flat()).toEqual(expect.arrayContaining(['delete', 'duplicate', 'copy', 'bringForward']));
		expect(contextMenuIds(state()).flat()).not.toContain('delete');
	});

	it('lists only commands of the registry', () => {
		const ids = new Set(COMMANDS.map((c) => c.id));
		for (const id of [...SELECTION_MENU, ...CANVAS_MENU].flat()) expect(ids.has(id)).toBe(true);
	});

	it('leaves out every command that writes for a viewer, and drops emptied groups', () => {
		const viewer = contextMenuIds(state({ selectionCount: 1, canWrite: false }));
		expect(viewer).toEqual([['copy'], ['zoomFit']]);
		for (const id of contextMenuIds(state({ canWrite: false })).flat()) expect(command(id).writes).toBe(false);
	});

	it('labels rows and shows shortcuts from the registry, and disables what has nothing to act on', () => {
		const groups = contextMenuItems(state({ canUndo: true, canRedo: false, hasShapes: false }));
		const rows = new Map(groups.flat().map((item) => [item.id, item]));
		expect(rows.get('undo')).toEqual({ id: 'undo', label: 'Undo', shortcut: 'Ctrl+Z', enabled: true });
		expect(rows.get('redo')?.enabled).toBe(false);
		expect(rows.get('selectAll')?.enabled).toBe(false);
		expect(rows.get('zoomIn')).toMatchObject({ label: 'Zoom in', shortcut: '+', enabled: true });
	});

	it('reads the editor: selection, right to write, undo', () => {
		const { editor } = testEditor();
		const id = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		editor.select([id]);
		expect(contextMenuFor(editor).flat().map((i) => i.id)).toContain('delete');
		editor.canWrite = false;
		expect(contextMenuFor(editor).flat().map((i) => i.id)).not.toContain('delete');
	});
});

describe('context menu: placement and keys', () => {
	const viewport = { width: 390, height: 844 };
	it('opens at the point when it fits', () => {
		expect(placeMenu({ x: 100, y: 100 }, { width: 200, height: 300 }, viewport)).toEqual({ x: 100, y: 100 });
	});
	it('opens to the left and above near the right and bottom edges, and never leaves the viewport', () => {
		expect(placeMenu({ x: 300, y: 700 }, { width: 200, height: 300 }, viewport)).toEqual({ x: 100, y: 400 });
		expect(placeMenu({ x: 150, y: 10 }, { width: 200, height: 300 }, viewport)).toEqual({ x: 150, y: 10 });
		expect(placeMenu({ x: 5, y: 5 }, { width: 500, height: 1000 }, viewport)).toEqual({ x: 8, y: 8 });
		const p = placeMenu({ x: 180, y: 600 }, { width: 220, height: 400 }, viewport);
		expect(p.x + 220).toBeLessThanOrEqual(390 - 8);
		expect(p.y + 400).toBeLessThanOrEqual(844 - 8);
		expect(p.x).toBeGreaterThanOrEqual(8);
	});
	it('moves between enabled rows, wrapping, skipping disabled ones', () => {
		const rows = [true, false, true, false].map((enabled, i) => ({ id: 'undo' as const, label: `${i}`, shortcut: null, enabled }));
		expect(nextEnabled(rows, -1, 1)).toBe(0);
		expect(nextEnabled(rows, 0, 1)).toBe(2);
		expect(nextEnabled(rows, 2, 1)).toBe(0);
		expect(nextEnabled(rows, 0, -1)).toBe(2);
		expect(nextEnabled(rows.map((r) => ({ ...r, enabled: false })), 0, 1)).toBe(-1);
	});
});
