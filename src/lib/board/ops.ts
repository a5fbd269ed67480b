/** Every write to the board's Y.Doc: small transactions tagged with the board's local origin, so history can tell them apart. */

import * as Y from 'yjs';
import { type Board } from '../shared/model/board.ts';
import { randomIds } from './ids.ts';
import { compareOrder, isValidIndex, keyBetween, keysBetween } from '../shared/model/order.ts';
import {
	SHAPE_DEFAULTS,
	TEXT_FIELD,
	type Shape,
	type ShapePatch,
	type ShapeProps,
	type ShapeType,
	shapeValidators,
	validateShape
} from '../shared/model/schema.ts';
import { ValidationError } from '../shared/model/validate.ts';
import { TITLE_KEY, getTitle, normalizeTitle } from '../shared/model/title.ts';
import { raiseSchemaVersion, shapeMap, writeField } from './text.ts';

/** 12 characters of 6 bits: 72 random bits, collision-free in practice and short on the wire. */
export const SHAPE_ID_LENGTH = 12;
/** How far duplicates land from their originals, in board units. */
export const DUPLICATE_OFFSET = { x: 16, y: 16 } as const;
/** Point coordinates are stored in steps of 1/16 unit: exact as float32, so 5 bytes per number instead of 9. */
export const POINT_STEPS_PER_UNIT = 16;
/** Pressures are stored in steps of 1/256, exact as float32 for the same reason. */
export const PRESSURE_STEPS = 256;

/** A shape's kind plus its writable fields: what createShape, duplicate and paste insert. */
export type NewShape<T extends ShapeType = ShapeType> = T extends unknown ? { type: T } & ShapeProps<T> : never;

/**
 * Runs `fn` as one transaction with this board's origin: observers fire once, peers get one
 * update. Ops called inside join it. Use it to group several ops into one change.
 */
export function transact<R>(board: Board, fn: () => R): R {
	let result!: R;
	board.doc.transact(() => {
		result = fn();
	}, board.origin);
	return result;
}

/**
 * Names the board for everyone on it (`meta.title`), normalized to one trimmed line of at most
 * MAX_TITLE_LENGTH characters; a blank title removes it. Returns true if the stored title changed.
 * Not an undo step: history tracks the shapes only, so undo never renames the board (as renaming a
 * file is not part of editing it), and a rename never gets in the way of undoing a drawing.
 */
export function setTitle(board: Board, title: string): boolean {
	const next = normalizeTitle(title);
	if (next === getTitle(board) && (next !== '' || !board.meta.has(TITLE_KEY))) return false;
	transact(board, () => {
		if (next === '') board.meta.delete(TITLE_KEY);
		else board.meta.set(TITLE_KEY, next);
	});
	return true;
}

/**
 * Adds a shape of `type` on top of all others, filling unspecified fields from SHAPE_DEFAULTS.
 * Returns its id. Throws ValidationError if the result is not a valid shape (a caller bug).
 */
export function createShape<T extends ShapeType>(board: Board, type: T, props: Partial<ShapeProps<T>> = {}): string {
	const shape = { ...SHAPE_DEFAULTS[type], ...props, type } as NewShape;
	const [id] = insertShapes(board, [shape]);
	return id!;
}

/**
 * Writes the fields of `patch` that differ from the stored values; unchanged fields cost
 * nothing on the wire. Returns true if anything was written, false if the shape is absent,
 * malformed or already equal. Throws ValidationError if the patched shape would be invalid.
 */
export function updateShape(board: Board, id: string, patch: ShapePatch): boolean {
	let written = false;
	transact(board, () => {
		written = writePatch(board, id, patch);
	});
	return written;
}

/** updateShape for many shapes in one transaction (one undo step, one update): e.g. a group move. Returns how many changed. */
export function updateShapes(board: Board, updates: Iterable<{ id: string; patch: ShapePatch }>): number {
	let changed = 0;
	transact(board, () => {
		for (const { id, patch } of updates) if (writePatch(board, id, patch)) changed++;
	});
	return changed;
}

/** Moves shapes by (dx, dy) board units, e.g. for arrow-key nudges. Returns how many moved. */
export function translateShapes(board: Board, ids: Iterable<string>, dx: number, dy: number): number {
	const updates: { id: string; patch: ShapePatch }[] = [];
	for (const id of ids) {
		const shape = board.read(id);
		if (shape) updates.push({ id, patch: { x: shape.x + dx, y: shape.y + dy } });
	}
	return updateShapes(board, updates);
}

/** Removes shapes (malformed ones too). Returns how many existed. */
export function deleteShapes(board: Board, ids: Iterable<string>): number {
	let deleted = 0;
	transact(board, () => {
		for (const id of ids) {
			if (!board.shapes.has(id)) continue;
			board.shapes.delete(id);
			deleted++;
		}
	});
	return deleted;
}

