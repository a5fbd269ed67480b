/** Eraser: press and sweep over shapes to delete them; one sweep is one undo step. States: idle → erasing. */
import { deleteShapes } from '$lib/board';
import { hitTest } from '$lib/shared/model/geometry';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';
import { type PointerInput, type Tool } from '$lib/editor/tools/tool';

/** Distance between hit-test samples along a fast sweep, in screen pixels. */
const SAMPLE_STEP_PX = 4;

type State = { name: 'idle' } | { name: 'erasing'; last: Point };

export class EraserTool implements Tool {
	readonly id = 'eraser';
	readonly cursor = 'cell';
	#state: State = { name: 'idle' };

	constructor(private readonly editor: Editor) {}

	get state(): string {
		return this.#state.name;
	}

	pointerDown(input: PointerInput): void {
		this.editor.history.beginGesture();
		this.#state = { name: 'erasing', last: input.board };
		this.#eraseAlong(input.board, input.board);
	}

	pointerMove(input: PointerInput): void {
		if (this.#state.name !== 'erasing') return;
		this.#eraseAlong(this.#state.last, input.board);
		this.#state = { name: 'erasing', last: input.board };
	}

	pointerUp(): void {
		if (this.#state.name === 'erasing') this.editor.history.endGesture();
		this.#state = { name: 'idle' };
	}

	cancel(): void {
		// Erasing cannot be half-undone visibly mid-sweep; keep what was erased, as one step.
		this.pointerUp();
	}

	/** The press was the start of a pinch or a long press: what it erased comes back. */
	discard(): void {
		if (this.#state.name === 'erasing') this.editor.history.cancelGesture();
		this.#state = { name: 'idle' };
	}

	/** Deletes every shape touched by the segment a→b, sampled every few screen pixels. */
	#eraseAlong(a: Point, b: Point): void {
		const zoom = this.editor.camera.zoom;
		const tolerance = this.editor.hitTolerancePx / zoom;
		const steps = Math.max(1, Math.ceil((Math.hypot(b.x - a.x, b.y - a.y) * zoom) / SAMPLE_STEP_PX));
		const hits = new Set<string>();
		const shapes = this.editor.shapes();
		for (let i = 0; i <= steps; i++) {
			const p = { x: a.x + ((b.x - a.x) * i) / steps, y: a.y + ((b.y - a.y) * i) / steps };
			for (const shape of shapes) if (!hits.has(shape.id) && hitTest(shape, p, tolerance)) hits.add(shape.id);
		}
		if (hits.size > 0) deleteShapes(this.editor.board, hits);
	}
}
