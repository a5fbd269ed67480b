/** Window keyboard and clipboard events → commands; nothing fires while the user types in a field. */
import { on } from 'svelte/events';
import { isTypingTarget } from '$lib/editor/chords';
import { command, commandForKey, isAvailable, runCommand, type CommandContext } from '$lib/editor/commands';

export function bindKeyboard(ctx: CommandContext): () => void {
	const { editor, ui } = ctx;
	/**
	 * Set when Ctrl+C/X/V is pressed, cleared by the matching DOM event. If the browser fires
	 * no clipboard event (some embedded or headless setups), the command runs without one (the
	 * async Clipboard API, then the local copy) on the next tick.
	 */
	let awaiting: 'copy' | 'cut' | 'paste' | null = null;
	/**
	 * An arrow key is held: its auto-repeated nudges are one undo step, opened with the first press and
	 * closed when an arrow is released, another command runs or the window loses the keys.
	 */
	let nudgeBurst = false;
	const endNudgeBurst = () => {
		if (!nudgeBurst) return;
		nudgeBurst = false;
		editor.history.endGesture();
	};

	const keydown = (e: KeyboardEvent) => {
		if (isTypingTarget(e.target)) return;
		// A peer deleted the text being typed into: what is typed on is not shortcuts until the notice is dismissed.
		if (editor.text.holdsKey(e)) {
			e.preventDefault();
			return;
		}
		if (e.key === ' ' && !e.repeat) {
			editor.spaceHeld = true;
			e.preventDefault();
			return;
		}
		const match = commandForKey(e);
		if (!match) return;
		// The shortcut list is modal: only its own toggle and Escape reach the editor.
		if (ui.helpOpen && match.id !== 'help' && match.id !== 'cancel') return;
		// So is the export dialog: its own controls take the keys.
		if (ui.exportOpen && match.id !== 'cancel') return;
		if (command(match.id).boardKeysOnly && !keysOnBoard(e.target)) return;
		if (match.id !== 'nudge') endNudgeBurst();
		else if (!nudgeBurst && isAvailable(editor, 'nudge') && editor.selection.length > 0) {
			nudgeBurst = true;
			editor.history.beginGesture();
		}
		const kind = command(match.id).browserEvent;
		if (kind) {
			if (!isAvailable(editor, match.id)) return;
			awaiting = kind;
			setTimeout(() => {
				if (awaiting === kind) runCommand(ctx, kind);
				awaiting = null;
			}, 0);
			return;
		}
		if (runCommand(ctx, match.id, { chord: match.chord })) e.preventDefault();
	};

	/** The keyboard is on the board: on the canvas or a shape (KeyboardFocus), or on no control at all. */
	const keysOnBoard = (target: EventTarget | null) => {
		const tag = (target as { tagName?: unknown } | null)?.tagName;
		return editor.focus.onCanvas || target === null || tag === 'BODY' || tag === 'HTML';
	};

	const keyup = (e: KeyboardEvent) => {
		if (e.key === ' ') editor.spaceHeld = false;
		if (e.key.startsWith('Arrow')) endNudgeBurst();
	};

	const copyOrCut = (e: ClipboardEvent, kind: 'copy' | 'cut') => {
		// With nothing of ours selected, the browser copies the page's text selection as usual.
		if (isTypingTarget(e.target) || editor.selection.length === 0) return;
		awaiting = null;
		if (runCommand(ctx, kind, { clipboardData: e.clipboardData })) e.preventDefault();
	};

	const paste = (e: ClipboardEvent) => {
		if (isTypingTarget(e.target)) return;
		awaiting = null;
		if (runCommand(ctx, 'paste', { clipboardData: e.clipboardData })) e.preventDefault();
	};

	const blur = () => {
		// A key released while the window had no focus never reaches us.
		editor.spaceHeld = false;
		endNudgeBurst();
	};

	const offs = [
		on(window, 'keydown', keydown),
		on(window, 'keyup', keyup),
		on(window, 'blur', blur),
		on(document, 'copy', (e) => copyOrCut(e, 'copy')),
		on(document, 'cut', (e) => copyOrCut(e, 'cut')),
		on(document, 'paste', paste)
	];
	return () => {
		endNudgeBurst();
		for (const off of offs) off();
	};
}
