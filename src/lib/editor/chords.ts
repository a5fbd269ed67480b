/** Key chords ("Mod+Shift+Z"): how a command's keys are written, matched against key presses and shown to people. */

/**
 * Modifiers first, in this order, then one key: a character (letters in capitals) or a
 * KeyboardEvent.key name such as `Delete` or `ArrowLeft`. `Mod` is Ctrl, or Cmd on macOS.
 */
export type Chord = string;

/** The parts of a KeyboardEvent a chord looks at, so tests can pass plain objects. */
export interface KeyPress {
	key: string;
	code: string;
	ctrlKey: boolean;
	metaKey: boolean;
	shiftKey: boolean;
	altKey: boolean;
}

interface ParsedChord {
	mod: boolean;
	shift: boolean;
	key: string;
}

const CHORD = /^(Mod\+)?(Shift\+)?(.|[A-Z][A-Za-z0-9]+)$/;
const LETTER = /^[A-Z]$/;
const DIGIT = /^[0-9]$/;

export function parseChord(chord: Chord): ParsedChord {
	const m = CHORD.exec(chord);
	if (!m || /^[a-z]$/.test(m[3]!)) throw new Error(`not a key chord: "${chord}"`);
	return { mod: m[1] !== undefined, shift: m[2] !== undefined, key: m[3]! };
}

function keyMatches(chord: ParsedChord, press: KeyPress): boolean {
	if (LETTER.test(chord.key)) return press.key.toLowerCase() === chord.key.toLowerCase();
	// Shift+1 types "!" on most layouts and something else on others: the physical key decides.
	if (chord.shift && DIGIT.test(chord.key)) return press.code === `Digit${chord.key}`;
	return press.key === chord.key;
}

/** The chord names exactly the modifiers held (Ctrl and Cmd both count as Mod). */
export function matchesExactly(chord: Chord, press: KeyPress): boolean {
	const c = parseChord(chord);
	if (press.altKey || c.mod !== (press.ctrlKey || press.metaKey) || c.shift !== press.shiftKey) return false;
	return keyMatches(c, press);
}

/**
 * Symbols and named keys without Mod also match with Shift held: typing `?`, `+` or `_`
 * needs Shift on some layouts and not on others. Letters and Mod chords never do, so that
 * Shift+R or Ctrl+Shift+= stay free (the latter is the browser's zoom).
 */
export function matchesIgnoringShift(chord: Chord, press: KeyPress): boolean {
	const c = parseChord(chord);
	if (c.mod || c.shift || LETTER.test(c.key) || DIGIT.test(c.key)) return false;
	if (press.altKey || press.ctrlKey || press.metaKey) return false;
	return press.key === c.key;
}

/** "Ctrl+Shift+Z": the chord as the toolbar, the dialog and the README write it. */
export function showChord(chord: Chord): string {
	return chord.replace(/^Mod\+/, 'Ctrl+');
}

/** True when keys should go to a text field, not to the editor. */
export function isTypingTarget(target: EventTarget | null): boolean {
	if (!target || typeof (target as Element).tagName !== 'string') return false;
	const el = target as HTMLElement;
	const tag = el.tagName;
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
	if (tag === 'INPUT') {
		const type = (el as HTMLInputElement).type;
		// Colour swatches and checkboxes take no keys; sliders do (arrows), so they count as typing.
		return !['color', 'checkbox', 'radio', 'button'].includes(type);
	}
	return el.isContentEditable === true;
}
