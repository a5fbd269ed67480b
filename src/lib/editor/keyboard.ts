/** Window keyboard and clipboard events → editor actions; nothing fires while the user types in a field. */
import { on } from 'svelte/events';
import type { Editor } from '$lib/editor/editor.svelte';
import { runAction } from '$lib/editor/actions';
import { copySelection, cutSelection, fallbackClipboard, pasteText } from '$lib/editor/clipboard';
import { isTypingTarget, matchShortcut } from '$lib/editor/shortcuts';

export interface KeyboardBindingOptions {
	/** Where a paste lands (board units): the pointer if it is over the canvas, else the view centre. */
	pasteTarget(): { x: number; y: number };
}

export function bindKeyboard(editor: Editor, options: KeyboardBindingOptions): () => void {
	/**
	 * Set when Ctrl+C/X/V is pressed, cleared by the matching DOM event. If the browser fires
	 * no clipboard event (some embedded or headless setups), the async Clipboard API and then
	 * the local copy take over on the next tick.
	 */
	let awaiting: 'copy' | 'cut' | 'paste' | null = null;

	const keydown = (e: KeyboardEvent) => {
		if (isTypingTarget(e.target)) return;
		if (e.key === ' ' && !e.repeat) {
			editor.spaceHeld = true;
			e.preventDefault();
			return;
		}
		const action = matchShortcut(e);
		if (!action) return;
		// The shortcut list is modal: only its own toggle and Escape reach the editor.
		if (editor.helpOpen && action.type !== 'help' && action.type !== 'cancel') return;
		if (action.type === 'copy' || action.type === 'cut' || action.type === 'paste') {
			awaiting = action.type;
			const kind = action.type;
			setTimeout(() => {
				if (awaiting === kind) void clipboardFallback(kind);
				awaiting = null;
			}, 0);
			return;
		}
		if (runAction(editor, action)) e.preventDefault();
	};

	const keyup = (e: KeyboardEvent) => {
		if (e.key === ' ') editor.spaceHeld = false;
	};

	async function clipboardFallback(kind: 'copy' | 'cut' | 'paste') {
		if (kind !== 'paste') {
			const text = kind === 'cut' ? cutSelection(editor) : copySelection(editor);
			if (text !== null) await navigator.clipboard?.writeText(text).catch(() => {});
			return;
		}
		let text = '';
		try {
			text = (await navigator.clipboard?.readText()) ?? '';
		} catch {
			// Permission denied or unsupported: the local copy is all we have.
		}
		pasteText(editor, text || fallbackClipboard(), options.pasteTarget());
	}

	const copyOrCut = (e: ClipboardEvent, kind: 'copy' | 'cut') => {
		if (isTypingTarget(e.target) || editor.selection.length === 0) return;
		awaiting = null;
		const text = kind === 'cut' ? cutSelection(editor) : copySelection(editor);
		if (text === null || !e.clipboardData) return;
		e.clipboardData.setData('text/plain', text);
		e.preventDefault();
	};

	const paste = (e: ClipboardEvent) => {
		if (isTypingTarget(e.target)) return;
		awaiting = null;
		const text = e.clipboardData?.getData('text/plain') ?? '';
		e.preventDefault();
		pasteText(editor, text || fallbackClipboard(), options.pasteTarget());
	};

	const blur = () => {
		// A key released while the window had no focus never reaches us.
		editor.spaceHeld = false;
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
		for (const off of offs) off();
	};
}

