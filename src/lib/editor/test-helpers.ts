/** Test helpers: an editor on a fresh doc with a manual clock and its command context, and pointer input built from screen points. */
import * as Y from 'yjs';
import { Editor } from '$lib/editor/editor.svelte';
import type { CommandContext } from '$lib/editor/commands';
import { UiState } from '$lib/editor/ui-state.svelte';
import type { Clock } from '$lib/util/throttle';
import type { PointerInput } from '$lib/editor/tools/tool';

export class ManualClock implements Clock {
	time = 0;
	#timers = new Map<number, { at: number; fn: () => void }>();
	#next = 1;

	now(): number {
		return this.time;
	}

	setTimeout(fn: () => void, ms: number): unknown {
		const handle = this.#next++;
		this.#timers.set(handle, { at: this.time + ms, fn });
		return handle;
	}

	clearTimeout(handle: unknown): void {
		this.#timers.delete(handle as number);
	}

	advance(ms: number): void {
		this.time += ms;
		for (const [handle, timer] of [...this.#timers]) {
			if (timer.at > this.time) continue;
			this.#timers.delete(handle);
			timer.fn();
		}
	}
}

export function testEditor(doc = new Y.Doc()): { editor: Editor; clock: ManualClock; doc: Y.Doc; commands: CommandContext } {
	const clock = new ManualClock();
	const editor = new Editor(doc, { clock });
	editor.viewport = { width: 1000, height: 800 };
	// Pastes land at the board origin, as if the pointer were there.
	const commands: CommandContext = { editor, ui: new UiState(), pasteTarget: () => ({ x: 0, y: 0 }) };
	return { editor, clock, doc, commands };
}

export function at(editor: Editor, x: number, y: number, mods: Partial<PointerInput> = {}): PointerInput {
	const screen = { x, y };
	return {
		screen,
		board: editor.toBoard(screen),
		button: 0,
		shiftKey: false,
		altKey: false,
		modKey: false,
		pressure: 0.5,
		pointerType: 'mouse',
		...mods
	};
}

/** Press at `from`, move through `via`, release at the last point. */
export function drag(editor: Editor, from: [number, number], ...via: [number, number][]): void {
	editor.pointerDown(at(editor, ...from));
	for (const p of via) editor.pointerMove(at(editor, ...p));
	const end = via.at(-1) ?? from;
	editor.pointerUp(at(editor, ...end));
}
