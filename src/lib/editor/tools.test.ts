import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoard, createShape, getShape, listShapes } from '$lib/board';
import { STROKE_MIN_WRITE_INTERVAL_MS, strokeWriteIntervalMs } from '$lib/board/stroke';
import { runCommand } from '$lib/editor/commands';
import { at, drag, testEditor } from '$lib/editor/test-helpers';

describe('rectangle tool', () => {
	it('walks idle → pointing → dragging → idle and creates one shape', () => {
		const { editor } = testEditor();
		editor.setTool('rect');
		expect(editor.toolState).toBe('rect.idle');
		editor.pointerDown(at(editor, 50, 50));
		expect(editor.toolState).toBe('rect.pointing');
		editor.pointerMove(at(editor, 52, 51));
		expect(editor.toolState).toBe('rect.pointing');
		editor.pointerMove(at(editor, 150, 120));
		expect(editor.toolState).toBe('rect.dragging');
		editor.pointerUp(at(editor, 150, 120));
		const shapes = editor.shapes();
		expect(shapes).toHaveLength(1);
		expect(shapes[0]).toMatchObject({ type: 'rect', x: 50, y: 50, w: 100, h: 70 });
		// Back to select with the new shape selected, as in Excalidraw.
		expect(editor.toolState).toBe('select.idle');
		expect(editor.selection).toEqual([shapes[0]!.id]);
	});

	it('makes a square with shift', () => {
		const { editor } = testEditor();
		editor.setTool('rect');
		editor.pointerDown(at(editor, 0, 0));
		editor.pointerMove(at(editor, 100, 40, { shiftKey: true }));
		editor.pointerUp(at(editor, 100, 40, { shiftKey: true }));
		expect(editor.shapes()[0]).toMatchObject({ w: 100, h: 100 });
	});

	it('writes a drag in progress at most every 50 ms, and the whole drag undoes in one step', () => {
		const { editor, clock, commands } = testEditor();
		editor.setTool('ellipse');
		editor.pointerDown(at(editor, 0, 0));
		editor.pointerMove(at(editor, 10, 10));
		const id = editor.selection[0]!;
		editor.pointerMove(at(editor, 20, 20));
		expect(getShape(editor.board, id)).toMatchObject({ w: 20, h: 20 });
		clock.advance(10);
		editor.pointerMove(at(editor, 40, 40));
		expect(getShape(editor.board, id)).toMatchObject({ w: 20, h: 20 });
		clock.advance(40);
		expect(getShape(editor.board, id)).toMatchObject({ w: 40, h: 40 });
		editor.pointerMove(at(editor, 80, 60));
		editor.pointerUp(at(editor, 80, 60));
		expect(getShape(editor.board, id)).toMatchObject({ w: 80, h: 60 });
		runCommand(commands, 'undo');
		expect(editor.shapes()).toHaveLength(0);
	});

	it('Escape mid-drag removes the shape being drawn', () => {
		const { editor } = testEditor();
		editor.setTool('rect');
		editor.pointerDown(at(editor, 0, 0));
		editor.pointerMove(at(editor, 60, 60));
		editor.cancel();
		expect(editor.toolState).toBe('rect.idle');
		expect(editor.shapes()).toHaveLength(0);
	});
});

describe('select tool', () => {
	function twoRects() {
		const t = testEditor();
		const board = t.editor.board;
		const a = createShape(board, 'rect', { x: 0, y: 0, w: 100, h: 100, fill: '#ffc9c9' });
		const b = createShape(board, 'rect', { x: 200, y: 0, w: 100, h: 100 });
		return { ...t, a, b };
	}

	it('selects a filled shape by its body and moves it with a drag', () => {
		const { editor, a, commands } = twoRects();
		editor.pointerDown(at(editor, 50, 50));
		expect(editor.toolState).toBe('select.pointing_shape');
		expect(editor.selection).toEqual([a]);
		editor.pointerMove(at(editor, 70, 60));
		expect(editor.toolState).toBe('select.translating');
		editor.pointerUp(at(editor, 70, 60));
		expect(getShape(editor.board, a)).toMatchObject({ x: 20, y: 10 });
		runCommand(commands, 'undo');
		expect(getShape(editor.board, a)).toMatchObject({ x: 0, y: 0 });
	});

	it('misses the inside of an unfilled shape but grabs its outline', () => {
		const { editor, b } = twoRects();
		editor.pointerDown(at(editor, 250, 50));
		expect(editor.toolState).toBe('select.pointing_canvas');
		editor.pointerUp(at(editor, 250, 50));
		expect(editor.selection).toEqual([]);
		editor.pointerDown(at(editor, 201, 50));
		expect(editor.selection).toEqual([b]);
	});

	it('adds with shift-click and selects with a marquee', () => {
		const { editor, a, b } = twoRects();
		drag(editor, [50, 50]);
		editor.pointerDown(at(editor, 201, 50, { shiftKey: true }));
		editor.pointerUp(at(editor, 201, 50, { shiftKey: true }));
		expect(editor.selection).toEqual([a, b]);

		drag(editor, [-20, 500]);
		expect(editor.selection).toEqual([]);
		editor.pointerDown(at(editor, -20, -20));
		editor.pointerMove(at(editor, 150, 150));
		expect(editor.toolState).toBe('select.brushing');
		expect(editor.marquee).toEqual({ x: -20, y: -20, w: 170, h: 170 });
		expect(editor.selection).toEqual([a]);
		editor.pointerUp(at(editor, 150, 150));
		expect(editor.marquee).toBeNull();
	});

	it('deletes, duplicates, nudges and selects all by shortcut actions', () => {
		const { editor, a, b, commands } = twoRects();
		runCommand(commands, 'selectAll');
		expect(editor.selection).toEqual([a, b]);
		runCommand(commands, 'nudge', { chord: 'Shift+ArrowRight' });
		expect(getShape(editor.board, b)).toMatchObject({ x: 210 });
		runCommand(commands, 'duplicate');
		expect(editor.shapes()).toHaveLength(4);
		runCommand(commands, 'delete');
		expect(editor.shapes()).toHaveLength(2);
	});
});

