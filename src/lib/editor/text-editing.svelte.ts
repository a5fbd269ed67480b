/** Typing in place: the session behind the overlaid textarea for text shapes and sticky notes; one edit is one undo step. */
import {
	MAX_TEXT_LENGTH,
	SHAPE_DEFAULTS,
	TextBinding,
	createShape,
	deleteShapes,
	updateShape,
	type IndexMap,
	type StickyShape,
	type TextShape
} from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';
import { newShapeStyle } from '$lib/editor/style';
import { LINE_HEIGHT, MIN_TEXT_WIDTH } from '$lib/view/text-metrics';
import { LIMIT_REACHED, PASTE_WRAP_WIDTH, clampText, pasteCutMessage, pasteOverflow } from '$lib/editor/text-limit';

export interface TextSession {
	/** The shape being edited; null for new text until its first character creates it. */
	id: string | null;
	/** The shape as it should look with the text typed so far. */
	shape: TextShape | StickyShape;
	/** Text grows sideways as you type unless someone gave it a fixed width by resizing. */
	autoWidth: boolean;
	/** This session created the shape, so leaving it empty means it never existed. */
	created: boolean;
}

/** The textarea's side of a session: shows peers' edits keeping the caret where it was (mapped through `map`). */
export interface TextView {
	showRemote(text: string, map: IndexMap): void;
}

/** What this person shares of their typing (presence `editing`): the shape, and their caret as a relative position. */
export interface SharedEditing {
	id: string;
	caret: string | null;
}

