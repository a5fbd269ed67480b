/** Rectangle and ellipse tools: drag out a box (Shift: square, Alt: from the centre); a click drops a default-size one. States: idle → pointing → dragging. */
import { createShape, updateShape } from '$lib/board';
import { boxFromCorners } from '$lib/shared/model/geometry';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Box, Point } from '$lib/view/camera';
import { newShapeStyle } from '$lib/editor/style';
import { movedBeyondThreshold, type PointerInput, type Tool } from '$lib/editor/tools/tool';

/** Side of the shape a plain click creates, in board units. */
export const CLICK_SHAPE_SIZE = 100;

type State =
	| { name: 'idle' }
	| { name: 'pointing'; origin: PointerInput }
	| { name: 'dragging'; origin: Point; id: string };

/** The box spanned by a drag; Shift makes it square, Alt grows it from the press point in every direction. */
export function dragBox(origin: Point, current: Point, square: boolean, fromCentre: boolean): Box {
	let dx = current.x - origin.x;
	let dy = current.y - origin.y;
	if (square) {
		const side = Math.max(Math.abs(dx), Math.abs(dy));
		dx = Math.sign(dx || 1) * side;
		dy = Math.sign(dy || 1) * side;
	}
	if (fromCentre) return boxFromCorners({ x: origin.x - dx, y: origin.y - dy }, { x: origin.x + dx, y: origin.y + dy });
	return boxFromCorners(origin, { x: origin.x + dx, y: origin.y + dy });
}

export class BoxShapeTool implements Tool {
	#state: State = { name: 'idle' };

	constructor(
		private readonly editor: Editor,
		readonly id: 'rect' | 'ellipse'
	) {}

	get state(): string {
		return this.#state.name;
	}

	readonly cursor = 'crosshair';

	pointerDown(input: PointerInput): void {
		this.#state = { name: 'pointing', origin: input };
	}

	pointerMove(input: PointerInput): void {
		const s = this.#state;
		if (s.name === 'pointing' && movedBeyondThreshold(s.origin.screen, input.screen)) {
			this.editor.history.beginGesture();
			const id = createShape(this.editor.board, this.id, {
				...newShapeStyle(this.id, this.editor.style),
				...this.#boxProps(s.origin.board, input)
			});
			this.editor.select([id]);
			this.#state = { name: 'dragging', origin: s.origin.board, id };
		} else if (s.name === 'dragging') {
			const props = this.#boxProps(s.origin, input);
			const shape = this.editor.shape(s.id);
			if (shape) this.editor.view?.draft({ ...shape, ...props });
			this.editor.live.run(() => updateShape(this.editor.board, s.id, props));
		}
	}

	pointerUp(input: PointerInput): void {
		const s = this.#state;
		this.#state = { name: 'idle' };
		if (s.name === 'dragging') {
			this.editor.live.cancel();
			updateShape(this.editor.board, s.id, this.#boxProps(s.origin, input));
			this.editor.history.endGesture();
			this.#finish(s.id);
		} else if (s.name === 'pointing') {
			const half = CLICK_SHAPE_SIZE / 2;
			const id = createShape(this.editor.board, this.id, {
				...newShapeStyle(this.id, this.editor.style),
				x: input.board.x - half,
				y: input.board.y - half,
				w: CLICK_SHAPE_SIZE,
				h: CLICK_SHAPE_SIZE
			});
			this.#finish(id);
		}
	}

	cancel(): void {
		const s = this.#state;
		this.#state = { name: 'idle' };
		if (s.name !== 'dragging') return;
		this.editor.live.cancel();
		this.editor.history.cancelGesture();
		this.editor.view?.resetDraft(s.id);
		this.editor.select([]);
	}

	#boxProps(origin: Point, input: PointerInput) {
		const box = dragBox(origin, input.board, input.shiftKey, input.altKey);
		return { x: box.x, y: box.y, w: box.w, h: box.h };
	}

	/** Like Excalidraw and tldraw: after drawing, the new shape is selected with the select tool. */
	#finish(id: string): void {
		this.editor.setTool('select');
		this.editor.select([id]);
	}
}