describe('pen, line, eraser, text and sticky tools', () => {
	it('draws a stroke as one shape with relative points', () => {
		const { editor } = testEditor();
		editor.setTool('pen');
		drag(editor, [10, 10], [20, 15], [30, 30], [40, 30]);
		const [pen] = editor.shapes();
		expect(pen).toMatchObject({ type: 'pen', x: 10, y: 10 });
		expect(pen!.type === 'pen' && pen!.points.slice(0, 2)).toEqual([0, 0]);
		expect(editor.toolState).toBe('pen.idle');
	});

	it('writes a stroke in progress every frame while short, simplified, and less often as it grows', () => {
		const { editor, clock } = testEditor();
		editor.setTool('pen');
		const stored = () => {
			const pen = editor.shapes()[0];
			return pen?.type === 'pen' ? pen.points.length / 2 : 0;
		};
		editor.pointerDown(at(editor, 0, 0));
		// A straight run of moves within one frame: the first is written at once, the rest wait.
		editor.pointerMove(at(editor, 10, 0));
		expect(stored()).toBe(2);
		for (let x = 20; x <= 100; x += 10) editor.pointerMove(at(editor, x, 0));
		expect(stored()).toBe(2);
		clock.advance(STROKE_MIN_WRITE_INTERVAL_MS);
		// Written one frame later, and simplified: a straight line needs only its two ends.
		const [pen] = editor.shapes();
		expect(pen!.type === 'pen' && pen!.points).toEqual([0, 0, 100, 0]);

		// A zigzag of 400 points keeps its corners, so the next write waits longer than a frame.
		for (let i = 1; i <= 400; i++) editor.pointerMove(at(editor, 100 + i * 2, i % 2 === 0 ? 0 : 20));
		clock.advance(STROKE_MIN_WRITE_INTERVAL_MS);
		const corners = stored();
		expect(corners).toBeGreaterThan(300);
		editor.pointerMove(at(editor, 1000, 300));
		clock.advance(STROKE_MIN_WRITE_INTERVAL_MS);
		expect(stored()).toBe(corners);
		clock.advance(strokeWriteIntervalMs(corners));
		expect(stored()).toBe(corners + 1);
		editor.pointerUp(at(editor, 1000, 300));
	});

	it('keeps pen pressure only from pens', () => {
		const { editor } = testEditor();
		editor.setTool('pen');
		editor.pointerDown(at(editor, 0, 0, { pointerType: 'pen', pressure: 0.2 }));
		editor.pointerMove(at(editor, 20, 0, { pointerType: 'pen', pressure: 0.8 }));
		editor.pointerUp(at(editor, 20, 0, { pointerType: 'pen' }));
		const [pen] = editor.shapes();
		expect(pen!.type === 'pen' && pen!.pressures?.length).toBe(2);
	});

	it('draws an arrow, snapping to 15° with shift', () => {
		const { editor } = testEditor();
		editor.setTool('arrow');
		editor.pointerDown(at(editor, 0, 0));
		editor.pointerMove(at(editor, 100, 3, { shiftKey: true }));
		editor.pointerUp(at(editor, 100, 3, { shiftKey: true }));
		const [arrow] = editor.shapes();
		expect(arrow).toMatchObject({ type: 'arrow', x: 0, y: 0 });
		expect(arrow!.type === 'arrow' && arrow!.points[3]).toBe(0);
		expect(editor.toolState).toBe('select.idle');
		expect(editor.selection).toEqual([arrow!.id]);
	});

	it('erases what the sweep crosses in one undo step', () => {
		const { editor, commands } = testEditor();
		createShape(editor.board, 'line', { x: 0, y: 50, points: [0, 0, 100, 0] });
		createShape(editor.board, 'line', { x: 0, y: 80, points: [0, 0, 100, 0] });
		editor.setTool('eraser');
		drag(editor, [50, 0], [50, 100]);
		expect(editor.shapes()).toHaveLength(0);
		runCommand(commands, 'undo');
		expect(editor.shapes()).toHaveLength(2);
	});

	it('types new text in place and drops it when left empty', () => {
		const { editor } = testEditor();
		editor.setTool('text');
		drag(editor, [100, 100]);
		expect(editor.toolState).toBe('text.editing');
		editor.text.input('Hello');
		editor.text.commit();
		const [text] = editor.shapes();
		expect(text).toMatchObject({ type: 'text', text: 'Hello' });
		expect(editor.toolState).toBe('select.idle');

		editor.setTool('text');
		drag(editor, [300, 300]);
		editor.text.commit();
		expect(editor.shapes()).toHaveLength(1);
	});

	it('places a sticky note and types into it as one undo step', () => {
		const { editor, commands } = testEditor();
		editor.setTool('sticky');
		drag(editor, [200, 200]);
		expect(editor.toolState).toBe('sticky.editing');
		editor.text.input('Idea');
		editor.text.commit();
		expect(editor.shapes()[0]).toMatchObject({ type: 'sticky', text: 'Idea', x: 100, y: 100 });
		runCommand(commands, 'undo');
		expect(editor.shapes()).toHaveLength(0);
	});
});

