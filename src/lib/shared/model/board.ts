/** The Board handle over a Y.Doc: validated reads, a per-board local origin, and change observation for incremental rendering. */

import * as Y from 'yjs';
import { compareOrder } from './order.ts';
import { META_MAP, SCHEMA_VERSION_KEY, SHAPES_MAP, readStoredShape, type Shape, type ShapeOf, type ShapeType } from './schema.ts';
import { ValidationError } from './validate.ts';

/**
 * Transaction origin of this board's own writes. One instance per Board, so the undo
 * manager tracks exactly this user's changes and never someone else's.
 */
export class LocalOrigin {
	constructor(readonly label: string) {}
}

export interface BoardOptions {
	/** Where a malformed shape from a peer is reported (once per shape id). Defaults to console.warn. */
	warn?: (message: string) => void;
	/** Jitter new fractional indices (see order.ts). Default true; tests turn it off for stable keys. */
	jitter?: boolean;
	/** A name for the origin, handy when debugging transactions. */
	label?: string;
}

export class Board {
	readonly shapes: Y.Map<unknown>;
	readonly meta: Y.Map<unknown>;
	readonly origin: LocalOrigin;
	readonly jitter: boolean;
	/** Validated shapes by id (null = present but malformed); dropped for ids a transaction touches. */
	private readonly cache = new Map<string, Shape | null>();
	private readonly warned = new Set<string>();
	private readonly warn: (message: string) => void;
	private readonly invalidate = (transaction: Y.Transaction) => {
		for (const [type, keys] of transaction.changed) {
			if ((type as unknown) === this.shapes) for (const key of keys) if (key !== null) this.cache.delete(key);
			const id = shapeIdOf(this.shapes, type);
			if (id !== null) this.cache.delete(id);
		}
	};

	constructor(
		readonly doc: Y.Doc,
		options: BoardOptions = {}
	) {
		this.shapes = doc.getMap(SHAPES_MAP);
		this.meta = doc.getMap(META_MAP);
		this.origin = new LocalOrigin(options.label ?? 'boardwalk-local');
		this.jitter = options.jitter ?? true;
		this.warn = options.warn ?? ((message) => console.warn(message));
		// Runs before any observer, so observers (and the renderer they call) read fresh shapes.
		doc.on('beforeObserverCalls', this.invalidate);
	}

	/** The validated shape, or null if it is absent or malformed (malformed ones are reported once). */
	read(id: string): Shape | null {
		// Inside a transaction the cache may predate this transaction's own writes to this shape.
		const transaction = this.doc._transaction;
		const raw = this.shapes.get(id);
		const fresh = transaction === null || !touchedIn(transaction, this.shapes, id, raw);
		if (fresh) {
			const cached = this.cache.get(id);
			if (cached !== undefined) return cached;
		}
		const inTransaction = transaction !== null;
		if (raw === undefined) return null;
		let shape: Shape | null = null;
		try {
			if (!(raw instanceof Y.Map)) throw new ValidationError('', 'stored as a plain value, not a Y.Map');
			// Nested Y types are returned as they are, and fail validation.
			shape = freeze(readStoredShape(id, (key) => raw.get(key)));
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error;
			if (!this.warned.has(id)) {
				this.warned.add(id);
				this.warn(`boardwalk: skipping malformed shape ${id.slice(0, 64)}: ${error.message}`);
			}
		}
		if (!inTransaction) this.cache.set(id, shape);
		return shape;
	}

	/** Stops listening to the doc; the doc itself is left alone. */
	destroy(): void {
		this.doc.off('beforeObserverCalls', this.invalidate);
		this.cache.clear();
	}
}

export function createBoard(doc: Y.Doc, options?: BoardOptions): Board {
	return new Board(doc, options);
}

/**
 * Shapes are shared by the cache, and their arrays are the very arrays Yjs holds: an
 * in-place edit (points.push) would silently fork this client's doc. Freezing turns
 * that bug into an immediate TypeError; write a copy through ops instead.
 */
function freeze(shape: Shape): Shape {
	for (const value of Object.values(shape)) if (Array.isArray(value)) Object.freeze(value);
	return Object.freeze(shape);
}

/**
 * Whether `transaction` has written shape `id` so far: its entry in the shapes map, or a field of its map.
 * Shapes hold no nested types (a nested one fails validation), so these are all the places a write can go.
 */
