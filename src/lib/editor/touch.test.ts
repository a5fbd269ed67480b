import { describe, expect, it } from 'vitest';
import { createShape } from '$lib/board';
import { at, testEditor } from '$lib/editor/test-helpers';
import type { ToolId } from '$lib/editor/tools/tool';

const touch = { pointerType: 'touch' as const };

describe('a press another gesture takes over (second finger, long press, pen over a palm)', () => {
	for (const tool of ['pen', 'rect', 'ellipse', 'line', 'arrow'] satisfies ToolId[]) {
		it(`leaves nothing of a ${tool} drawn so far, and no undo step`, () => {
			const { editor, clock } = testEditor();
			editor.setTool(tool);
			editor.pointerDown(at(editor, 100, 100, touch));
			editor.pointerMove(at(editor, 140, 130, touch));
			clock.advance(100);
			editor.pointerMove(at(editor, 180, 160, touch));
			clock.advance(100);
			editor.discardGesture();
			expect(editor.shapes()).toEqual([]);
			expect(editor.canUndo).toBe(false);
			expect(editor.activeTool.state).toBe('idle');
			clock.advance(1000);
			expect(editor.shapes()).toEqual([]);
		});
	}

	it('brings back what the eraser took, with no undo step', () => {
		const { editor } = testEditor();
		const id = createShape(editor.board, 'rect', { x: 90, y: 90, w: 40, h: 40 });
		editor.history.clear();
		editor.setTool('eraser');
		editor.pointerDown(at(editor, 95, 110, touch));
		expect(editor.shape(id)).toBeNull();
		editor.discardGesture();
		expect(editor.shape(id)).not.toBeNull();
		expect(editor.canUndo).toBe(false);
	});

	it('puts a moved shape back and the selection as it was', () => {
		const { editor, clock } = testEditor();
		const a = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		const b = createShape(editor.board, 'rect', { x: 200, y: 0, w: 50, h: 50 });
		editor.history.clear();
		editor.select([a]);
		editor.pointerDown(at(editor, 225, 25, touch));
		editor.pointerMove(at(editor, 300, 100, touch));
		clock.advance(100);
		editor.discardGesture();
		expect(editor.shape(b)).toMatchObject({ x: 200, y: 0 });
		expect(editor.selection).toEqual([a]);
		expect(editor.canUndo).toBe(false);
	});

	it('keeps the selection when the press was on the empty canvas (a pinch starting there)', () => {
		const { editor } = testEditor();
		const a = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		editor.select([a]);
		editor.pointerDown(at(editor, 500, 500, touch));
		expect(editor.selection).toEqual([]);
		editor.discardGesture();
		expect(editor.selection).toEqual([a]);
	});
});

describe('a handle drag another gesture takes over', () => {
	it('takes back the resize written so far; the closing change from the canvas only redraws', () => {
		const { editor, clock } = testEditor();
		const id = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		editor.history.clear();
		editor.beginTransform();
		editor.transform([{ id, patch: { w: 80 } }], false);
		clock.advance(100);
		expect(editor.shape(id)).toMatchObject({ w: 80 });
		editor.discardTransform();
		editor.transform([{ id, patch: { w: 90 } }], true);
		expect(editor.shape(id)).toMatchObject({ w: 50 });
		expect(editor.canUndo).toBe(false);
	});
});

describe('opening the context menu', () => {
	it('selects the shape under the pointer first, switching to the select tool', () => {
		const { editor } = testEditor();
		const a = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		const b = createShape(editor.board, 'rect', { x: 100, y: 0, w: 50, h: 50 });
		editor.select([a]);
		// On b's outline (shapes without a fill are hit on their outline).
		editor.openContextMenu({ x: 101, y: 25 }, { x: 130, y: 90 });
		expect(editor.selection).toEqual([b]);
		expect(editor.contextMenu).toEqual({ at: { x: 101, y: 25 }, client: { x: 130, y: 90 } });
		editor.setTool('pen');
		editor.openContextMenu({ x: 1, y: 25 });
		expect(editor.tool).toBe('select');
		expect(editor.selection).toEqual([a]);
	});

	it('keeps a selection it opens inside of, and clears it outside', () => {
		const { editor } = testEditor();
		const a = createShape(editor.board, 'rect', { x: 0, y: 0, w: 50, h: 50 });
		const b = createShape(editor.board, 'rect', { x: 100, y: 0, w: 50, h: 50 });
		editor.select([a, b]);
		editor.openContextMenu({ x: 25, y: 25 });
		expect(editor.selection).toEqual([a, b]);
		editor.openContextMenu({ x: 75, y: 40 });
		expect(editor.selection).toEqual([a, b]);
		editor.openContextMenu({ x: 600, y: 600 });
		expect(editor.selection).toEqual([]);
	});
});

describe('finger-sized hit areas', () => {
	it('reaches a line 10 px away with a finger, not with a mouse', () => {
		const { editor } = testEditor();
		const line = createShape(editor.board, 'line', { x: 0, y: 100, points: [0, 0, 200, 0], strokeWidth: 2 });
		expect(editor.shapeAt({ x: 100, y: 110 })).toBeNull();
		editor.coarsePointer = true;
		expect(editor.shapeAt({ x: 100, y: 110 })?.id).toBe(line);
	});
});

describe('pen pressure', () => {
	it('stores the pressures a pen measured', () => {
		const { editor } = testEditor();
		editor.setTool('pen');
		const pen = (x: number, pressure: number) => at(editor, x, 100, { pointerType: 'pen', pressure });
		editor.pointerDown(pen(0, 0.2));
		editor.pointerMove(pen(20, 0.6));
		editor.pointerMove(pen(40, 0.9));
		editor.pointerUp(pen(40, 0.9));
		const [stroke] = editor.shapes();
		expect(stroke).toMatchObject({ type: 'pen' });
		expect(stroke!.type === 'pen' && stroke!.pressures?.length).toBe(stroke!.type === 'pen' && stroke!.points.length / 2);
		expect(stroke!.type === 'pen' && Math.max(...(stroke!.pressures ?? []))).toBeGreaterThan(0.8);
	});

	it('simulates pressure for a pen that reports none (0.5 throughout, as a mouse does), and for mice and fingers', () => {
		for (const pointerType of ['pen', 'mouse', 'touch'] as const) {
			const { editor } = testEditor();
			editor.setTool('pen');
			const p = (x: number) => at(editor, x, 100, { pointerType, pressure: 0.5 });
			editor.pointerDown(p(0));
			editor.pointerMove(p(20));
			editor.pointerMove(p(40));
			editor.pointerUp(p(40));
			const [stroke] = editor.shapes();
			expect(stroke?.type === 'pen' && stroke.pressures).toBeUndefined();
		}
	});
});