/**
 * Copies shapes, offset by `offset`, on top of everything, keeping their relative order.
 * Returns the new ids in the order of `ids` (absent or malformed ids are skipped).
 */
export function duplicateShapes(
	board: Board,
	ids: Iterable<string>,
	offset: { x: number; y: number } = DUPLICATE_OFFSET
): string[] {
	const originals = [...new Set(ids)].map((id) => board.read(id)).filter((s): s is Shape => s !== null);
	const stacked = [...originals].sort(compareOrder);
	const copies = stacked.map((shape) => ({ ...withoutIdentity(shape), x: shape.x + offset.x, y: shape.y + offset.y }));
	const newIds = insertShapes(board, copies as NewShape[]);
	const byOriginal = new Map(stacked.map((shape, i) => [shape.id, newIds[i]!]));
	return originals.map((shape) => byOriginal.get(shape.id)!);
}

/** A shape's writable fields plus its type: what survives a copy. */
export function withoutIdentity(shape: Shape): NewShape {
	const { id: _id, index: _index, ...rest } = shape;
	return rest as NewShape;
}

/**
 * Inserts shapes above everything, in the given (bottom-to-top) order, under fresh ids.
 * Validates all of them before writing any. Returns the new ids in the same order.
 */
export function insertShapes(board: Board, shapes: readonly NewShape[]): string[] {
	if (shapes.length === 0) return [];
	const indices = keysBetween(topIndex(board), null, shapes.length, { jitter: board.jitter });
	const ids = randomIds(shapes.length, SHAPE_ID_LENGTH);
	const prepared = shapes.map((shape, i) => {
		const id = ids[i]!;
		const normalized = normalizeFields(shape as Record<string, unknown>);
		const { id: _id, ...fields } = validateShape({ ...normalized, id, index: indices[i] });
		return { id, fields };
	});
	transact(board, () => {
		// Raised, never lowered: a board older clients wrote may now hold shapes without default fields, and Y.Text.
		raiseSchemaVersion(board);
		for (const { id, fields } of prepared) board.shapes.set(id, shapeMap(fields));
	});
	return prepared.map((p) => p.id);
}

/** Moves the shapes above everything else, keeping their relative order. */
export function bringToFront(board: Board, ids: Iterable<string>): void {
	const { order, selected } = stackOf(board, ids);
	const moving = order.filter((entry) => selected.has(entry.id));
	if (moving.length === 0 || order.slice(-moving.length).every((e) => selected.has(e.id))) return;
	assignIndices(board, moving, keysBetween(order.at(-1)!.index, null, moving.length, { jitter: board.jitter }));
}

/** Moves the shapes below everything else, keeping their relative order. */
export function sendToBack(board: Board, ids: Iterable<string>): void {
	const { order, selected } = stackOf(board, ids);
	const moving = order.filter((entry) => selected.has(entry.id));
	if (moving.length === 0 || order.slice(0, moving.length).every((e) => selected.has(e.id))) return;
	assignIndices(board, moving, keysBetween(null, order[0]!.index, moving.length, { jitter: board.jitter }));
}

/**
 * Moves each run of adjacent selected shapes one step up, just above the next unselected
 * shape. Runs already on top stay. Only the moved shapes' indices are written.
 */
export function bringForward(board: Board, ids: Iterable<string>): void {
	const { order, selected } = stackOf(board, ids);
	const changes = new Map<string, string>();
	// From the top down, so a run above has already moved when the run below picks its slot.
	for (let top = order.length - 1; top >= 0; ) {
		if (!selected.has(order[top]!.id)) {
			top--;
			continue;
		}
		let bottom = top;
		while (bottom > 0 && selected.has(order[bottom - 1]!.id)) bottom--;
		const target = order[top + 1];
		if (target) {
			const upper = firstIndexAbove(order, top + 2, target.index);
			const keys = keysBetween(target.index, upper, top - bottom + 1, { jitter: board.jitter });
			const run = order.splice(bottom, top - bottom + 1).map((entry, i) => ({ ...entry, index: keys[i]! }));
			order.splice(bottom + 1, 0, ...run);
			for (const entry of run) changes.set(entry.id, entry.index);
		}
		top = bottom - 1;
	}
	writeIndices(board, changes);
}

/** Mirror of bringForward: each run of selected shapes goes just below the previous unselected shape. */
export function sendBackward(board: Board, ids: Iterable<string>): void {
	const { order, selected } = stackOf(board, ids);
	const changes = new Map<string, string>();
	for (let bottom = 0; bottom < order.length; ) {
		if (!selected.has(order[bottom]!.id)) {
			bottom++;
			continue;
		}
		let top = bottom;
		while (top < order.length - 1 && selected.has(order[top + 1]!.id)) top++;
		const target = order[bottom - 1];
		if (target) {
			const lower = lastIndexBelow(order, bottom - 2, target.index);
			const keys = keysBetween(lower, target.index, top - bottom + 1, { jitter: board.jitter });
			const run = order.splice(bottom, top - bottom + 1).map((entry, i) => ({ ...entry, index: keys[i]! }));
			order.splice(bottom - 1, 0, ...run);
			for (const entry of run) changes.set(entry.id, entry.index);
		}
		bottom = top + 1;
	}
	writeIndices(board, changes);
}

