/** Sticky note tool: click to place a note centred on the pointer and start typing on it. States: idle → pointing → editing. */
import { createShape } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import { newShapeStyle } from '$lib/editor/style';
import type { PointerInput, Tool } from '$lib/editor/tools/tool';

export const STICKY_SIZE = 200;

type State = { name: 'idle' } | { name: 'pointing' };

export class StickyTool implements Tool {
	readonly id = 'sticky';
	readonly cursor = 'crosshair';
	#state: State = { name: 'idle' };

	constructor(private readonly editor: Editor) {}

	get state(): string {
		return this.editor.text.active ? 'editing' : this.#state.name;
	}

	pointerDown(): void {
		this.#state = { name: 'pointing' };
	}

	pointerMove(): void {}

	pointerUp(input: PointerInput): void {
		if (this.#state.name !== 'pointing') return;
		this.#state = { name: 'idle' };
		const editor = this.editor;
		// Creating the note and typing its text are one undo step.
		editor.history.beginGesture();
		const id = createShape(editor.board, 'sticky', {
			...newShapeStyle('sticky', editor.style),
			x: input.board.x - STICKY_SIZE / 2,
			y: input.board.y - STICKY_SIZE / 2,
			w: STICKY_SIZE,
			h: STICKY_SIZE
		});
		editor.text.edit(id, true);
		editor.history.endGesture();
	}

	cancel(): void {
		this.#state = { name: 'idle' };
	}
}
