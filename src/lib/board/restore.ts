/**
 * Restoring a version of the board (issue 18): what differs between the live shapes and a version's
 * (`diffShapes`, for the preview's highlights), the writes that make the live board equal the version
 * (`restorePlan`, pure), and those writes as ONE transaction with the board's local origin
 * (`applyRestore`: one undo step, one update that syncs to everyone as a normal change).
 *
 * Shapes come back under their own ids and indices: the live doc garbage-collected the deleted ones,
 * so re-adding an id is a fresh Y.Map under the same key (no clash with the old one), and peers'
 * selections, the server's version summaries and the preview's "changed" marks keep matching by id.
 */
import * as Y from 'yjs';
import { createBoard, type Board } from '../shared/model/board.ts';
import { validateShape, type Shape } from '../shared/model/schema.ts';
import { ValidationError } from '../shared/model/validate.ts';
import { transact } from './ops.ts';
import { raiseSchemaVersion, shapeMap, writeField } from './text.ts';

/** How a version differs from the live board, by shape id. */
export interface ShapeDiff {
	/** In the version, not on the board now (deleted since): a restore brings them back. */
	onlyInVersion: string[];
	/** On the board now, not in the version (added since): a full restore removes them. */
	onlyOnBoard: string[];
	/** In both with some field different: a restore sets the version's fields. */
	changed: string[];
}

/** One shape's field writes: values to set, fields to remove (optional ones the version does not have). */
export interface ShapeFieldPatch {
	id: string;
	set: Record<string, unknown>;
	unset: string[];
}

/** The writes of a restore. Empty when the board already equals the version (or the selection does). */
export interface RestorePlan {
	remove: string[];
	/** Whole shapes written under their id (missing ones, and ones whose kind changed). */
	put: Shape[];
	patch: ShapeFieldPatch[];
}

export function isEmptyPlan(plan: RestorePlan): boolean {
	return plan.remove.length === 0 && plan.put.length === 0 && plan.patch.length === 0;
}

/** The diff between the live shapes and a version's. */
export function diffShapes(current: readonly Shape[], version: readonly Shape[]): ShapeDiff {
	const now = byId(current);
	const then = byId(version);
	const diff: ShapeDiff = { onlyInVersion: [], onlyOnBoard: [], changed: [] };
	for (const [id, shape] of then) {
		const live = now.get(id);
		if (!live) diff.onlyInVersion.push(id);
		else if (!sameShape(live, shape)) diff.changed.push(id);
	}
	for (const id of now.keys()) if (!then.has(id)) diff.onlyOnBoard.push(id);
	return diff;
}

/**
 * What makes the live shapes equal the version's. With `only`, just those shapes of the version come
 * back as they were ("bring these back"); nothing else is touched and nothing is removed. A version
 * shape that fails validation (the server validates them; this is the last guard) is left out.
 */
export function restorePlan(current: readonly Shape[], version: readonly Shape[], only?: Iterable<string>): RestorePlan {
	const now = byId(current);
	const wanted = only === undefined ? null : new Set(only);
	const plan: RestorePlan = { remove: [], put: [], patch: [] };
	const kept = new Set<string>();
	for (const shape of version) {
		kept.add(shape.id);
		if (wanted && !wanted.has(shape.id)) continue;
		if (!isValid(shape)) continue;
		const live = now.get(shape.id);
		if (!live || live.type !== shape.type) {
			plan.put.push(shape);
			continue;
		}
		const patch = fieldPatch(live, shape);
		if (patch) plan.patch.push(patch);
	}
	if (!wanted) for (const id of now.keys()) if (!kept.has(id)) plan.remove.push(id);
	return plan;
}

/** Writes a plan in one transaction with the board's origin (one undo step). */
export function applyRestore(board: Board, plan: RestorePlan): void {
	if (isEmptyPlan(plan)) return;
	transact(board, () => {
		for (const id of plan.remove) board.shapes.delete(id);
		if (plan.put.length > 0 || plan.patch.length > 0) raiseSchemaVersion(board);
		for (const shape of plan.put) {
			const { id, ...fields } = shape;
			board.shapes.set(id, shapeMap(fields));
		}
		for (const { id, set, unset } of plan.patch) {
			const map = board.shapes.get(id);
			if (!(map instanceof Y.Map)) continue;
			// Text edited in place as a Y.Text: whoever types into it meanwhile keeps their characters.
			for (const [key, value] of Object.entries(set)) writeField(map, key, value);
			for (const key of unset) map.delete(key);
		}
	});
}

/** Plans against the board as it is now and applies: the restore a person asks for. Returns the plan written. */
export function restoreShapes(board: Board, current: readonly Shape[], version: readonly Shape[], only?: Iterable<string>): RestorePlan {
	const plan = restorePlan(current, version, only);
	applyRestore(board, plan);
	return plan;
}

function fieldPatch(live: Shape, target: Shape): ShapeFieldPatch | null {
	const from = live as unknown as Record<string, unknown>;
	const to = target as unknown as Record<string, unknown>;
	const set: Record<string, unknown> = {};
	const unset: string[] = [];
	for (const [key, value] of Object.entries(to)) if (key !== 'id' && !sameValue(from[key], value)) set[key] = value;
	for (const key of Object.keys(from)) if (!(key in to)) unset.push(key);
	if (Object.keys(set).length === 0 && unset.length === 0) return null;
	return { id: target.id, set, unset };
}

function isValid(shape: Shape): boolean {
	try {
		validateShape(shape);
		return true;
	} catch (error) {
		if (error instanceof ValidationError) return false;
		throw error;
	}
}

function byId(shapes: readonly Shape[]): Map<string, Shape> {
	return new Map(shapes.map((shape) => [shape.id, shape]));
}

function sameShape(a: Shape, b: Shape): boolean {
	const x = a as unknown as Record<string, unknown>;
	const y = b as unknown as Record<string, unknown>;
	const keys = Object.keys(x);
	return keys.length === Object.keys(y).length && keys.every((key) => key in y && sameValue(x[key], y[key]));
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
}

/** A board of its own holding a version's shapes (never connected to anything): what the preview draws. */
export function versionBoard(shapes: readonly Shape[]): Board {
	const board = createBoard(new Y.Doc(), { label: 'boardwalk-version' });
	applyRestore(board, restorePlan([], shapes));
	return board;
}
