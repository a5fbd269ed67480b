/**
 * Enter without a pointer: with a drawing tool, a default-size shape at the centre of the view (selected,
 * with the keyboard on it; text and sticky notes go straight into typing); with the select tool, typing
 * into the one selected text or sticky note. Other shapes have no text of their own, so Enter does nothing
 * on them.
 */
import { createShape } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import { newShapeStyle } from '$lib/editor/style';
import { CLICK_SHAPE_SIZE } from '$lib/editor/tools/box-shape';
import { STICKY_SIZE } from '$lib/editor/tools/sticky';
import type { ToolId } from '$lib/editor/tools/tool';

/** Length of a line or arrow placed from the keyboard, in board units. */
export const KEYBOARD_LINE_LENGTH = 100;

/** Tools whose shape Enter can place; the pen, the eraser and the looking tools need a pointer. */
const PLACEABLE: ReadonlySet<ToolId> = new Set(['rect', 'ellipse', 'line', 'arrow', 'text', 'sticky']);

export function canPlace(tool: ToolId): boolean {
	return PLACEABLE.has(tool);
}

/** Places the active tool's shape at the view's centre; returns whether it did. */
export function placeShape(editor: Editor): boolean {
	const tool = editor.tool;
	if (!canPlace(tool) || !editor.canWrite) return false;
	const c = editor.toBoard({ x: editor.viewport.width / 2, y: editor.viewport.height / 2 });
	if (tool === 'text') {
		editor.focus.resumeAfterEdit = true;
		editor.text.startNew(c);
		return true;
	}
	if (tool === 'sticky') {
		// Creating the note and typing its text are one undo step, as with a click.
		editor.history.beginGesture();
		const half = STICKY_SIZE / 2;
		const id = createShape(editor.board, 'sticky', { ...newShapeStyle('sticky', editor.style), x: c.x - half, y: c.y - half, w: STICKY_SIZE, h: STICKY_SIZE });
		editor.focus.resumeAfterEdit = true;
		editor.text.edit(id, true);
		editor.history.endGesture();
		return true;
	}
	let id: string;
	if (tool === 'line' || tool === 'arrow') {
		const half = KEYBOARD_LINE_LENGTH / 2;
		id = createShape(editor.board, tool, { ...newShapeStyle(tool, editor.style), x: c.x - half, y: c.y, points: [0, 0, KEYBOARD_LINE_LENGTH, 0] });
	} else {
		const half = CLICK_SHAPE_SIZE / 2;
		id = createShape(editor.board, tool as 'rect' | 'ellipse', { ...newShapeStyle(tool as 'rect' | 'ellipse', editor.style), x: c.x - half, y: c.y - half, w: CLICK_SHAPE_SIZE, h: CLICK_SHAPE_SIZE });
	}
	editor.setTool('select');
	editor.focus.focusShape(id);
	return true;
}

/** Enter with the select tool: type into the one selected text or sticky note; returns whether it started. */
export function editSelectedText(editor: Editor): boolean {
	if (editor.tool !== 'select' || editor.selection.length !== 1 || !editor.canWrite) return false;
	const shape = editor.shape(editor.selection[0]!);
	if (!shape || (shape.type !== 'text' && shape.type !== 'sticky')) return false;
	editor.focus.resumeAfterEdit = true;
	editor.text.edit(shape.id);
	return true;
}
