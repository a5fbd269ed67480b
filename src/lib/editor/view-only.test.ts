import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createShape, getShape, type Shape } from '$lib/board';
import { copySelection, pasteFromSystemClipboard } from '$lib/editor/clipboard-commands';
import type { Editor, EditorView } from '$lib/editor/editor.svelte';
import { at, drag, testEditor, type ManualClock } from '$lib/editor/test-helpers';
import { toolWrites, type ToolId } from '$lib/editor/tools/tool';

/** Records what the editor asks the canvas to draw, so a stopped gesture can be seen to show the stored shapes again. */
class FakeView implements EditorView {
	drafts: string[] = [];
	resets: string[] = [];
	draft(shape: Shape): void {
		this.drafts.push(shape.id);
	}
	resetDraft(id: string): void {
		this.resets.push(id);
	}
	measureText(text: string, width: number | null, fontSize: number) {
		return { width: width ?? text.length * fontSize * 0.5, height: fontSize * 1.25 };
	}
}

/**
 * A board with one shape of each kind a gesture could change, and a tally of the doc's updates from
 * `seal()` on: the proof that a viewer wrote nothing is an empty tally and the doc's exact old state.
 */
function board() {
	const t = testEditor();
	const view = new FakeView();
	t.editor.view = view;
	const { board } = t.editor;
	const ids = {
		rect: createShape(board, 'rect', { x: 0, y: 0, w: 100, h: 100 }),
		line: createShape(board, 'line', { x: 300, y: 0, points: [0, 0, 100, 0] }),
		sticky: createShape(board, 'sticky', { x: 0, y: 300, w: 200, h: 200, text: 'note' }),
		text: createShape(board, 'text', { x: 300, y: 300, w: 200, h: 30, text: 'hello' })
	};
	let updates = 0;
	t.doc.on('update', () => updates++);
	let sealed = Y.encodeStateAsUpdate(t.doc);
	return {
		...t,
		view,
		ids,
		/** From now on nothing may be written. */
		seal() {
			updates = 0;
			sealed = Y.encodeStateAsUpdate(t.doc);
		},
		expectNothingWritten() {
			expect(updates, 'doc updates').toBe(0);
			expect(Y.encodeStateAsUpdate(t.doc)).toEqual(sealed);
		}
	};
}

/** As `board()`, already read-only. */
function viewer() {
	const b = board();
	b.editor.canWrite = false;
	b.seal();
	return b;
}

const WRITING_TOOLS = (['pen', 'rect', 'ellipse', 'line', 'arrow', 'text', 'sticky', 'eraser'] as const satisfies ToolId[]);

/** Every way a pointer can use the active tool: a click, a drag, a double-click, over shapes and empty canvas. */
function everyGesture(editor: Editor, clock: ManualClock): void {
	for (const [x, y] of [
		[0, 50],
		[100, 400],
		[400, 315],
		[700, 700]
	] as const) {
		drag(editor, [x, y]);
		drag(editor, [x, y], [x + 20, y + 10], [x + 60, y + 40]);
		clock.advance(100);
		editor.doubleClick(at(editor, x, y));
		editor.text.input('typed');
		clock.advance(100);
		editor.cancel();
	}
}

