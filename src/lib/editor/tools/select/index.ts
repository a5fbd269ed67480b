/**
 * Select tool. States: idle → pointing_shape | pointing_selection | pointing_canvas;
 * pointing_* → translating (drag a shape or the selection) or brushing (marquee on empty canvas);
 * idle → dragging_endpoint (an end of the one selected line or arrow).
 * Resize/rotate handles belong to the canvas's Transformer and never reach this tool.
 * Without the right to write it selects to look: no endpoint drags, and a drag from a shape or the
 * selection draws a marquee instead of moving anything.
 */
import { boundsOfShapes, boxContainsPoint, boxFromCorners, shapesInBox } from '$lib/shared/model/geometry';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';
import { movedBeyondThreshold, type PointerInput, type Tool } from '$lib/editor/tools/tool';
import { beginTranslation, cancelTranslation, endTranslation, updateTranslation, type Translation } from '$lib/editor/tools/select/translate';
import { endpointAt, updateEndpoint, type EndpointDrag } from '$lib/editor/tools/select/endpoint';

type State =
	| { name: 'idle'; hover: 'none' | 'shape' | 'endpoint' }
	| { name: 'pointing_shape'; origin: PointerInput; id: string; wasSelected: boolean }
	| { name: 'pointing_selection'; origin: PointerInput }
	| { name: 'pointing_canvas'; origin: PointerInput }
	| { name: 'translating'; translation: Translation }
	| { name: 'dragging_endpoint'; drag: EndpointDrag }
	| { name: 'brushing'; origin: Point; initial: string[] };

export class SelectTool implements Tool {
	readonly id = 'select';
	#state: State = { name: 'idle', hover: 'none' };
	/** The selection when the current press began. */
	#selectionBefore: readonly string[] = [];

	constructor(private readonly editor: Editor) {}

	get state(): string {
		return this.#state.name;
	}

	get cursor(): string {
		const s = this.#state;
		if (!this.editor.canWrite) return 'default';
		if (s.name === 'dragging_endpoint' || (s.name === 'idle' && s.hover === 'endpoint')) return 'crosshair';
		return s.name === 'translating' || (s.name === 'idle' && s.hover === 'shape') ? 'move' : 'default';
	}

	pointerDown(input: PointerInput): void {
		const editor = this.editor;
		this.#selectionBefore = editor.selection;
		this.#setHover(null);
		const endpoint = editor.canWrite ? endpointAt(editor, input.board) : null;
		if (endpoint) {
			editor.history.beginGesture();
			this.#state = { name: 'dragging_endpoint', drag: endpoint };
			return;
		}
		const hit = editor.shapeAt(input.board);
		if (hit) {
			const wasSelected = editor.selection.includes(hit.id);
			if (input.shiftKey && !wasSelected) editor.select([...editor.selection, hit.id]);
			else if (!wasSelected) editor.select([hit.id]);
			this.#state = { name: 'pointing_shape', origin: input, id: hit.id, wasSelected };
			return;
		}
		const bounds = boundsOfShapes(editor.selectedShapes());
		if (bounds && !input.shiftKey && boxContainsPoint(bounds, input.board)) {
			this.#state = { name: 'pointing_selection', origin: input };
			return;
		}
		if (!input.shiftKey) editor.select([]);
		this.#state = { name: 'pointing_canvas', origin: input };
	}

	pointerMove(input: PointerInput): void {
		const s = this.#state;
		const editor = this.editor;
		switch (s.name) {
			case 'idle': {
				// Hover feedback only for mice: touch and pens have no hover worth the hit-test.
				if (input.pointerType !== 'mouse') return this.#setHover(null);
				const shape = editor.shapeAt(input.board);
				this.#state = { name: 'idle', hover: endpointAt(editor, input.board) ? 'endpoint' : shape ? 'shape' : 'none' };
				this.#setHover(shape?.id ?? null);
				return;
			}
			case 'pointing_shape':
			case 'pointing_selection':
				if (movedBeyondThreshold(s.origin.screen, input.screen)) {
					if (!editor.canWrite) {
						this.#state = { name: 'brushing', origin: s.origin.board, initial: editor.selection };
						this.#brush(input);
						return;
					}
					const translation = beginTranslation(editor, s.origin.board);
					this.#state = { name: 'translating', translation };
					updateTranslation(editor, translation, input.board, input.shiftKey);
				}
				return;
			case 'pointing_canvas':
				if (movedBeyondThreshold(s.origin.screen, input.screen)) {
					this.#state = { name: 'brushing', origin: s.origin.board, initial: editor.selection };
					this.#brush(input);
				}
				return;
			case 'translating':
				updateTranslation(editor, s.translation, input.board, input.shiftKey);
				return;
			case 'dragging_endpoint':
				updateEndpoint(editor, s.drag, input.board, false);
				return;
			case 'brushing':
				this.#brush(input);
				return;
		}
	}

	pointerUp(input: PointerInput): void {
		const s = this.#state;
		const editor = this.editor;
		this.#state = { name: 'idle', hover: 'none' };
		switch (s.name) {
			case 'pointing_shape':
				// A click (no drag) on an already-selected shape: shift removes it, a plain click selects only it.
				if (s.wasSelected && input.shiftKey) editor.select(editor.selection.filter((id) => id !== s.id));
				else if (s.wasSelected) editor.select([s.id]);
				return;
			case 'pointing_selection':
				editor.select([]);
				return;
			case 'translating':
				endTranslation(editor, s.translation, input.board, input.shiftKey);
				return;
			case 'dragging_endpoint':
				updateEndpoint(editor, s.drag, input.board, true);
				editor.history.endGesture();
				return;
			case 'brushing':
				editor.marquee = null;
				return;
		}
	}

	doubleClick(input: PointerInput): void {
		const hit = this.editor.shapeAt(input.board);
		if (hit && (hit.type === 'text' || hit.type === 'sticky')) this.editor.text.edit(hit.id);
		else if (!hit) this.editor.text.startNew(input.board);
	}

	cancel(): void {
		const s = this.#state;
		this.#state = { name: 'idle', hover: 'none' };
		this.#setHover(null);
		if (s.name === 'translating') cancelTranslation(this.editor, s.translation);
		if (s.name === 'dragging_endpoint') {
			this.editor.live.cancel();
			this.editor.history.cancelGesture();
			this.editor.view?.resetDraft(s.drag.original.id);
		}
		if (s.name === 'brushing') {
			this.editor.marquee = null;
			this.editor.select(s.initial);
		}
	}

	/** A press taken over by a pinch or a long press: also the selection is as before it. */
	discard(): void {
		const busy = this.#state.name !== 'idle';
		this.cancel();
		if (busy) this.editor.select(this.#selectionBefore);
	}

	/** The hover highlight: shown only while idle, so a press, a drag or leaving the tool takes it away. */
	#setHover(id: string | null): void {
		if (this.editor.hover !== id) this.editor.hover = id;
	}

	#brush(input: PointerInput): void {
		const s = this.#state;
		if (s.name !== 'brushing') return;
		const box = boxFromCorners(s.origin, input.board);
		this.editor.marquee = box;
		const inside = shapesInBox(this.editor.shapes(), box, 'intersect').map((shape) => shape.id);
		this.editor.select(input.shiftKey ? [...s.initial, ...inside] : inside);
	}
}