/** Keys held after a peer deleted the shape being typed into, besides single characters. */
const HELD_KEYS = new Set(['Backspace', 'Delete', 'Enter', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

/** The words shown when a peer deleted the shape being typed into. */
export function deletedNotice(kind: 'text' | 'sticky', kept: boolean): string {
	const what = kind === 'sticky' ? 'note' : 'text';
	return kept
		? `Someone deleted this ${what} while you were typing. Your text was kept: the ${what} is back, selected. Press Esc to go on.`
		: `Someone deleted this ${what} while you were typing. Press Esc to go on.`;
}

/** Rough text size for when nothing can measure (unit tests without a canvas). */
function estimateText(text: string, width: number | null, fontSize: number) {
	const lines = text.split('\n');
	const longest = Math.max(1, ...lines.map((line) => line.length)) * fontSize * 0.55;
	return { width: width ?? longest, height: lines.length * fontSize * LINE_HEIGHT };
}

export class TextEditing {
	session = $state.raw<TextSession | null>(null);
	/** Words shown by the editor while the text is at its length limit (MAX_TEXT_LENGTH), or null. */
	notice = $state<string | null>(null);
	/**
	 * Set when a peer deleted the shape being typed into: the words saying so. Until it is dismissed
	 * (Escape, a click on the board, the notice's button), keys typed on are not shortcuts (`holdsKey`).
	 */
	interrupted = $state<string | null>(null);
	/** The shape typed into and the caret, for presence; null when not typing into a stored shape. */
	sharing = $state.raw<SharedEditing | null>(null);
	/** The message of a paste cut to fit, until the input it causes arrives. */
	#pasteCut: string | null = null;
	#binding: TextBinding | null = null;
	#view: TextView | null = null;
	#caret = 0;

	constructor(private readonly editor: Editor) {}

	get active(): boolean {
		return this.session !== null;
	}

	measure(text: string, width: number | null, fontSize: number): { width: number; height: number } {
		return this.editor.view?.measureText(text, width, fontSize) ?? estimateText(text, width, fontSize);
	}

	/** New text whose first line is centred vertically on the clicked point; not without the right to write. */
	startNew(point: Point): void {
		if (!this.editor.canWrite) return;
		const style = newShapeStyle('text', this.editor.style);
		const fontSize = style.fontSize ?? SHAPE_DEFAULTS.text.fontSize;
		const height = fontSize * LINE_HEIGHT;
		const shape: TextShape = {
			...SHAPE_DEFAULTS.text,
			...style,
			id: '',
			index: 'a0',
			type: 'text',
			x: point.x,
			y: point.y - height / 2,
			w: MIN_TEXT_WIDTH,
			h: height,
			text: ''
		};
		this.editor.history.beginGesture();
		this.editor.select([]);
		this.notice = null;
		this.interrupted = null;
		this.session = { id: null, shape, autoWidth: true, created: false };
	}

	/** Edits an existing text or sticky note (double-click, or right after creating a note); not without the right to write. */
	edit(id: string, created = false): void {
		if (!this.editor.canWrite) return;
		const shape = this.editor.shape(id);
		if (!shape || (shape.type !== 'text' && shape.type !== 'sticky')) return;
		const autoWidth =
			shape.type === 'text' && Math.abs(shape.w - this.#naturalWidth(shape.text, shape.fontSize)) < 2;
		this.editor.history.beginGesture();
		this.editor.select([id]);
		this.notice = null;
		this.interrupted = null;
		// Opened before anything is typed: a version 2 string becomes a Y.Text now, in this gesture's undo step.
		this.#bind(id);
		this.session = { id, shape: { ...shape, text: this.#binding?.value ?? shape.text }, autoWidth, created };
	}

	/** The textarea registers here while it is shown (null when it goes). */
	attach(view: TextView | null): void {
		this.#view = view;
	}

	/** The caret (the selection's end) moved in the textarea: shared with peers as a relative position. */
	setCaret(index: number): void {
		this.#caret = index;
		const id = this.session?.id;
		this.sharing = id && this.#binding ? { id, caret: this.#binding.encodeCaret(index) } : null;
	}

	/** A peer's shared caret as an index into the text being typed, or null if it is not in it. */
	peerCaret(caret: string | null): number | null {
		return caret === null ? null : (this.#binding?.decodeCaret(caret) ?? null);
	}

	/**
	 * Keys typed on after a peer deleted the shape being typed into: they are held, not run as shortcuts,
	 * until the notice is dismissed. Escape dismisses it. Returns true when the key is held.
	 */
	holdsKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
		if (this.interrupted === null) return false;
		if (e.key === 'Escape') {
			this.interrupted = null;
			return true;
		}
		if (e.ctrlKey || e.metaKey) return false;
		// What a typist presses: characters, and the keys that edit or move a caret (on the board they would
		// delete or nudge the note that came back). Tab still moves the focus.
		return e.key.length === 1 || HELD_KEYS.has(e.key);
	}

	dismissInterruption(): void {
		this.interrupted = null;
	}

	#bind(id: string): void {
		this.#unbind();
		const binding = TextBinding.open(this.editor.board, id);
		if (!binding) return;
		this.#binding = binding;
		binding.onRemote((text, map) => this.#remote(text, map));
		this.#caret = binding.value.length;
		this.sharing = { id, caret: binding.encodeCaret(this.#caret) };
	}

	#unbind(): void {
		this.#binding?.destroy();
		this.#binding = null;
		this.sharing = null;
	}

	/** A peer typed into the same text (or a conversion was reconciled): show it, keep the caret, re-measure. */
	#remote(text: string, map: IndexMap): void {
		const s = this.session;
		if (!s) return;
		this.#view?.showRemote(text, map);
		const shape = this.#layout({ ...s.shape, text }, s.autoWidth);
		this.session = { ...s, shape };
		if (s.id !== null && shape.type === 'text') {
			const target = s.id;
			this.editor.live.run(() => updateShape(this.editor.board, target, this.#size(shape)));
		}
	}

	/**
	 * A paste of `pasted` characters is about to replace `selected` of the textarea's `current` characters:
	 * if it does not all fit, the input it causes says how much was left out.
	 */
	paste(current: number, selected: number, pasted: number): void {
		const over = pasteOverflow(current, selected, pasted);
		this.#pasteCut = over > 0 ? pasteCutMessage(over) : null;
	}

	/**
	 * The textarea's content changed: show it, and write it so peers see the typing (the text at once as an
	 * insert/delete placed by `caret`, the textarea's caret; a text shape's size throttled). Text past
	 * the limit is cut, with a notice saying so; returns the text kept, for the textarea to show.
	 * A paste that makes auto-width text wider than PASTE_WRAP_WIDTH gives it that width, so it wraps.
	 */
	input(value: string, pasted = false, caret?: number): string {
		const s = this.session;
		if (!s) return value;
		const { text, dropped } = clampText(value);
		this.notice = text.length < MAX_TEXT_LENGTH && dropped === 0 ? null : (this.#pasteCut ?? (dropped > 0 && pasted ? pasteCutMessage(dropped) : LIMIT_REACHED));
		this.#pasteCut = null;
		let { autoWidth, shape: base } = s;
		if (pasted && autoWidth && base.type === 'text' && this.#naturalWidth(text, base.fontSize) > PASTE_WRAP_WIDTH) {
			autoWidth = false;
			base = { ...base, w: PASTE_WRAP_WIDTH };
		}
		const shape = this.#layout({ ...base, text }, autoWidth);
		let { id, created } = s;
		if (id === null && value !== '' && shape.type === 'text') {
			const { id: _id, index: _index, type: _type, ...props } = shape;
			id = createShape(this.editor.board, 'text', props);
			created = true;
			this.#bind(id);
		} else if (id !== null) {
			// The keystroke itself at once, as an insert/delete, so it merges with a peer's typing; the size throttled.
			this.#binding?.update(text, caret);
			const target = id;
			if (shape.type === 'text') this.editor.live.run(() => updateShape(this.editor.board, target, this.#size(shape)));
		}
		this.session = { ...s, id, created, autoWidth, shape: { ...shape, id: id ?? '' } };
		return text;
	}

	/** Escape, a click elsewhere or a tool switch: store the text (or drop empty text) and select it. */
	commit(): void {
		const s = this.session;
		if (!s) return;
		this.session = null;
		this.notice = null;
		this.editor.live.cancel();
		this.#unbind();
		const editor = this.editor;
		if (s.id === null) {
			editor.history.endGesture();
		} else if (s.shape.type === 'text' && s.shape.text.trim() === '') {
			if (s.created) editor.history.cancelGesture();
			else {
				deleteShapes(editor.board, [s.id]);
				editor.history.endGesture();
			}
			editor.select([]);
		} else {
			// The text is in already (each keystroke); a text shape's size is written once more, complete.
			if (s.shape.type === 'text') updateShape(editor.board, s.id, this.#size(s.shape));
			editor.history.endGesture();
			editor.select([s.id]);
		}
		if (editor.tool === 'text' || editor.tool === 'sticky') editor.setTool('select');
	}

	/** The shape vanished under us (a peer deleted it), or the right to write went away: stop without writing. */
	abandon(): void {
		if (!this.session) return;
		this.session = null;
		this.notice = null;
		this.editor.live.cancel();
		this.#unbind();
		this.editor.history.endGesture();
	}

	/**
	 * A peer deleted the shape being typed into. The editor closes; what was typed is kept by putting the
	 * shape back (a new shape with the same place, style and text, selected: what a whiteboard user expects
	 * to find, and unlike the clipboard it needs no permission); a notice says so, and the keys typed on
	 * until it is dismissed are held (`holdsKey`), so they do not switch tools or delete the shape.
	 */
	deletedByPeer(): void {
		const s = this.session;
		if (!s || s.id === null) return;
		const canWrite = this.editor.canWrite;
		this.abandon();
		const { id: _id, index: _index, type, ...rest } = s.shape;
		// A merge past the limit also hides a shape (it reads as malformed): what comes back is cut to fit.
		const props = { ...rest, text: clampText(rest.text).text };
		const keep = canWrite && props.text.trim() !== '';
		if (keep) {
			const id = createShape(this.editor.board, type, props as Partial<TextShape & StickyShape>);
			this.editor.select([id]);
		}
		this.interrupted = deletedNotice(type, keep);
		if (this.editor.tool === 'text' || this.editor.tool === 'sticky') this.editor.setTool('select');
	}

	/** Text wraps at its width and is as tall as its lines; auto-width text is as wide as its longest line. */
	#layout<S extends TextShape | StickyShape>(shape: S, autoWidth: boolean): S {
		if (shape.type !== 'text') return shape;
		const w = autoWidth ? this.#naturalWidth(shape.text, shape.fontSize) : shape.w;
		const h = this.measure(shape.text, w, shape.fontSize).height;
		return { ...shape, w, h };
	}

	#naturalWidth(text: string, fontSize: number): number {
		// One pixel of slack so the measured line never wraps on rounding.
		return Math.max(MIN_TEXT_WIDTH, Math.ceil(this.measure(text, null, fontSize).width) + 1);
	}

	#size(shape: TextShape) {
		return { w: shape.w, h: shape.h };
	}
}
