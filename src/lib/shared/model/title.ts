/** The board's title: `meta.title`, one line of at most 200 characters, shared by everyone on the board. */

import type * as Y from 'yjs';
import type { Board } from './board.ts';

export const TITLE_KEY = 'title';
/** Longest title, in UTF-16 code units (what `String.length` counts). */
export const MAX_TITLE_LENGTH = 200;
/** What a board without a title is called wherever a name is needed (the tab, the home page). */
export const UNTITLED = 'Untitled board';

/**
 * A title as it is stored: runs of whitespace (line breaks included) become one space, the ends are
 * trimmed, and it is cut to MAX_TITLE_LENGTH without splitting a character in two. '' means no title.
 */
export function normalizeTitle(title: string): string {
	let text = title.replace(/\s+/g, ' ').trim();
	if (text.length > MAX_TITLE_LENGTH) {
		let cut = '';
		for (const char of text) {
			if (cut.length + char.length > MAX_TITLE_LENGTH) break;
			cut += char;
		}
		text = cut.trimEnd();
	}
	return text;
}

/** Whether a stored value is a valid title: a string of one line, trimmed, within the limit. */
export function isValidTitle(value: unknown): value is string {
	return typeof value === 'string' && value.length <= MAX_TITLE_LENGTH && normalizeTitle(value) === value;
}

/** The board's title, or '' when it has none or the stored value is malformed (a malformed one is ignored, never shown). */
export function getTitle(board: Board): string {
	const value = board.meta.get(TITLE_KEY);
	return isValidTitle(value) ? value : '';
}

/** Calls `callback` after each transaction that changes the title (anyone's). Returns an unsubscribe function. */
export function observeTitle(board: Board, callback: () => void): () => void {
	const handler = (event: Y.YMapEvent<unknown>) => {
		if (event.keysChanged.has(TITLE_KEY)) callback();
	};
	board.meta.observe(handler);
	return () => board.meta.unobserve(handler);
}
