/** Line and arrow tools: drag from start to end (Shift snaps the angle to 15° steps). States: idle → pointing → dragging. */
import { createShape, updateShape } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';
import { newShapeStyle } from '$lib/editor/style';
import { movedBeyondThreshold, type PointerInput, type Tool } from '$lib/editor/tools/tool';

export const ANGLE_SNAP_DEG = 15;

type State =
	| { name: 'idle' }
	| { name: 'pointing'; origin: PointerInput }
	| { name: 'dragging'; origin: Point; id: string };

/** The end point relative to the start, snapped to multiples of ANGLE_SNAP_DEG when asked. */
export function lineEnd(origin: Point, current: Point, snap: boolean): Point {
	const dx = current.x - origin.x;
	const dy = current.y - origin.y;
	if (!snap) return { x: dx, y: dy };
	const step = (ANGLE_SNAP_DEG * Math.PI) / 180;
	const angle = Math.round(Math.atan2(dy, dx) / step) * step;
	const length = Math.hypot(dx, dy);
	// Round away float noise so a horizontal snap is exactly horizontal.
	const clean = (v: number) => Math.round(v * 1e6) / 1e6;
	return { x: clean(Math.cos(angle) * length), y: clean(Math.sin(angle) * length) };
}

export class LineShapeTool implements Tool {
	#state: State = { name: 'idle' };
	readonly cursor = 'crosshair';

	constructor(
		private readonly editor: Editor,
		readonly id: 'line' | 'arrow'
	) {}

	get state(): string {
		return this.#state.name;
	}

	pointerDown(input: PointerInput): void {
		this.#state = { name: 'pointing', origin: input };
	}

	pointerMove(input: PointerInput): void {
		const s = this.#state;
		if (s.name === 'pointing' && movedBeyondThreshold(s.origin.screen, input.screen)) {
			this.editor.history.beginGesture();
			const end = lineEnd(s.origin.board, input.board, input.shiftKey);
			const id = createShape(this.editor.board, this.id, {
				...newShapeStyle(this.id, this.editor.style),
				x: s.origin.board.x,
				y: s.origin.board.y,
				points: [0, 0, end.x, end.y]
			});
			this.editor.select([id]);
			this.#state = { name: 'dragging', origin: s.origin.board, id };
		} else if (s.name === 'dragging') {
			const end = lineEnd(s.origin, input.board, input.shiftKey);
			const points = [0, 0, end.x, end.y];
			const shape = this.editor.shape(s.id);
			if (shape && shape.type === this.id) this.editor.view?.draft({ ...shape, points });
			this.editor.live.run(() => updateShape(this.editor.board, s.id, { points }));
		}
	}

	pointerUp(input: PointerInput): void {
		const s = this.#state;
		this.#state = { name: 'idle' };
		if (s.name !== 'dragging') return;
		this.editor.live.cancel();
		const end = lineEnd(s.origin, input.board, input.shiftKey);
		updateShape(this.editor.board, s.id, { points: [0, 0, end.x, end.y] });
		this.editor.history.endGesture();
		this.editor.setTool('select');
		this.editor.select([s.id]);
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
}
