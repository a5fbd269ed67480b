/** The text length limit as the editor applies it: what is kept, and the words that say what was not. */
import { MAX_TEXT_LENGTH } from '$lib/board';

/** A new or auto-width text that a paste makes wider than this wraps at this width instead (board units). */
export const PASTE_WRAP_WIDTH = 600;

const count = (n: number) => n.toLocaleString('en-US');

/** The words shown when typing reached the limit. */
export const LIMIT_REACHED = `Text is limited to ${count(MAX_TEXT_LENGTH)} characters; nothing more can be added.`;

/** The words shown when a paste was cut: how many characters were left out. */
export function pasteCutMessage(dropped: number, max = MAX_TEXT_LENGTH): string {
	return `Pasted text was cut: ${count(dropped)} character${dropped === 1 ? '' : 's'} over the ${count(max)}-character limit ${dropped === 1 ? 'was' : 'were'} left out.`;
}

/** `value` kept to `max` characters (a surrogate pair is never split); `dropped` counts what was cut. */
export function clampText(value: string, max = MAX_TEXT_LENGTH): { text: string; dropped: number } {
	if (value.length <= max) return { text: value, dropped: 0 };
	let end = max;
	const last = value.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end -= 1;
	return { text: value.slice(0, end), dropped: value.length - end };
}

/**
 * How many characters of a paste of `pasted` characters do not fit: the textarea holds `current`
 * characters of which `selected` are replaced by the paste.
 */
export function pasteOverflow(current: number, selected: number, pasted: number, max = MAX_TEXT_LENGTH): number {
	return Math.max(0, current - selected + pasted - max);
}
