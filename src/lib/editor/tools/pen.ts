/** Pen tool: freehand strokes, pressure from pens, simulated from speed otherwise. States: idle → drawing → idle. */
import { MAX_POINTS, createShape, updateShape, type PenShape } from '$lib/board';
import { GrowingStrokeSimplifier, measuredPressures, strokeWriteIntervalMs } from '$lib/board/stroke';
import type { Editor } from '$lib/editor/editor.svelte';
import { newShapeStyle } from '$lib/editor/style';
import type { PointerInput, Tool } from '$lib/editor/tools/tool';

/** Points closer than this (screen pixels) to the previous one add nothing but weight. */
export const MIN_POINT_DISTANCE_PX = 1;

type State =
	| { name: 'idle' }
	| {
			name: 'drawing';
			id: string;
			/** The stroke so far, with every pressure the pen reported (written only once they prove measured). */
			shape: PenShape;
			usePressure: boolean;
			simplifier: GrowingStrokeSimplifier;
			written: number;
	  };

export class PenTool implements Tool {
	readonly id = 'pen';
	readonly cursor = 'crosshair';
	#state: State = { name: 'idle' };

	constructor(private readonly editor: Editor) {}

	get state(): string {
		return this.#state.name;
	}

	pointerDown(input: PointerInput): void {
		const usePressure = input.pointerType === 'pen';
		const editor = this.editor;
		editor.history.beginGesture();
		const id = createShape(editor.board, 'pen', {
			...newShapeStyle('pen', editor.style),
			x: input.board.x,
			y: input.board.y,
			points: [0, 0],
			...(usePressure ? { pressures: measuredPressures([input.pressure]) } : {})
		});
		const stored = editor.shape(id);
		if (!stored || stored.type !== 'pen') return editor.history.endGesture();
		const shape: PenShape = usePressure ? { ...stored, pressures: [input.pressure] } : stored;
		// Half a screen pixel of error is invisible and saves most points.
		const simplifier = new GrowingStrokeSimplifier(0.5 / editor.camera.zoom);
		this.#state = { name: 'drawing', id, shape, usePressure, simplifier, written: 1 };
	}

	pointerMove(input: PointerInput): void {
		const s = this.#state;
		if (s.name !== 'drawing') return;
		const { shape } = s;
		const x = input.board.x - shape.x;
		const y = input.board.y - shape.y;
		const n = shape.points.length;
		// The model caps points per stroke; a stroke that long simply stops growing.
		if (n / 2 >= MAX_POINTS) return;
		const minDistance = MIN_POINT_DISTANCE_PX / this.editor.camera.zoom;
		if (Math.hypot(x - shape.points[n - 2]!, y - shape.points[n - 1]!) < minDistance) return;
		const next: PenShape = {
			...shape,
			points: [...shape.points, x, y],
			...(s.usePressure ? { pressures: [...(shape.pressures ?? []), input.pressure] } : {})
		};
		s.shape = next;
		this.editor.view?.draft({ ...next, pressures: measuredPressures(next.pressures) }, true);
		// Peers get the stroke so far, simplified, at most every strokeWriteIntervalMs of what was last written.
		this.editor.live.run(() => {
			const simplified = s.simplifier.update(this.#strokeFields(next));
			s.written = simplified.points.length / 2;
			updateShape(this.editor.board, s.id, simplified);
		}, strokeWriteIntervalMs(s.written));
	}

	pointerUp(): void {
		const s = this.#state;
		this.#state = { name: 'idle' };
		if (s.name !== 'drawing') return;
		this.editor.live.cancel();
		updateShape(this.editor.board, s.id, s.simplifier.update(this.#strokeFields(s.shape)));
		this.editor.view?.resetDraft(s.id);
		this.editor.history.endGesture();
	}

	cancel(): void {
		const s = this.#state;
		this.#state = { name: 'idle' };
		if (s.name !== 'drawing') return;
		this.editor.live.cancel();
		this.editor.history.cancelGesture();
		this.editor.view?.resetDraft(s.id);
	}

	#strokeFields(shape: PenShape): { points: number[]; pressures?: number[] } {
		const pressures = measuredPressures(shape.pressures);
		return pressures ? { points: shape.points, pressures } : { points: shape.points };
	}
}