interface StackEntry {
	id: string;
	index: string;
}

function stackOf(board: Board, ids: Iterable<string>): { order: StackEntry[]; selected: Set<string> } {
	const order = [...board.shapes.keys()]
		.map((id) => board.read(id))
		.filter((s): s is Shape => s !== null)
		.map(({ id, index }) => ({ id, index }))
		.sort(compareOrder);
	const present = new Set(order.map((entry) => entry.id));
	return { order, selected: new Set([...ids].filter((id) => present.has(id))) };
}

// Equal indices (two clients inserted at one spot without jitter) leave no room between
// them; skip past the twins so the key range is never empty.
function firstIndexAbove(order: StackEntry[], from: number, index: string): string | null {
	for (let i = from; i < order.length; i++) if (order[i]!.index > index) return order[i]!.index;
	return null;
}

function lastIndexBelow(order: StackEntry[], from: number, index: string): string | null {
	for (let i = from; i >= 0; i--) if (order[i]!.index < index) return order[i]!.index;
	return null;
}

function assignIndices(board: Board, entries: StackEntry[], keys: string[]): void {
	writeIndices(board, new Map(entries.map((entry, i) => [entry.id, keys[i]!])));
}

function writeIndices(board: Board, changes: Map<string, string>): void {
	if (changes.size === 0) return;
	transact(board, () => {
		for (const [id, index] of changes) {
			const map = board.shapes.get(id);
			if (map instanceof Y.Map) map.set('index', index);
		}
	});
}

/** The highest valid index on the board (malformed shapes included: they may be repaired later), or null if empty. */
function topIndex(board: Board): string | null {
	let top: string | null = null;
	for (const map of board.shapes.values()) {
		const index = map instanceof Y.Map ? map.get('index') : undefined;
		if (typeof index === 'string' && isValidIndex(index) && (top === null || index > top)) top = index;
	}
	return top;
}

const READ_ONLY_FIELDS = new Set(['id', 'type', 'index']);

function writePatch(board: Board, id: string, patch: ShapePatch): boolean {
	const map = board.shapes.get(id);
	const current = board.read(id);
	if (!(map instanceof Y.Map) || current === null) return false;
	const fields = shapeValidators[current.type].fields as Record<string, unknown>;
	for (const key of Object.keys(patch)) {
		if (READ_ONLY_FIELDS.has(key)) throw new ValidationError(key, 'cannot be changed with updateShape');
		if (!Object.hasOwn(fields, key)) throw new ValidationError(key, `not a field of ${current.type} shapes`);
	}
	const normalized = normalizeFields(patch as Record<string, unknown>);
	const next: Record<string, unknown> = { ...current, ...normalized };
	for (const [key, value] of Object.entries(normalized)) if (value === undefined) delete next[key];
	validateShape(next);
	let written = false;
	// Compared with the read shape, not the map: a field left out at its default needs no write to keep it.
	for (const [key, value] of Object.entries(normalized)) {
		if (value === undefined) {
			if (map.has(key)) {
				map.delete(key);
				written = true;
			}
		} else if (!sameValue((current as Record<string, unknown>)[key], value)) {
			// The text field is edited in place (a Y.Text since version 3), so peers' typing elsewhere in it survives.
			if (key === TEXT_FIELD) raiseSchemaVersion(board);
			writeField(map, key, value);
			written = true;
		}
	}
	return written;
}

/** Canonical stored forms: rotation in [0, 360), points and pressures on their storage grids. */
function normalizeFields(fields: Record<string, unknown>): Record<string, unknown> {
	const out = { ...fields };
	if (typeof out.rotation === 'number') out.rotation = normalizeRotation(out.rotation);
	if (Array.isArray(out.points)) out.points = quantize(out.points, POINT_STEPS_PER_UNIT);
	if (Array.isArray(out.pressures)) out.pressures = quantize(out.pressures, PRESSURE_STEPS);
	return out;
}

export function normalizeRotation(degrees: number): number {
	if (!Number.isFinite(degrees)) return degrees;
	const r = ((degrees % 360) + 360) % 360;
	return r === 0 ? 0 : r; // also turns -0 into 0
}

function quantize(values: unknown[], steps: number): unknown[] {
	return values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * steps) / steps + 0 : v));
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
	return a.every((v, i) => v === b[i]);
}
