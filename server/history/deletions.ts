/** Shapes one transaction deleted, read as they were: Yjs runs afterTransaction before garbage collection, so their fields still hold content. */
import * as Y from 'yjs';
import { compareOrder, readStoredShape, ValidationError, type Shape } from '../../src/lib/shared/model/index.ts';

/**
 * The shapes `tr` deleted from `shapes` (the board's shape map), when there are at least `min` of them;
 * null otherwise. Only an update that deleted something pays more than one check. Reads Yjs internals
 * (`_map`, item content): nothing public exposes a deleted type's content, and it is gone after the
 * transaction's garbage collection.
 */
export function deletedShapes(tr: Y.Transaction, shapes: Y.Map<unknown>, min: number): Shape[] | null {
	if (tr.deleteSet.clients.size === 0) return null;
	const keys = tr.changed.get(shapes as unknown as Y.AbstractType<Y.YEvent<any>>);
	if (keys === undefined || keys.size < min) return null;
	const deleted: Shape[] = [];
	for (const key of keys) {
		if (key === null) continue;
		const item = shapes._map.get(key);
		// Deleted, not replaced: the key's newest item is gone, and it existed before this transaction.
		if (item === undefined || !item.deleted || !(item.content instanceof Y.ContentType)) continue;
		const fields = (item.content.type as Y.Map<unknown>)._map;
		try {
			deleted.push(
				readStoredShape(key, (field) => {
					const value = fields.get(field);
					if (value === undefined) return undefined;
					const content = value.content.getContent();
					const last = content[content.length - 1];
					// A deleted Y.Text reads as '': its characters went with it.
					return last instanceof Y.Text ? textBefore(last, tr) : last;
				})
			);
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error;
		}
	}
	return deleted.length >= min ? deleted : null;
}

/** A Y.Text that `tr` deleted, as it read before: its characters alive then, i.e. not deleted before `tr`. */
function textBefore(text: Y.Text, tr: Y.Transaction): string {
	let out = '';
	for (let item = text._start; item !== null; item = item.right) {
		if (item.content instanceof Y.ContentString && (!item.deleted || Y.isDeleted(tr.deleteSet, item.id))) out += item.content.str;
	}
	return out;
}

/** The board as it was before `deleted` went: its valid shapes now plus those, in stacking order. */
export function shapesBefore(shapes: Y.Map<unknown>, deleted: readonly Shape[]): Shape[] {
	const all: Shape[] = [...deleted];
	for (const [id, value] of shapes) {
		if (!(value instanceof Y.Map)) continue;
		try {
			all.push(readStoredShape(id, (field) => value.get(field)));
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error;
		}
	}
	return all.sort(compareOrder);
}
