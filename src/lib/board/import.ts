/**
 * Merging shapes from elsewhere (a .boardwalk file) into a board: as new shapes under fresh ids, on
 * top of everything, keeping their relative order and layout, in one transaction (one undo step).
 */
import { type Board } from '../shared/model/board.ts';
import { boundsOfShapes } from '../shared/model/geometry.ts';
import { compareOrder } from '../shared/model/order.ts';
import { type Shape, validateShape } from '../shared/model/schema.ts';
import { ValidationError } from '../shared/model/validate.ts';
import { insertShapes, type NewShape, withoutIdentity } from './ops.ts';

/**
 * The shapes as new shapes, bottom to top: with `centre`, the group is moved so its bounds are
 * centred there (board units); shapes the move would push past the coordinate limits are dropped.
 */
export function placeShapes(shapes: readonly Shape[], centre?: { x: number; y: number }): NewShape[] {
	const stacked = [...shapes].sort(compareOrder);
	const bounds = boundsOfShapes(stacked);
	if (!centre || !bounds) return stacked.map(withoutIdentity);
	const dx = centre.x - (bounds.x + bounds.w / 2);
	const dy = centre.y - (bounds.y + bounds.h / 2);
	return stacked.filter((shape) => stillValid(shape, dx, dy)).map((shape) => ({ ...withoutIdentity(shape), x: shape.x + dx, y: shape.y + dy }));
}

function stillValid(shape: Shape, dx: number, dy: number): boolean {
	try {
		validateShape({ ...shape, x: shape.x + dx, y: shape.y + dy });
		return true;
	} catch (error) {
		if (error instanceof ValidationError) return false;
		throw error;
	}
}

/**
 * Adds `shapes` to the board as new shapes (fresh ids, indices above the current top), centred on
 * `centre` when given. One transaction: one update for peers, one step for undo. Returns the new ids.
 */
export function importShapes(board: Board, shapes: readonly Shape[], centre?: { x: number; y: number }): string[] {
	return insertShapes(board, placeShapes(shapes, centre));
}