describe('view-only: nothing the pointer does writes', () => {
	it('keeps writing tools out of reach: switching to one leaves the select tool', () => {
		const { editor, expectNothingWritten } = viewer();
		expect(WRITING_TOOLS.every(toolWrites)).toBe(true);
		for (const id of WRITING_TOOLS) {
			editor.setTool(id);
			expect(editor.tool, id).toBe('select');
		}
		editor.setTool('hand');
		expect(editor.tool).toBe('hand');
		expectNothingWritten();
	});

	it('takes away the drawing tool that was active when the right went, so no click or drag of it writes', () => {
		for (const id of WRITING_TOOLS) {
			const { editor, clock, seal, expectNothingWritten } = board();
			editor.setTool(id);
			editor.canWrite = false;
			seal();
			expect(editor.tool, id).toBe('select');
			everyGesture(editor, clock);
			expectNothingWritten();
		}
	});

	it('selects by clicking and by marquee, but a drag from a shape or the selection moves nothing', () => {
		const { editor, clock, ids, expectNothingWritten } = viewer();
		drag(editor, [0, 50]);
		expect(editor.selection).toEqual([ids.rect]);
		// From the shape's edge, then from inside the selected shape's box: a marquee both times, and the second takes in all but the line above it.
		drag(editor, [0, 50], [50, 60], [150, 150]);
		expect(editor.toolState).toBe('select.idle');
		expect(editor.marquee).toBeNull();
		expect(editor.selection).toEqual([ids.rect]);
		drag(editor, [0, 50]);
		drag(editor, [50, 50], [80, 80], [450, 450]);
		clock.advance(100);
		expect([...editor.selection].sort()).toEqual([ids.rect, ids.sticky, ids.text].sort());
		expect(getShape(editor.board, ids.rect)).toMatchObject({ x: 0, y: 0 });
		expectNothingWritten();
	});

	it('grabs no endpoint of a selected line', () => {
		const { editor, clock, ids, view, expectNothingWritten } = viewer();
		editor.select([ids.line]);
		editor.pointerDown(at(editor, 400, 0));
		expect(editor.toolState).not.toBe('select.dragging_endpoint');
		editor.pointerMove(at(editor, 400, 80));
		clock.advance(100);
		editor.pointerUp(at(editor, 400, 80));
		expect(view.drafts).toEqual([]);
		expectNothingWritten();
	});

	it('opens no text editor on a double-click (text, note or empty canvas), so nothing typed lands', () => {
		const { editor, clock, expectNothingWritten } = viewer();
		for (const [x, y] of [
			[400, 315],
			[100, 400],
			[700, 700]
		] as const) {
			editor.doubleClick(at(editor, x, y));
			expect(editor.text.active).toBe(false);
			editor.text.input('typed');
			clock.advance(100);
			editor.text.commit();
		}
		expectNothingWritten();
	});

	it('ignores the resize/rotate Transformer and draws the shapes as stored', () => {
		const { editor, clock, ids, view, expectNothingWritten } = viewer();
		editor.select([ids.rect]);
		editor.beginTransform();
		editor.transform([{ id: ids.rect, patch: { w: 300, rotation: 45 } }], false);
		clock.advance(100);
		editor.transform([{ id: ids.rect, patch: { w: 400 } }], true);
		expect(view.drafts).toEqual([]);
		expect(view.resets).toEqual([ids.rect, ids.rect]);
		expect(editor.history.inGesture).toBe(false);
		expectNothingWritten();
	});

	it('changes no style, live or final', () => {
		const { editor, clock, ids, expectNothingWritten } = viewer();
		editor.select([ids.rect, ids.text]);
		editor.applyStyle({ opacity: 0.5 }, 'live');
		clock.advance(100);
		editor.applyStyle({ stroke: '#e03131', fontLevel: 3 });
		expectNothingWritten();
	});

	it('still pans with the hand, with space held and with the middle button', () => {
		const { editor, expectNothingWritten } = viewer();
		editor.setTool('hand');
		drag(editor, [100, 100], [150, 120]);
		expect(editor.camera).toMatchObject({ x: 50, y: 20 });
		editor.setTool('select');
		editor.spaceHeld = true;
		drag(editor, [100, 100], [110, 100]);
		editor.spaceHeld = false;
		editor.pointerDown(at(editor, 100, 100, { button: 1 }));
		editor.pointerMove(at(editor, 100, 130, { button: 1 }));
		editor.pointerUp(at(editor, 100, 130, { button: 1 }));
		expect(editor.camera).toMatchObject({ x: 60, y: 50 });
		expectNothingWritten();
	});

	it('works again as before once the right is back', () => {
		const { editor } = viewer();
		editor.canWrite = true;
		editor.setTool('rect');
		drag(editor, [600, 600], [700, 700]);
		expect(editor.shapes()).toHaveLength(5);
	});
});

