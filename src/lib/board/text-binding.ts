/**
 * One editor's live link to a shape's Y.Text while it is typed into: the editor's value turned into
 * insert/delete edits, peers' edits handed back with a way to map the caret through them, carets as
 * Yjs relative positions for presence, and the repair when the shape's Y.Text is replaced under us
 * (two clients converting a version ≤ 2 string at once, a restore, an old client writing a string).
 * No DOM: the textarea lives in the component.
 */

import * as Y from 'yjs';
import { type Board } from '../shared/model/board.ts';
import { TEXT_FIELD } from '../shared/model/schema.ts';
import { applyTextChange, diffText, mergeText, openText, setYText, type TextChange } from './text.ts';

/** Maps an index of the text before a change to the same place after it. */
export type IndexMap = (index: number) => number;

/** Called when the text changed by something other than `update`: the new text, and how old indices map into it. */
export type RemoteTextListener = (text: string, map: IndexMap) => void;

/** Where an index moves through a Yjs delta. A peer's insert exactly at the index leaves it before the insert. */
export function mapThroughDelta(delta: Y.YTextEvent['delta'], index: number): number {
	let old = 0;
	let shift = 0;
	for (const op of delta) {
		if (op.retain !== undefined) old += op.retain;
		else if (typeof op.insert === 'string') {
			if (old < index) shift += op.insert.length;
		} else if (op.delete !== undefined) {
			if (old < index) shift -= Math.min(op.delete, index - old);
			old += op.delete;
		}
	}
	return index + shift;
}

/** Where an index moves through one contiguous change. */
export function mapThroughChange(change: TextChange | null, index: number): number {
	if (!change || index <= change.index) return index;
	const end = change.index + change.remove;
	if (index >= end) return index - change.remove + change.insert.length;
	return change.index + change.insert.length;
}

export class TextBinding {
	#map: Y.Map<unknown>;
	#text: Y.Text;
	/** What the editor shows; always the Y.Text's content between calls. */
	#value: string;
	/** The text when this binding last took the field as its own: the base of a reconcile. */
	#base: string;
	#listener: RemoteTextListener | null = null;
	#closed = false;

	/** Opens the shape's text for editing (converting a version ≤ 2 string first); null if it is not a text shape or note. */
	static open(board: Board, id: string): TextBinding | null {
		const text = openText(board, id);
		const map = board.shapes.get(id);
		return text && map instanceof Y.Map ? new TextBinding(board, id, map, text) : null;
	}

	private constructor(
		private readonly board: Board,
		readonly id: string,
		map: Y.Map<unknown>,
		text: Y.Text
	) {
		this.#map = map;
		this.#text = text;
		this.#value = text.toString();
		this.#base = this.#value;
		text.observe(this.#onText);
		map.observe(this.#onMap);
		board.shapes.observe(this.#onShapes);
	}

	get value(): string {
		return this.#value;
	}

	get ytext(): Y.Text {
		return this.#text;
	}

	/** Peers' edits (and repairs) are reported here. */
	onRemote(listener: RemoteTextListener | null): void {
		this.#listener = listener;
	}

	/**
	 * The editor's value changed: write the difference as one insert/delete, with the board's origin.
	 * `caret` (the caret in `next`, when known) places the change where it was typed (diffText).
	 */
	update(next: string, caret?: number): void {
		if (this.#closed) return;
		const change = diffText(this.#value, next, caret === undefined ? undefined : Math.min(caret, next.length));
		this.#value = next;
		if (!change) return;
		this.board.doc.transact(() => applyTextChange(this.#text, change), this.board.origin);
	}

	/** `index` as a relative position (base64 of Y.encodeRelativePosition): it stays at its character through everyone's edits. */
	encodeCaret(index: number): string {
		const position = Y.createRelativePositionFromTypeIndex(this.#text, Math.max(0, Math.min(index, this.#text.length)));
		return toBase64(Y.encodeRelativePosition(position));
	}

	/** A peer's caret as an index into this text, or null when it is not valid or points elsewhere. */
	decodeCaret(encoded: string): number | null {
		try {
			const position = Y.decodeRelativePosition(fromBase64(encoded));
			const absolute = Y.createAbsolutePositionFromRelativePosition(position, this.board.doc);
			if (!absolute || absolute.type !== this.#text) return null;
			return Math.max(0, Math.min(absolute.index, this.#value.length));
		} catch {
			return null;
		}
	}

	destroy(): void {
		this.#closed = true;
		this.#listener = null;
		this.#text.unobserve(this.#onText);
		this.#map.unobserve(this.#onMap);
		this.board.shapes.unobserve(this.#onShapes);
	}

	#onText = (event: Y.YTextEvent) => {
		const now = this.#text.toString();
		if (now === this.#value) return;
		const delta = event.delta;
		this.#value = now;
		this.#listener?.(now, (index) => mapThroughDelta(delta, index));
	};

	#onMap = (event: Y.YMapEvent<unknown>) => {
		if (event.keysChanged.has(TEXT_FIELD)) this.#reconcile();
	};

	#onShapes = (event: Y.YMapEvent<unknown>) => {
		if (!event.keysChanged.has(this.id)) return;
		const map = this.board.shapes.get(this.id);
		// Deleted: the editor hears of it from observeShapes and closes.
		if (!(map instanceof Y.Map) || map === this.#map) return;
		this.#map.unobserve(this.#onMap);
		this.#map = map;
		map.observe(this.#onMap);
		this.#reconcile();
	};

	/**
	 * The field no longer holds our Y.Text: someone else's conversion won the key (Y.Map keys are
	 * last-writer-wins), or the shape was rewritten. Merge what we typed since `#base` with what the
	 * field holds now, write it into the field's Y.Text (converting a string again), and carry on there.
	 */
	#reconcile(): void {
		if (this.#closed) return;
		const current = this.#map.get(TEXT_FIELD);
		if (current === this.#text) return;
		const theirs = current instanceof Y.Text ? current.toString() : typeof current === 'string' ? current : '';
		const ours = this.#value;
		const merged = mergeText(this.#base, ours, theirs);
		this.#text.unobserve(this.#onText);
		let text: Y.Text;
		if (current instanceof Y.Text) {
			text = current;
			if (merged !== theirs) this.board.doc.transact(() => setYText(text, merged), this.board.origin);
		} else {
			text = new Y.Text(merged);
			this.board.doc.transact(() => this.#map.set(TEXT_FIELD, text), this.board.origin);
		}
		this.#text = text;
		text.observe(this.#onText);
		this.#value = merged;
		this.#base = merged;
		if (merged !== ours) {
			const change = diffText(ours, merged);
			this.#listener?.(merged, (index) => mapThroughChange(change, index));
		}
	}
}

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
