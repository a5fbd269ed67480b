/** The board's title as reactive state: read from the doc (anyone's rename shows at once), renamed through ops. */
import { createSubscriber } from 'svelte/reactivity';
import { getTitle, observeTitle, setTitle } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';

export class BoardTitle {
	readonly #editor: Editor;
	readonly #subscribe: () => void;

	constructor(editor: Editor) {
		this.#editor = editor;
		this.#subscribe = createSubscriber((update) => observeTitle(editor.board, update));
	}

	/** The title, '' when the board has none. */
	get value(): string {
		this.#subscribe();
		return getTitle(this.#editor.board);
	}

	/** Renames the board for everyone; refused (false) without the right to write. */
	rename(title: string): boolean {
		if (!this.#editor.canWrite) return false;
		return setTitle(this.#editor.board, title);
	}
}
