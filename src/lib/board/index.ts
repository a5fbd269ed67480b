/** The board model's public API: import from '$lib/board' (or './index.ts' on the server). */

export * from './schema.ts';
export { ValidationError, parseJsonObject } from './validate.ts';
export { keyBetween, keysBetween, isValidIndex, compareOrder, FIRST_INDEX } from './order.ts';
export {
	Board,
	LocalOrigin,
	createBoard,
	getShape,
	listShapes,
	observeShapes,
	getSchemaVersion,
	type BoardOptions,
	type ShapeChanges
} from './board.ts';
export * from './ops.ts';
export * from './clipboard.ts';
export * from './history.ts';
export * from './geometry.ts';
export * from './pen.ts';
