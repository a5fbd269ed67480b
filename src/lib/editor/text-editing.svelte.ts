/** Typing in place: the session behind the overlaid textarea for text shapes and sticky notes; one edit is one undo step. */
import { MAX_TEXT_LENGTH, SHAPE_DEFAULTS, createShape, deleteShapes, updateShape, type StickyShape, type TextShape } from '$lib/board';
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
	/** The message of a paste cut to fit, until the input it causes arrives. */
	#pasteCut: string | null = null;

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
		this.session = { id, shape, autoWidth, created };
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
	 * The textarea's content changed: show it, and write it (throttled) so peers see the typing. Text past
	 * the limit is cut, with a notice saying so; returns the text kept, for the textarea to show.
	 * A paste that makes auto-width text wider than PASTE_WRAP_WIDTH gives it that width, so it wraps.
	 */
	input(value: string, pasted = false): string {
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
		} else if (id !== null) {
			const target = id;
			this.editor.live.run(() => updateShape(this.editor.board, target, this.#fields(shape)));
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
			updateShape(editor.board, s.id, this.#fields(s.shape));
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
		this.editor.history.endGesture();
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

	#fields(shape: TextShape | StickyShape) {
		return shape.type === 'text' ? { text: shape.text, w: shape.w, h: shape.h } : { text: shape.text };
	}
}
