// The board by keyboard alone, through the key handler: Tab through shapes, Enter to type or place, arrows as one undo step.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createShape } from '$lib/board';
import { bindKeyboard } from '$lib/editor/keyboard';
import { testEditor } from '$lib/editor/test-helpers';
import { KEYBOARD_LINE_LENGTH } from '$lib/editor/keyboard-place';
import { CLICK_SHAPE_SIZE } from '$lib/editor/tools/box-shape';

const fakeWindow = new EventTarget();
const fakeDocument = new EventTarget();

function key(init: { key: string; shiftKey?: boolean; repeat?: boolean }, type: 'keydown' | 'keyup' = 'keydown') {
	const e = Object.assign(new Event(type, { cancelable: true }), { code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, repeat: false, ...init });
	fakeWindow.dispatchEvent(e);
	return e;
}

describe('the board by keyboard', () => {
	let unbind = () => {};
	beforeEach(() => {
		vi.stubGlobal('window', fakeWindow);
		vi.stubGlobal('document', fakeDocument);
	});
	afterEach(() => {
		unbind();
		vi.unstubAllGlobals();
	});

	/** An editor with the key handler bound and the keyboard on its canvas. */
	function onCanvas() {
		const t = testEditor();
		unbind = bindKeyboard(t.commands);
		t.editor.focus.onCanvas = true;
		return t;
	}

	it('Shift+F10 and the menu key open the context menu at the selection’s middle, or the view’s, leaving the selection as it is', () => {
		const { editor } = onCanvas();
		editor.viewport = { width: 800, height: 600 };
		const a = createShape(editor.board, 'rect', { x: 100, y: 100, w: 100, h: 100 });
		const b = createShape(editor.board, 'rect', { x: 300, y: 100, w: 100, h: 100 });
		// A function: TypeScript would otherwise keep the `null` assigned below as the field's type.
		const menuAt = () => editor.contextMenu?.at;
		editor.select([a, b]);
		expect(key({ key: 'F10', shiftKey: true }).defaultPrevented).toBe(true);
		expect(menuAt()).toEqual({ x: 250, y: 150 });
		expect(editor.selection).toEqual([a, b]);
		editor.contextMenu = null;
		editor.select([]);
		key({ key: 'ContextMenu' });
		expect(menuAt()).toEqual({ x: 400, y: 300 });
	});

	it('Tab walks the shapes in reading order, selecting each; past the last it lets the browser move on', () => {
		const { editor } = onCanvas();
		const b = createShape(editor.board, 'rect', { x: 300, y: 0, w: 50, h: 50 });
		const a = createShape(editor.board, 'sticky', { x: 0, y: 0, text: 'Buy milk' });
		const c = createShape(editor.board, 'ellipse', { x: 0, y: 400, w: 50, h: 50 });
		const seen: (string | null)[] = [];
		for (let i = 0; i < 3; i++) {
			expect(key({ key: 'Tab' }).defaultPrevented).toBe(true);
			seen.push(editor.focus.shape);
			expect(editor.selection).toEqual([editor.focus.shape]);
		}
		expect(seen).toEqual([a, b, c]);
		expect(editor.focus.position).toEqual({ index: 3, total: 3 });
		// No trap: the browser's Tab takes the focus to the next control.
		expect(key({ key: 'Tab' }).defaultPrevented).toBe(false);
		expect(key({ key: 'Tab', shiftKey: true }).defaultPrevented).toBe(true);
		expect(editor.focus.shape).toBe(b);
	});

	it('Shift+Tab from the first shape comes back to the canvas, and from the canvas leaves it', () => {
		const { editor } = onCanvas();
		createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		key({ key: 'Tab' });
		expect(key({ key: 'Tab', shiftKey: true }).defaultPrevented).toBe(true);
		expect(editor.focus.shape).toBeNull();
		expect(key({ key: 'Tab', shiftKey: true }).defaultPrevented).toBe(false);
	});

	it('Tab from the canvas starts after the selection (the first selected in reading order), Shift+Tab before it', () => {
		const { editor } = onCanvas();
		const a = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		const b = createShape(editor.board, 'rect', { x: 300, y: 0, w: 50, h: 50 });
		const c = createShape(editor.board, 'rect', { x: 0, y: 400, w: 50, h: 50 });
		const d = createShape(editor.board, 'rect', { x: 300, y: 400, w: 50, h: 50 });
		editor.select([c, b]);
		expect(key({ key: 'Tab' }).defaultPrevented).toBe(true);
		expect(editor.focus.shape).toBe(c);
		expect(editor.focus.position).toEqual({ index: 3, total: 4 });
		editor.focus.toCanvas();
		editor.select([c]);
		expect(key({ key: 'Tab', shiftKey: true }).defaultPrevented).toBe(true);
		expect(editor.focus.shape).toBe(b);
		expect(editor.selection).toEqual([b]);
		// Nothing after (or before) the selection: the browser moves on, as from the canvas.
		editor.focus.toCanvas();
		editor.select([d]);
		expect(key({ key: 'Tab' }).defaultPrevented).toBe(false);
		editor.select([a]);
		expect(key({ key: 'Tab', shiftKey: true }).defaultPrevented).toBe(false);
		expect(editor.focus.shape).toBeNull();
	});

	it('Tab is left to the browser when the keyboard is not on the canvas', () => {
		const { editor } = onCanvas();
		editor.focus.onCanvas = false;
		createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		expect(key({ key: 'Tab' }).defaultPrevented).toBe(false);
		expect(editor.selection).toEqual([]);
	});

	it('Escape on a shape goes back to the canvas, keeping the selection; the next Escape deselects', () => {
		const { editor } = onCanvas();
		const id = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		key({ key: 'Tab' });
		key({ key: 'Escape' });
		expect(editor.focus.shape).toBeNull();
		expect(editor.selection).toEqual([id]);
		key({ key: 'Escape' });
		expect(editor.selection).toEqual([]);
	});

	it('the camera follows a focused shape that is out of view', () => {
		const { editor } = onCanvas();
		createShape(editor.board, 'rect', { x: 5000, y: 3000, w: 100, h: 100 });
		key({ key: 'Tab' });
		const centre = editor.toBoard({ x: editor.viewport.width / 2, y: editor.viewport.height / 2 });
		expect(centre.x).toBeCloseTo(5050, 0);
		expect(centre.y).toBeCloseTo(3050, 0);
	});

	it('the camera follow keeps a focused shape clear of the chrome: centred in the safe area, not the window', () => {
		const { editor } = onCanvas();
		editor.viewport = { width: 390, height: 844 };
		editor.safeArea = { top: 100, right: 50, bottom: 120, left: 0 };
		// Inside the window, but under the dock.
		createShape(editor.board, 'rect', { x: 100, y: 740, w: 100, h: 60 });
		key({ key: 'Tab' });
		const centre = editor.toBoard({ x: 170, y: 412 });
		expect(centre.x).toBeCloseTo(150, 0);
		expect(centre.y).toBeCloseTo(770, 0);
	});

	it('Enter types into the focused sticky note', () => {
		const { editor } = onCanvas();
		const id = createShape(editor.board, 'sticky', { x: 0, y: 0, text: 'Buy milk' });
		key({ key: 'Tab' });
		expect(key({ key: 'Enter' }).defaultPrevented).toBe(true);
		expect(editor.text.session?.id).toBe(id);
		expect(editor.focus.resumeAfterEdit).toBe(true);
	});

	it('Enter does nothing on a shape without text', () => {
		const { editor } = onCanvas();
		createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		key({ key: 'Tab' });
		expect(key({ key: 'Enter' }).defaultPrevented).toBe(false);
		expect(editor.text.active).toBe(false);
	});

	it('a tool key then Enter places a default shape at the view’s centre, selected and focused', () => {
		const { editor } = onCanvas();
		key({ key: 'r' });
		expect(key({ key: 'Enter' }).defaultPrevented).toBe(true);
		const [rect] = editor.shapes();
		expect(rect).toMatchObject({ type: 'rect', x: 500 - CLICK_SHAPE_SIZE / 2, y: 400 - CLICK_SHAPE_SIZE / 2, w: CLICK_SHAPE_SIZE });
		expect(editor.tool).toBe('select');
		expect(editor.selection).toEqual([rect!.id]);
		expect(editor.focus.shape).toBe(rect!.id);
		key({ key: 'a' });
		key({ key: 'Enter' });
		expect(editor.shapes()[1]).toMatchObject({ type: 'arrow', x: 500 - KEYBOARD_LINE_LENGTH / 2, y: 400, points: [0, 0, KEYBOARD_LINE_LENGTH, 0] });
	});

	it('a sticky note placed with Enter opens for typing, and is one undo step with its text', () => {
		const { editor } = onCanvas();
		key({ key: 'n' });
		key({ key: 'Enter' });
		const [note] = editor.shapes();
		expect(note?.type).toBe('sticky');
		expect(editor.text.session?.id).toBe(note!.id);
		editor.text.input('Hello');
		editor.text.commit();
		expect(editor.shape(note!.id)).toMatchObject({ text: 'Hello' });
		editor.history.undo();
		expect(editor.shapes()).toEqual([]);
	});

	it('Enter places nothing for a viewer, nor with the pen', () => {
		const { editor } = onCanvas();
		key({ key: 'p' });
		expect(key({ key: 'Enter' }).defaultPrevented).toBe(false);
		editor.setTool('select');
		editor.canWrite = false;
		key({ key: 'r' });
		key({ key: 'Enter' });
		expect(editor.shapes()).toEqual([]);
	});

	it('a held arrow key moves the selection in one undo step; separate presses are separate steps', () => {
		const { editor } = onCanvas();
		const id = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		editor.select([id]);
		key({ key: 'ArrowRight' });
		for (let i = 0; i < 4; i++) key({ key: 'ArrowRight', repeat: true });
		key({ key: 'ArrowRight' }, 'keyup');
		key({ key: 'ArrowDown', shiftKey: true });
		key({ key: 'ArrowDown' }, 'keyup');
		expect(editor.shape(id)).toMatchObject({ x: 5, y: 10 });
		editor.history.undo();
		expect(editor.shape(id)).toMatchObject({ x: 5, y: 0 });
		editor.history.undo();
		expect(editor.shape(id)).toMatchObject({ x: 0, y: 0 });
	});
});
