/**
 * The `text` of text shapes and sticky notes as a Y.Text (schema version 3): how shapes are stored with
 * it, how a string is turned into edits of it, how a version ≤ 2 string is converted, and how two
 * conversions of one shape at once are reconciled so that no typed character is lost.
 */

import * as Y from 'yjs';
import { type Board } from '../shared/model/board.ts';
import { SCHEMA_VERSION, SCHEMA_VERSION_KEY, TEXT_FIELD, hasText, isShapeType, storedFields, type ShapeType } from '../shared/model/schema.ts';

/** One contiguous change of a string: remove `remove` UTF-16 units at `index`, then insert `insert` there. */
export interface TextChange {
	index: number;
	remove: number;
	insert: string;
}

/**
 * The one contiguous change that turns `before` into `after` (common prefix and suffix kept), never
 * splitting a surrogate pair. What a keystroke, a paste or a cut does to a textarea's value.
 *
 * `caret` is where the caret is in `after`, when known: the change ends there. It decides between
 * places that give the same string (a space typed next to a space), which matters when the text is
 * shared: a Y.Text insert belongs to the characters it was typed between, so typing after a peer's
 * space must not be recorded before it (the typist's next characters would land on the wrong side
 * of the peer's text).
 */
export function diffText(before: string, after: string, caret?: number): TextChange | null {
	if (before === after) return null;
	const max = Math.min(before.length, after.length);
	let start = 0;
	while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
	// The inserted text ends at the caret, so it starts no later than caret minus what was added.
	if (caret !== undefined) start = Math.max(0, Math.min(start, caret - Math.max(0, after.length - before.length)));
	if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
	let end = 0;
	while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
	if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
	return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Applies a change to a Y.Text (inside whatever transaction is open). The insert goes first, so it is
 * anchored just before the characters it replaces; deleted first, Yjs would place it after them, where a
 * peer's concurrent insert at the end of the replaced run could land on either side of it.
 */
export function applyTextChange(text: Y.Text, change: TextChange): void {
	if (change.insert !== '') text.insert(change.index, change.insert);
	if (change.remove > 0) text.delete(change.index + change.insert.length, change.remove);
}

/** Makes `text` hold `value` with the smallest contiguous edit, so concurrent edits elsewhere in it survive. */
export function setYText(text: Y.Text, value: string): boolean {
	const change = diffText(text.toString(), value);
	if (change) applyTextChange(text, change);
	return change !== null;
}

/**
 * Writes a text field into a shape's map: edits the Y.Text in place, or stores a new Y.Text where the
 * field is absent or still a string (version ≤ 2). Returns whether anything was written.
 */
export function writeTextField(map: Y.Map<unknown>, value: string): boolean {
	const current = map.get(TEXT_FIELD);
	if (current instanceof Y.Text) return setYText(current, value);
	map.set(TEXT_FIELD, new Y.Text(value));
	return true;
}

/**
 * A new shape's Y.Map from its valid fields (no id): default fields left out as storedFields does, and
 * the text of text shapes and notes always a Y.Text (empty too: two people typing into a new note must
 * find the same Y.Text, never each create one).
 */
export function shapeMap(fields: Record<string, unknown> & { type: ShapeType }): Y.Map<unknown> {
	const stored = storedFields(fields);
	if (hasText(fields.type)) {
		const text = fields[TEXT_FIELD];
		stored[TEXT_FIELD] = new Y.Text(typeof text === 'string' ? text : '');
	}
	return new Y.Map<unknown>(Object.entries(stored));
}

/** Writes one field of a stored shape: the text field through writeTextField, others as plain values. */
export function writeField(map: Y.Map<unknown>, key: string, value: unknown): void {
	const type = map.get('type');
	if (key === TEXT_FIELD && typeof value === 'string' && isShapeType(type) && hasText(type)) writeTextField(map, value);
	else map.set(key, Array.isArray(value) ? [...value] : value);
}

/**
 * The Y.Text of a text shape or note, converting a version ≤ 2 string (or an absent field, '') into one,
 * in one transaction with the board's origin. Called when an editor opens the shape, before anything is
 * typed. Null for an absent shape or one of another kind.
 */
export function openText(board: Board, id: string): Y.Text | null {
	const map = board.shapes.get(id);
	if (!(map instanceof Y.Map)) return null;
	const type = map.get('type');
	if (!isShapeType(type) || !hasText(type)) return null;
	const current = map.get(TEXT_FIELD);
	if (current instanceof Y.Text) return current;
	const text = new Y.Text(typeof current === 'string' ? current : '');
	board.doc.transact(() => {
		raiseSchemaVersion(board);
		map.set(TEXT_FIELD, text);
	}, board.origin);
	return text;
}

/**
 * Raises `meta.schemaVersion` to this client's SCHEMA_VERSION, never lowers it: called by every write
 * that may store what older clients cannot read (a shape without default fields, a Y.Text), so they warn.
 */
export function raiseSchemaVersion(board: Board): void {
	const version = board.meta.get(SCHEMA_VERSION_KEY);
	if (!(typeof version === 'number' && version >= SCHEMA_VERSION)) board.meta.set(SCHEMA_VERSION_KEY, SCHEMA_VERSION);
}

/**
 * Three-way merge of two concurrent edits of `base`: what `ours` and `theirs` each did to it, both kept.
 * Each side's change is taken as one contiguous edit (diffText) and replayed in a scratch Yjs doc of its
 * own, then the two are merged as Yjs merges: edits at different places both apply; at the same place
 * both inserts are kept and both deletes apply. Nothing typed on either side is lost or doubled.
 */
export function mergeText(base: string, ours: string, theirs: string): string {
	if (ours === base) return theirs;
	if (theirs === base || theirs === ours) return ours;
	const origin = new Y.Doc();
	origin.getText().insert(0, base);
	const start = Y.encodeStateAsUpdate(origin);
	const edited = (value: string) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, start);
		const change = diffText(base, value);
		if (change) applyTextChange(doc.getText(), change);
		return Y.encodeStateAsUpdate(doc);
	};
	const merged = new Y.Doc();
	Y.applyUpdate(merged, edited(ours));
	Y.applyUpdate(merged, edited(theirs));
	return merged.getText().toString();
}