describe('history', () => {
	it("undoes only this user's changes, never a peer's", () => {
		const { editor, doc, commands } = testEditor();
		const peerDoc = new Y.Doc();
		doc.on('update', (u: Uint8Array) => Y.applyUpdate(peerDoc, u, 'remote'));
		peerDoc.on('update', (u: Uint8Array, origin: unknown) => {
			if (origin !== 'remote') Y.applyUpdate(doc, u, 'remote');
		});
		const peer = createBoard(peerDoc);
		editor.setTool('rect');
		drag(editor, [0, 0], [50, 50]);
		createShape(peer, 'ellipse', { x: 300, y: 300 });
		expect(editor.shapes()).toHaveLength(2);
		runCommand(commands, 'undo');
		expect(listShapes(editor.board).map((s) => s.type)).toEqual(['ellipse']);
	});
});

describe('camera actions', () => {
	it('zooms in around the viewport centre and fits content', () => {
		const { editor, commands } = testEditor();
		runCommand(commands, 'zoomIn');
		expect(editor.camera.zoom).toBeCloseTo(1.25);
		const centre = editor.toBoard({ x: 500, y: 400 });
		expect(centre.x).toBeCloseTo(500);
		createShape(editor.board, 'rect', { x: 2000, y: 2000, w: 100, h: 100 });
		runCommand(commands, 'zoomFit');
		const fitted = editor.toBoard({ x: 500, y: 400 });
		expect(fitted.x).toBeCloseTo(2050);
		expect(fitted.y).toBeCloseTo(2050);
	});
});

describe('line endpoints', () => {
	it('drags either end of the selected line; the other end stays put', () => {
		const { editor, commands } = testEditor();
		const id = createShape(editor.board, 'line', { x: 100, y: 100, points: [0, 0, 100, 0] });
		editor.select([id]);
		editor.pointerDown(at(editor, 200, 100));
		expect(editor.toolState).toBe('select.dragging_endpoint');
		editor.pointerMove(at(editor, 200, 150));
		editor.pointerUp(at(editor, 200, 150));
		expect(getShape(editor.board, id)).toMatchObject({ x: 100, y: 100, points: [0, 0, 100, 50] });

		drag(editor, [100, 100], [50, 100]);
		expect(getShape(editor.board, id)).toMatchObject({ x: 50, y: 100, points: [0, 0, 150, 50] });
		runCommand(commands, 'undo');
		expect(getShape(editor.board, id)).toMatchObject({ x: 100, y: 100, points: [0, 0, 100, 50] });
	});
});

describe('select tool: hover highlight', () => {
	it('names the shape under the mouse while idle, and nothing once the mouse leaves it or presses', () => {
		const { editor } = testEditor();
		const corner = editor.toBoard({ x: 100, y: 100 });
		const id = createShape(editor.board, 'rect', { ...corner, w: 50, h: 50, fill: '#ffec99' });
		editor.pointerMove(at(editor, 120, 120));
		expect(editor.hover).toBe(id);
		editor.pointerMove(at(editor, 400, 400));
		expect(editor.hover).toBeNull();
		editor.pointerMove(at(editor, 120, 120));
		editor.pointerDown(at(editor, 120, 120));
		expect(editor.hover).toBeNull();
		editor.pointerMove(at(editor, 140, 140)); // dragging: no hover
		expect(editor.hover).toBeNull();
	});

	it('never hovers for touch or pen', () => {
		const { editor } = testEditor();
		createShape(editor.board, 'rect', { ...editor.toBoard({ x: 100, y: 100 }), w: 50, h: 50, fill: '#ffec99' });
		editor.pointerMove(at(editor, 120, 120, { pointerType: 'touch' }));
		expect(editor.hover).toBeNull();
		editor.pointerMove(at(editor, 120, 120, { pointerType: 'pen' }));
		expect(editor.hover).toBeNull();
	});
});