describe('view-only: losing the right mid-gesture stops the gesture without writing', () => {
	/**
	 * Runs `start` with the right to write (leaving a live write pending where the gesture has one),
	 * takes the right away, then lets time pass and runs `finish`: nothing may be written from the
	 * moment the right went, not even a revert of what the gesture wrote before.
	 */
	function midGesture(start: (b: ReturnType<typeof board>) => void, finish: (b: ReturnType<typeof board>) => void) {
		const b = board();
		start(b);
		b.clock.advance(10);
		b.seal();
		b.editor.canWrite = false;
		b.clock.advance(100);
		finish(b);
		b.clock.advance(100);
		b.expectNothingWritten();
		expect(b.editor.history.inGesture).toBe(false);
		expect(b.editor.text.active).toBe(false);
		return b;
	}

	const DRAG: [number, number][] = [[600, 600], [650, 640], [700, 700], [720, 720]];
	const STROKE: [number, number][] = [[600, 600], [610, 605], [620, 612], [640, 630]];
	for (const [tool, path] of [
		['rect', DRAG],
		['ellipse', DRAG],
		['line', DRAG],
		['arrow', DRAG],
		['pen', STROKE]
	] as [ToolId, [number, number][]][]) {
		it(`${tool}: keeps the shape as last written and drops the rest of the drag`, () => {
			const { editor, view } = midGesture(
				({ editor }) => {
					editor.setTool(tool);
					editor.pointerDown(at(editor, ...path[0]!));
					editor.pointerMove(at(editor, ...path[1]!));
					editor.pointerMove(at(editor, ...path[2]!));
				},
				({ editor }) => {
					editor.pointerMove(at(editor, ...path[3]!));
					editor.pointerUp(at(editor, ...path[3]!));
				}
			);
			expect(editor.toolState).toBe('select.idle');
			expect(editor.shapes()).toHaveLength(5);
			const drawn = editor.shapes().at(-1)!;
			expect(view.resets).toContain(drawn.id);
		});
	}

	it('eraser: erases nothing more of the sweep', () => {
		const { editor, ids } = midGesture(
			({ editor }) => {
				editor.setTool('eraser');
				editor.pointerDown(at(editor, 0, 50));
			},
			({ editor }) => {
				editor.pointerMove(at(editor, 100, 400));
				editor.pointerUp(at(editor, 100, 400));
			}
		);
		expect(editor.shape(ids.rect)).toBeNull();
		expect(editor.shape(ids.sticky)).not.toBeNull();
	});

	it('select: a move in progress stays where it was last written', () => {
		const { editor, ids, view } = midGesture(
			({ editor }) => {
				editor.pointerDown(at(editor, 0, 50));
				editor.pointerMove(at(editor, 20, 50));
				editor.pointerMove(at(editor, 30, 50));
			},
			({ editor }) => {
				editor.pointerMove(at(editor, 200, 200));
				editor.pointerUp(at(editor, 200, 200));
			}
		);
		expect(editor.shape(ids.rect)).toMatchObject({ x: 20, y: 0 });
		expect(view.resets).toContain(ids.rect);
	});

	it('select: an endpoint drag in progress stops', () => {
		const { editor, ids, view } = midGesture(
			({ editor, ids }) => {
				editor.select([ids.line]);
				editor.pointerDown(at(editor, 400, 0));
				editor.pointerMove(at(editor, 400, 30));
				editor.pointerMove(at(editor, 400, 40));
			},
			({ editor }) => {
				editor.pointerMove(at(editor, 400, 90));
				editor.pointerUp(at(editor, 400, 90));
			}
		);
		expect(editor.shape(ids.line)).toMatchObject({ points: [0, 0, 100, 30] });
		expect(view.resets).toContain(ids.line);
	});

	it('Transformer: a resize in progress stops, and its end writes nothing', () => {
		const { editor, ids, view } = midGesture(
			({ editor, ids }) => {
				editor.select([ids.rect]);
				editor.beginTransform();
				editor.transform([{ id: ids.rect, patch: { w: 200 } }], false);
				editor.transform([{ id: ids.rect, patch: { w: 250 } }], false);
			},
			({ editor, ids }) => {
				editor.transform([{ id: ids.rect, patch: { w: 300 } }], false);
				editor.transform([{ id: ids.rect, patch: { w: 320 } }], true);
			}
		);
		expect(editor.shape(ids.rect)).toMatchObject({ w: 200 });
		expect(view.resets).toEqual([ids.rect, ids.rect]);
	});

	it('style: a slider being dragged stops', () => {
		const { editor, ids } = midGesture(
			({ editor, ids }) => {
				editor.select([ids.rect]);
				editor.applyStyle({ opacity: 0.8 }, 'live');
				editor.applyStyle({ opacity: 0.6 }, 'live');
			},
			({ editor }) => {
				editor.applyStyle({ opacity: 0.4 }, 'live');
				editor.applyStyle({ opacity: 0.2 });
			}
		);
		expect(editor.shape(ids.rect)).toMatchObject({ opacity: 0.8 });
	});

	it('typing into a note: the editor closes; what was typed before stays (each keystroke is written at once), nothing after', () => {
		const { editor, ids } = midGesture(
			({ editor, ids }) => {
				editor.doubleClick(at(editor, 100, 400));
				expect(editor.text.session?.id).toBe(ids.sticky);
				editor.text.input('note 1');
				editor.text.input('note 12');
			},
			({ editor }) => {
				editor.text.input('note 123');
				editor.text.commit();
				editor.cancel();
			}
		);
		expect(editor.shape(ids.sticky)).toMatchObject({ text: 'note 12' });
	});

	it('typing new text: the editor closes and the text stays as typed until then', () => {
		const { editor } = midGesture(
			({ editor }) => {
				editor.setTool('text');
				drag(editor, [700, 100]);
				editor.text.input('a');
				editor.text.input('ab');
				editor.text.input('abc');
			},
			({ editor }) => {
				editor.text.input('abcd');
				editor.text.commit();
			}
		);
		expect(editor.tool).toBe('select');
		expect(editor.shapes().at(-1)).toMatchObject({ type: 'text', text: 'abc' });
	});

	it('placing a sticky note: the new note keeps no editor open', () => {
		const { editor } = midGesture(
			({ editor }) => {
				editor.setTool('sticky');
				drag(editor, [700, 700]);
				expect(editor.text.active).toBe(true);
				editor.text.input('x');
			},
			({ editor }) => {
				editor.text.input('xy');
				editor.text.commit();
			}
		);
		expect(editor.shapes().at(-1)).toMatchObject({ type: 'sticky', text: 'x' });
	});
});

describe('view-only: a paste waiting for the system clipboard', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	/** Copies the rectangle, then starts a paste that waits until `give` hands the clipboard's text over. */
	function pasting() {
		const b = board();
		let give: () => void = () => {};
		let copied = '';
		vi.stubGlobal('navigator', { clipboard: { readText: () => new Promise<string>((resolve) => (give = () => resolve(copied))) } });
		b.editor.select([b.ids.rect]);
		copied = copySelection(b.editor)!;
		const done = pasteFromSystemClipboard(b.editor, () => ({ x: 600, y: 600 }));
		b.seal();
		return { ...b, done, give: () => give() };
	}

	it('lands when the right stays', async () => {
		const { editor, done, give } = pasting();
		give();
		await done;
		expect(editor.shapes()).toHaveLength(5);
	});

	it('lands nothing when the right goes while the clipboard is read', async () => {
		const { editor, done, give, expectNothingWritten } = pasting();
		editor.canWrite = false;
		give();
		await done;
		expectNothingWritten();
	});
});
