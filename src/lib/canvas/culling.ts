/** Viewport culling without Konva: a uniform grid of shape bounds, and the set of shapes in view kept up to date per shape and per camera move. */
import { boxesOverlap, type Box } from '$lib/shared/model/geometry';

/** Board units per grid cell: a few cells cover a screen at 100 %, so a view touches few cells and a shape few. */
export const CELL_SIZE = 512;
/** A shape covering more cells than this is kept in one list checked on every query, not in thousands of cells. */
export const MAX_CELLS_PER_SHAPE = 64;
/** Cell coordinates beyond ±this are out of the grid's key range: such shapes go to the big list too. */
const MAX_CELL_COORD = 2 ** 20;

interface CellRange {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

function cellRange(box: Box): CellRange {
	return {
		x0: Math.floor(box.x / CELL_SIZE),
		y0: Math.floor(box.y / CELL_SIZE),
		x1: Math.floor((box.x + box.w) / CELL_SIZE),
		y1: Math.floor((box.y + box.h) / CELL_SIZE)
	};
}

function cellCount(r: CellRange): number {
	return (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1);
}

function inGrid(r: CellRange): boolean {
	return Math.max(-r.x0, -r.y0, r.x1, r.y1) < MAX_CELL_COORD;
}

/** One number per cell, so lookups allocate no strings. */
function cellKey(cx: number, cy: number): number {
	return (cx + MAX_CELL_COORD) * (2 * MAX_CELL_COORD) + (cy + MAX_CELL_COORD);
}

/** Shape bounds by id, bucketed in grid cells: which shapes may intersect a box, without looking at the others. */
export class SpatialIndex {
	readonly #bounds = new Map<string, Box>();
	readonly #cells = new Map<number, Set<string>>();
	/** Shapes too big (or too far out) for the grid. */
	readonly #big = new Set<string>();

	get size(): number {
		return this.#bounds.size;
	}

	bounds(id: string): Box | undefined {
		return this.#bounds.get(id);
	}

	set(id: string, box: Box): void {
		const before = this.#bounds.get(id);
		if (before && before.x === box.x && before.y === box.y && before.w === box.w && before.h === box.h) return;
		if (before) this.#unlink(id, before);
		this.#bounds.set(id, box);
		const range = cellRange(box);
		if (cellCount(range) > MAX_CELLS_PER_SHAPE || !inGrid(range)) {
			this.#big.add(id);
			return;
		}
		for (let cx = range.x0; cx <= range.x1; cx++) {
			for (let cy = range.y0; cy <= range.y1; cy++) {
				const key = cellKey(cx, cy);
				let cell = this.#cells.get(key);
				if (!cell) this.#cells.set(key, (cell = new Set()));
				cell.add(id);
			}
		}
	}

	delete(id: string): void {
		const before = this.#bounds.get(id);
		if (!before) return;
		this.#unlink(id, before);
		this.#bounds.delete(id);
	}

	/** Calls `found` once for each shape whose bounds intersect `box` (touching edges count). */
	query(box: Box, found: (id: string) => void): void {
		const range = cellRange(box);
		if (cellCount(range) > this.#cells.size || !inGrid(range)) {
			// The box covers more cells than hold shapes: every shape is a candidate anyway.
			for (const [id, bounds] of this.#bounds) if (boxesOverlap(bounds, box)) found(id);
			return;
		}
		// A shape in several cells must be reported once: only from the first of its cells inside the range.
		for (let cx = range.x0; cx <= range.x1; cx++) {
			for (let cy = range.y0; cy <= range.y1; cy++) {
				const cell = this.#cells.get(cellKey(cx, cy));
				if (!cell) continue;
				for (const id of cell) {
					const bounds = this.#bounds.get(id)!;
					if (!boxesOverlap(bounds, box)) continue;
					const ownX0 = Math.floor(bounds.x / CELL_SIZE);
					const ownY0 = Math.floor(bounds.y / CELL_SIZE);
					if (Math.max(ownX0, range.x0) === cx && Math.max(ownY0, range.y0) === cy) found(id);
				}
			}
		}
		for (const id of this.#big) if (boxesOverlap(this.#bounds.get(id)!, box)) found(id);
	}

	#unlink(id: string, box: Box): void {
		if (this.#big.delete(id)) return;
		const range = cellRange(box);
		for (let cx = range.x0; cx <= range.x1; cx++) {
			for (let cy = range.y0; cy <= range.y1; cy++) {
				const key = cellKey(cx, cy);
				const cell = this.#cells.get(key);
				cell?.delete(id);
				if (cell?.size === 0) this.#cells.delete(key);
			}
		}
	}
}

export interface ViewChange {
	entered: string[];
	left: string[];
}

/** The shapes whose bounds intersect the view, kept in step as the view moves and shapes change. */
export class VisibleSet {
	readonly index = new SpatialIndex();
	#visible = new Set<string>();
	#view: Box | null = null;

	has(id: string): boolean {
		return this.#visible.has(id);
	}

	get size(): number {
		return this.#visible.size;
	}

	get view(): Box | null {
		return this.#view;
	}

	/** A new view: which shapes came into it and which went out. */
	setView(view: Box): ViewChange {
		this.#view = view;
		const next = new Set<string>();
		this.index.query(view, (id) => next.add(id));
		const entered: string[] = [];
		const left: string[] = [];
		for (const id of next) if (!this.#visible.has(id)) entered.push(id);
		for (const id of this.#visible) if (!next.has(id)) left.push(id);
		this.#visible = next;
		return { entered, left };
	}

	/** A shape appeared or changed: stores its bounds and returns whether it is in view now. */
	set(id: string, bounds: Box): boolean {
		this.index.set(id, bounds);
		const inView = this.#view !== null && boxesOverlap(bounds, this.#view);
		if (inView) this.#visible.add(id);
		else this.#visible.delete(id);
		return inView;
	}

	delete(id: string): void {
		this.index.delete(id);
		this.#visible.delete(id);
	}
}