function touchedIn(transaction: Y.Transaction, shapes: Y.Map<unknown>, id: string, raw: unknown): boolean {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs keys its changes by AbstractType<any>
	if (transaction.changed.get(shapes as Y.AbstractType<any>)?.has(id)) return true;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return raw instanceof Y.Map && transaction.changed.has(raw as Y.AbstractType<any>);
}

/** The id of the shape a changed type belongs to, or null if it is not inside a shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its own graph as AbstractType<any>
function shapeIdOf(shapes: Y.Map<unknown>, type: Y.AbstractType<any>): string | null {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	let current: Y.AbstractType<any> = type;
	for (;;) {
		const item = current._item;
		if (item === null) return null;
		if (item.parent === shapes) return item.parentSub;
		if (!(item.parent instanceof Y.AbstractType)) return null;
		current = item.parent;
	}
}

/** The validated shape with this id, or null if absent or malformed (or, given `type`, of another kind). */
export function getShape(board: Board, id: string): Shape | null;
export function getShape<T extends ShapeType>(board: Board, id: string, type: T): ShapeOf<T> | null;
export function getShape(board: Board, id: string, type?: ShapeType): Shape | null {
	const shape = board.read(id);
	return type === undefined || shape?.type === type ? shape : null;
}

/** Every valid shape, bottom to top. Malformed shapes are skipped (and reported once each). */
export function listShapes(board: Board): Shape[] {
	const shapes: Shape[] = [];
	for (const id of board.shapes.keys()) {
		const shape = board.read(id);
		if (shape) shapes.push(shape);
	}
	return shapes.sort(compareOrder);
}

/** The schema version the doc was written with, or null for a doc nobody has written to yet. */
export function getSchemaVersion(board: Board): number | null {
	const version = board.meta.get(SCHEMA_VERSION_KEY);
	return typeof version === 'number' && Number.isInteger(version) ? version : null;
}

export interface ShapeChanges {
	/** Ids that became visible: created, arrived from a peer, or repaired from malformed. */
	added: string[];
	/** Ids still visible whose fields changed: re-read them with getShape. */
	updated: string[];
	/** Ids no longer visible: deleted, or now malformed. */
	removed: string[];
	/** True when the stacking order may have changed (an index changed, or shapes came or went). */
	orderChanged: boolean;
}

/**
 * Calls `callback` after each transaction that touches shapes, naming exactly the shape ids
 * that changed, so a renderer updates only those nodes. Only valid shapes are ever reported
 * as present. `isLocal` is true for this client's own edits, including undo/redo. Returns
 * an unsubscribe function. Take the initial state with listShapes() before subscribing.
 */
export function observeShapes(
	board: Board,
	callback: (changes: ShapeChanges, isLocal: boolean) => void
): () => void {
	// Unsorted: only membership matters here, and a first sync leaves 10,000 shapes to sort.
	const visible = new Set<string>();
	for (const id of board.shapes.keys()) if (board.read(id) !== null) visible.add(id);
	const handler = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
		const touched = new Set<string>();
		let indexTouched = false;
		// keysChanged, not keys: `keys` builds an { action, oldValue } record per key, 10,000 of them on a
		// first sync, and only the names are needed here (each touched id is read again below).
		for (const event of events) {
			if (event.target === board.shapes) {
				for (const key of (event as Y.YMapEvent<unknown>).keysChanged) if (typeof key === 'string') touched.add(key);
				continue;
			}
			const id = event.path[0];
			if (typeof id !== 'string') continue;
			touched.add(id);
			if (event instanceof Y.YMapEvent && event.path.length === 1 && event.keysChanged.has('index')) indexTouched = true;
		}
		const changes: ShapeChanges = { added: [], updated: [], removed: [], orderChanged: indexTouched };
		for (const id of touched) {
			const valid = board.read(id) !== null;
			if (valid && visible.has(id)) changes.updated.push(id);
			else if (valid) {
				visible.add(id);
				changes.added.push(id);
			} else if (visible.delete(id)) changes.removed.push(id);
		}
		if (changes.added.length > 0 || changes.removed.length > 0) changes.orderChanged = true;
		if (changes.added.length + changes.updated.length + changes.removed.length === 0) return;
		callback(changes, transaction.local);
	};
	board.shapes.observeDeep(handler);
	return () => board.shapes.unobserveDeep(handler);
}
