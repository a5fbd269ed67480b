/** Hand tool: drag to pan the camera. States: idle → panning → idle. */
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';
import type { PointerInput, Tool } from '$lib/editor/tools/tool';

type State = { name: 'idle' } | { name: 'panning'; last: Point };

export class HandTool implements Tool {
	readonly id = 'hand';
	#state: State = { name: 'idle' };

	constructor(private readonly editor: Editor) {}

	get state(): string {
		return this.#state.name;
	}

	get cursor(): string {
		return this.#state.name === 'panning' ? 'grabbing' : 'grab';
	}

	pointerDown(input: PointerInput): void {
		this.#state = { name: 'panning', last: input.screen };
	}

	pointerMove(input: PointerInput): void {
		if (this.#state.name !== 'panning') return;
		const { last } = this.#state;
		this.editor.panBy(input.screen.x - last.x, input.screen.y - last.y);
		this.#state = { name: 'panning', last: input.screen };
	}

	pointerUp(): void {
		this.#state = { name: 'idle' };
	}

	cancel(): void {
		this.#state = { name: 'idle' };
	}
}
