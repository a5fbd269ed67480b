/** Copy/paste of shapes as JSON text that works across boards: serialise in stacking order, paste validated, re-id'd, on top. */

import { type Board } from '../shared/model/board.ts';
import { boundsOfShapes } from '../shared/model/geometry.ts';
import { insertShapes, type NewShape, withoutIdentity } from './ops.ts';
import { compareOrder, FIRST_INDEX } from '../shared/model/order.ts';
import { SCHEMA_VERSION, type Shape, validateShape } from '../shared/model/schema.ts';
import { ValidationError, parseJsonObject } from '../shared/model/validate.ts';

/** The `kind` of a clipboard payload; anything else pasted is not ours. */
export const CLIPBOARD_KIND = 'boardwalk/shapes';
/** Most shapes one paste inserts; the rest are dropped. */
export const MAX_PASTE_SHAPES = 5_000;
/** Longest clipboard text we try to parse (characters), so a stray huge paste cannot freeze the tab. */
export const MAX_CLIPBOARD_CHARS = 50_000_000;

export interface ClipboardPayload {
	kind: typeof CLIPBOARD_KIND;
	/** SCHEMA_VERSION of the board copied from. */
	version: number;
	/** Bottom to top; no ids or indices, which belong to a board. */
	shapes: NewShape[];
}

/** The shapes as clipboard text, in stacking order. Absent or malformed ids are skipped. */
export function serializeShapes(board: Board, ids: Iterable<string>): string {
	const shapes = [...new Set(ids)]
		.map((id) => board.read(id))
		.filter((s): s is Shape => s !== null)
		.sort(compareOrder)
		.map(withoutIdentity);
	const payload: ClipboardPayload = { kind: CLIPBOARD_KIND, version: SCHEMA_VERSION, shapes };
	return JSON.stringify(payload);
}

/** Cheap check for a paste handler: is this text one of our payloads? */
export function isShapeClipboard(text: string): boolean {
	return text.length <= MAX_CLIPBOARD_CHARS && text.includes(`"${CLIPBOARD_KIND}"`) && parseClipboard(text) !== null;
}

/**
 * Reads clipboard text into insertable shapes: null if it is not our payload; otherwise
 * every shape that validates (up to MAX_PASTE_SHAPES), the others skipped.
 */
export function parseClipboard(text: string): NewShape[] | null {
	if (text.length > MAX_CLIPBOARD_CHARS) return null;
	const payload = parseJsonObject(text);
	if (!payload) return null;
	const { kind, shapes } = payload;
	if (kind !== CLIPBOARD_KIND || !Array.isArray(shapes)) return null;
	const valid: NewShape[] = [];
	for (const candidate of shapes.slice(0, MAX_PASTE_SHAPES)) {
		const shape = checkCandidate(candidate);
		if (shape) valid.push(shape);
	}
	return valid;
}

function checkCandidate(candidate: unknown): NewShape | null {
	if (typeof candidate !== 'object' || candidate === null) return null;
	try {
		// Placeholder identity: the validator needs one, insertShapes assigns the real ones.
		return withoutIdentity(validateShape({ ...candidate, id: 'pasted', index: FIRST_INDEX }));
	} catch (error) {
		if (error instanceof ValidationError) return null;
		throw error;
	}
}

/**
 * Pastes clipboard text on top of the board under fresh ids, keeping the shapes' relative
 * order and layout. With `at`, the pasted group is centred there (board coordinates);
 * without, shapes keep their copied coordinates. Returns the new ids (empty if nothing valid).
 */
export function pasteShapes(board: Board, text: string, at?: { x: number; y: number }): string[] {
	const shapes = parseClipboard(text);
	if (!shapes || shapes.length === 0) return [];
	let placed = shapes;
	if (at) {
		const asShapes = shapes.map((s, i) => ({ ...s, id: `p${i}`, index: FIRST_INDEX }) as Shape);
		const bounds = boundsOfShapes(asShapes)!;
		const dx = at.x - (bounds.x + bounds.w / 2);
		const dy = at.y - (bounds.y + bounds.h / 2);
		placed = shapes.map((s) => ({ ...s, x: s.x + dx, y: s.y + dy }));
		// Moving may push a far-away shape past the coordinate limit; drop it rather than fail the paste.
		placed = placed.filter((s) => checkCandidate(s) !== null);
	}
	return insertShapes(board, placed);
}
