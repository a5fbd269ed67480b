/** Text tool: click to type new text in place, or click existing text to edit it. States: idle → pointing → editing. */
import type { Editor } from '$lib/editor/editor.svelte';
import { movedBeyondThreshold, type PointerInput, type Tool } from '$lib/editor/tools/tool';

type State = { name: 'idle' } | { name: 'pointing'; origin: PointerInput };

export class TextTool implements Tool {
	readonly id = 'text';
	readonly cursor = 'text';
	#state: State = { name: 'idle' };

	constructor(private readonly editor: Editor) {}

	get state(): string {
		return this.editor.text.active ? 'editing' : this.#state.name;
	}

	pointerDown(input: PointerInput): void {
		this.#state = { name: 'pointing', origin: input };
	}

	pointerMove(input: PointerInput): void {
		// A drag is not a click: forget it rather than drop text somewhere unexpected.
		if (this.#state.name === 'pointing' && movedBeyondThreshold(this.#state.origin.screen, input.screen)) {
			this.#state = { name: 'idle' };
		}
	}

	pointerUp(input: PointerInput): void {
		if (this.#state.name !== 'pointing') return;
		this.#state = { name: 'idle' };
		const hit = this.editor.shapeAt(input.board);
		if (hit && (hit.type === 'text' || hit.type === 'sticky')) this.editor.text.edit(hit.id);
		else this.editor.text.startNew(input.board);
	}

	cancel(): void {
		this.#state = { name: 'idle' };
	}
}
