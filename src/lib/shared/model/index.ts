/** The board model both the server and the browser load: the schema, its validation, stacking order, geometry and validated reads of a Y.Doc. */

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
export * from './geometry.ts';
export * from './title.ts';
