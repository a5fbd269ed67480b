/** Incremental reconciliation: keeps one Konva node per shape in sync with the board, touching only shapes that changed. */
import type Konva from 'konva';
import { compareOrder, getShape, listShapes, observeShapes, type Board, type Shape, type ShapeChanges } from '$lib/board';
import { createNode, updateNode } from './shapes';

/** Above this many reordered nodes a full re-sort is cheaper than moving nodes one by one. */
const BULK_REORDER_THRESHOLD = 32;

/** Node operations since the scene was built: lets tests prove that a change touched only its own nodes. */
export interface RenderStats {
	created: number;
	updated: number;
	destroyed: number;
}

export class ShapeScene {
	readonly stats: RenderStats = { created: 0, updated: 0, destroyed: 0 };
	readonly #layer: Konva.Layer;
	readonly #board: Board;
	readonly #nodes = new Map<string, Konva.Group>();
	/** The shape each node currently shows (from the doc or a local draft): used to order nodes. */
	readonly #shown = new Map<string, Shape>();
	readonly #unobserve: () => void;
	readonly #onChange: (changes: ShapeChanges, isLocal: boolean) => void;

	constructor(layer: Konva.Layer, board: Board, onChange: (changes: ShapeChanges, isLocal: boolean) => void = () => {}) {
		this.#layer = layer;
		this.#board = board;
		this.#onChange = onChange;
		for (const shape of listShapes(board)) this.#upsert(shape);
		this.#unobserve = observeShapes(board, (changes, isLocal) => {
			this.apply(changes);
			this.#onChange(changes, isLocal);
		});
		this.#layer.batchDraw();
	}

	/** Applies one transaction's changes: only the named nodes are created, updated, removed or moved. */
	apply(changes: ShapeChanges): void {
		for (const id of changes.removed) this.#remove(id);
		const touched: string[] = [];
		for (const id of [...changes.added, ...changes.updated]) {
			const shape = getShape(this.#board, id);
			if (!shape) continue;
			const before = this.#shown.get(id);
			this.#upsert(shape);
			if (!before || before.index !== shape.index) touched.push(id);
		}
		if (changes.orderChanged) this.#reorder(touched);
		this.#layer.batchDraw();
	}

	/**
	 * Shows a shape as the local user is shaping it, before (or between) throttled doc
	 * writes, so drawing feels immediate. The next doc change for the id overrides it.
	 */
	draft(shape: Shape, drawing = false): void {
		const existed = this.#nodes.has(shape.id);
		this.#upsert(shape, drawing);
		if (!existed) this.#reorder([shape.id]);
		this.#layer.batchDraw();
	}

	/** Drops a draft that never reached the doc, or restores a node to its stored state. */
	resetDraft(id: string): void {
		const stored = getShape(this.#board, id);
		if (stored) this.#upsert(stored);
		else this.#remove(id);
		this.#layer.batchDraw();
	}

	node(id: string): Konva.Group | undefined {
		return this.#nodes.get(id);
	}

	/** The shape a node currently shows: the stored one, or a local draft ahead of it. */
	shown(id: string): Shape | undefined {
		return this.#shown.get(id);
	}

	get size(): number {
		return this.#nodes.size;
	}

	destroy(): void {
		this.#unobserve();
		for (const node of this.#nodes.values()) node.destroy();
		this.#nodes.clear();
		this.#shown.clear();
	}

	#upsert(shape: Shape, drawing = false): void {
		let node = this.#nodes.get(shape.id);
		if (node && !updateNode(node, shape, drawing)) {
			node.destroy();
			this.stats.destroyed++;
			node = undefined;
		} else if (node) this.stats.updated++;
		if (!node) {
			node = createNode(shape);
			this.stats.created++;
			this.#nodes.set(shape.id, node);
			this.#layer.add(node);
		}
		this.#shown.set(shape.id, shape);
	}

	#remove(id: string): void {
		const node = this.#nodes.get(id);
		if (node) this.stats.destroyed++;
		node?.destroy();
		this.#nodes.delete(id);
		this.#shown.delete(id);
	}

	#compare = (a: Konva.Node, b: Konva.Node): number => {
		const sa = this.#shown.get(a.id());
		const sb = this.#shown.get(b.id());
		return sa && sb ? compareOrder(sa, sb) : 0;
	};

	/** Moves the given nodes to their place in (index, id) order; the rest are already in order. */
	#reorder(ids: string[]): void {
		if (ids.length > BULK_REORDER_THRESHOLD) {
			const sorted = [...this.#layer.getChildren()].sort(this.#compare);
			this.#layer.removeChildren();
			this.#layer.add(...sorted);
			return;
		}
		for (const id of ids) {
			const node = this.#nodes.get(id);
			if (!node) continue;
			const others = this.#layer.getChildren().filter((child) => child !== node);
			// Binary search for the first node that sorts after this one.
			let lo = 0;
			let hi = others.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (this.#compare(others[mid]!, node) < 0) lo = mid + 1;
				else hi = mid;
			}
			node.zIndex(lo);
		}
	}
}
