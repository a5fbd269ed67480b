/**
 * Incremental reconciliation with viewport culling: one Konva node per shape in view (plus pinned ones),
 * kept in sync with the board; a change touches only the changed shapes' nodes, a camera move only the
 * nodes that enter or leave the view. A dense, zoomed-out view is painted as an overview instead (overview.ts).
 */
import type Konva from '$lib/canvas/konva';
import { compareOrder, getShape, listShapes, observeShapes, shapeBounds, type Board, type Box, type Shape, type ShapeChanges } from '$lib/board';
import { VisibleSet } from '$lib/canvas/culling';
import { wantsOverview } from '$lib/canvas/overview';
import { OverviewBitmap } from '$lib/canvas/overview-bitmap';
import { createNode, updateNode } from '$lib/canvas/shapes';
import { NO_IMAGES, type RenderContext } from '$lib/canvas/images';

/** Above this many nodes attached, detached or moved at once, re-sorting the layer's children is cheaper than moving nodes one by one. */
const BULK_REORDER_THRESHOLD = 32;

/** Node operations since the scene was built: lets tests prove that a change touched only its own nodes. */
export interface RenderStats {
	created: number;
	updated: number;
	destroyed: number;
}

/** Layer edits collected while applying a change, committed in one go. */
interface LayerEdit {
	attach: Konva.Group[];
	detach: Konva.Group[];
	moved: Konva.Group[];
	/** A node on the layer changed: the layer needs a draw. */
	dirty: boolean;
}

const emptyEdit = (): LayerEdit => ({ attach: [], detach: [], moved: [], dirty: false });

export class ShapeScene {
	readonly stats: RenderStats = { created: 0, updated: 0, destroyed: 0 };
	readonly #layer: Konva.Layer;
	readonly #board: Board;
	/** Nodes built so far, on the layer or not: a shape scrolled out of view keeps its node for when it comes back. */
	readonly #nodes = new Map<string, Konva.Group>();
	/** The shape each id currently shows (from the doc or a local draft), in view or not: used to order nodes. */
	readonly #shown = new Map<string, Shape>();
	readonly #visible = new VisibleSet();
	/** Shapes kept on the layer wherever the view is (the selection's Transformer and hidden text need their nodes). */
	#pinned = new Set<string>();
	/**
	 * Shapes changed here during an overview (drafts: being drawn, moved, resized): drawn as nodes until the
	 * overview ends, so a gesture repaints one node a frame, not the whole overview bitmap.
	 */
	readonly #live = new Set<string>();
	/** Whether the view is drawn as an overview: then only pinned and live shapes have nodes on the layer. */
	#overview = false;
	#zoom: number;
	/** Every shown id in stacking order, for the overview; null after a change to the order. */
	#order: string[] | null = null;
	readonly #bitmap = new OverviewBitmap(() => this.#layer.batchDraw());
	readonly #unobserve: () => void;
	readonly #onChange: (changes: ShapeChanges, isLocal: boolean) => void;
	/** Ids shown from a preview, not (yet) from the doc: the doc's shapes replace them as they arrive. */
	#previewIds: Set<string> | null = null;
	/** Shapes on the board according to the preview (it holds only those in view); null when none is on show. */
	#previewTotal: number | null = null;
	readonly #context: RenderContext;
	readonly #unwatchImages: () => void;
	/**
	 * Called with each doc change before its nodes are touched: the canvas lets go of nodes the change
	 * will update or destroy in bulk, so the Transformer does not re-measure its box once per node.
	 */
	beforeApply: ((changes: ShapeChanges) => void) | null = null;

	constructor(
		layer: Konva.Layer,
		board: Board,
		onChange: (changes: ShapeChanges, isLocal: boolean) => void = () => {},
		view: Box | null = null,
		zoom = 1,
		context: RenderContext = { images: NO_IMAGES }
	) {
		this.#context = context;
		// An image that loads (or turns out missing) redraws the nodes showing it, nothing else.
		this.#unwatchImages = context.images.onChange((hash) => this.#refreshImage(hash));
		this.#layer = layer;
		this.#board = board;
		this.#onChange = onChange;
		this.#zoom = zoom;
		if (view) this.#visible.setView(view);
		// listShapes is in stacking order: the nodes in view go onto the layer in one pass, already sorted.
		const shapes = listShapes(board);
		for (const shape of shapes) this.#store(shape);
		this.#order = shapes.map((shape) => shape.id);
		this.#overview = wantsOverview(false, zoom, this.#visible.size);
		const inView: Konva.Group[] = [];
		for (const shape of shapes) if (this.#wanted(shape.id)) inView.push(this.#create(shape));
		this.#layer.add(...inView);
		// After the dot grid's (BoardCanvas makes that first) and before Konva draws the nodes.
		this.#layer.on('beforeDraw', () => this.#paintOverview());
		this.#unobserve = observeShapes(board, (changes, isLocal) => {
			this.beforeApply?.(changes);
			this.apply(changes);
			this.#onChange(changes, isLocal);
		});
		this.#layer.batchDraw();
	}

	/** Applies one transaction's changes: only the named shapes' nodes are created, updated, removed or moved. */
	apply(changes: ShapeChanges): void {
		const edit = emptyEdit();
		for (const id of changes.removed) if (this.#remove(id)) edit.dirty = true;
		for (const id of changes.added) this.#upsert(id, getShape(this.#board, id), edit);
		for (const id of changes.updated) this.#upsert(id, getShape(this.#board, id), edit);
		this.#commit(edit);
	}

	/**
	 * Shows the server's preview of the board (GET /preview: the shapes in view, of `total`) while the
	 * board has no shapes yet: the board appears while the Yjs sync is still being decoded. The doc's
	 * shapes replace these as they arrive (same ids); `endPreview` drops those the doc turned out not
	 * to have. False if not shown.
	 */
	preview(shapes: readonly Shape[], total: number): boolean {
		if (this.#shown.size > 0 || this.#previewIds) return false;
		const edit = emptyEdit();
		this.#previewIds = new Set();
		this.#previewTotal = total;
		for (const shape of shapes) {
			this.#previewIds.add(shape.id);
			this.#store(shape);
		}
		this.#order = null;
		for (const shape of shapes) this.#place(shape.id, false, edit);
		this.#commit(edit);
		return true;
	}

	/** While a preview is on show (until `endPreview`): the shapes on the board according to it. */
	get previewTotal(): number | null {
		return this.#previewTotal;
	}

	/** The doc has synced: preview shapes it does not hold (deleted meanwhile) go. */
	endPreview(): void {
		const ids = this.#previewIds;
		if (!ids) return;
		this.#previewIds = null;
		this.#previewTotal = null;
		const edit = emptyEdit();
		for (const id of ids) if (!getShape(this.#board, id) && this.#remove(id)) edit.dirty = true;
		this.#commit(edit);
	}

	/** The board area in view (board units) at `zoom`: nodes are built and put on the layer only for shapes that intersect it. */
	setView(view: Box, zoom = this.#zoom): void {
		this.#zoom = zoom;
		const { entered, left } = this.#visible.setView(view);
		const edit = emptyEdit();
		// The layer is redrawn on every camera move: the overview repaints with it.
		for (const id of entered) this.#place(id, false, edit);
		for (const id of left) this.#place(id, false, edit);
		this.#commit(edit);
	}

	/** Keeps these shapes' nodes on the layer even out of view; the previous pins are released. */
	pin(ids: Iterable<string>): void {
		const before = this.#pinned;
		this.#pinned = new Set(ids);
		// The overview leaves pinned shapes to their nodes: the ones that changed sides must be repainted.
		for (const id of before) if (!this.#pinned.has(id) && !this.#live.has(id)) this.#bitmap.invalidate(this.#visible.index.bounds(id));
		for (const id of this.#pinned) if (!before.has(id) && !this.#live.has(id)) this.#bitmap.invalidate(this.#visible.index.bounds(id));
		const edit = emptyEdit();
		for (const id of before) if (!this.#pinned.has(id)) this.#place(id, false, edit);
		for (const id of this.#pinned) if (!before.has(id)) this.#place(id, false, edit);
		this.#commit(edit);
	}

	/**
	 * Shows a shape as the local user is shaping it, before (or between) throttled doc
	 * writes, so drawing feels immediate. The next doc change for the id overrides it.
	 */
	draft(shape: Shape, drawing = false): void {
		this.draftMany([shape], drawing);
	}

	/** Drafts of many shapes at once (a group being dragged): one layer edit, not one per shape. */
	draftMany(shapes: readonly Shape[], drawing = false): void {
		const edit = emptyEdit();
		for (const shape of shapes) {
			if (this.#overview && !this.#live.has(shape.id)) {
				// It leaves the bitmap for a node of its own.
				this.#bitmap.invalidate(this.#visible.index.bounds(shape.id));
				this.#live.add(shape.id);
			}
			this.#upsert(shape.id, shape, edit, drawing);
		}
		this.#commit(edit);
	}

	/** Drops a draft that never reached the doc, or restores a node to its stored state. */
	resetDraft(id: string): void {
		const edit = emptyEdit();
		const stored = getShape(this.#board, id);
		if (stored) this.#upsert(id, stored, edit);
		else if (this.#remove(id)) edit.dirty = true;
		this.#commit(edit);
	}

	/** The shape's node if it is on the layer (in view or pinned). */
	node(id: string): Konva.Group | undefined {
		const node = this.#nodes.get(id);
		return node?.getParent() ? node : undefined;
	}

	/** The shape a node currently shows: the stored one, or a local draft ahead of it (in view or not). */
	shown(id: string): Shape | undefined {
		return this.#shown.get(id);
	}

	/** Shape nodes on the layer, i.e. drawn as nodes: the shapes in view plus pinned ones (pinned only, in an overview). */
	get size(): number {
		return this.#layer.getChildren().length;
	}

	/** Shapes in view painted by the overview pass (0 when not in an overview). */
	get overviewDrawn(): number {
		if (!this.#overview) return 0;
		let nodesInView = 0;
		for (const id of this.#pinned) if (this.#visible.has(id)) nodesInView++;
		for (const id of this.#live) if (this.#visible.has(id) && !this.#pinned.has(id)) nodesInView++;
		return this.#visible.size - nodesInView;
	}

	/** Shapes the scene knows, drawn or not. */
	get shapeCount(): number {
		return this.#shown.size;
	}

	destroy(): void {
		this.#unobserve();
		this.#unwatchImages();
		this.#bitmap.release();
		for (const node of this.#nodes.values()) node.destroy();
		this.#nodes.clear();
		this.#shown.clear();
	}

	#refreshImage(hash: string): void {
		let dirty = false;
		for (const [id, node] of this.#nodes) {
			const shape = this.#shown.get(id);
			if (shape?.type !== 'image' || shape.hash !== hash) continue;
			updateNode(node, shape, false, this.#context);
			if (node.getParent()) dirty = true;
		}
		if (dirty) this.#layer.batchDraw();
	}

	#upsert(id: string, shape: Shape | null, edit: LayerEdit, drawing = false): void {
		if (!shape) return;
		const before = this.#shown.get(id);
		const orderChanged = before === undefined || before.index !== shape.index;
		if (orderChanged) this.#order = null;
		const wasVisible = this.#visible.has(id);
		const onBitmap = !this.#nodeOnly(id);
		if (onBitmap) this.#bitmap.invalidate(this.#visible.index.bounds(id));
		if (this.#store(shape, drawing)) edit.dirty = true;
		if (onBitmap) this.#bitmap.invalidate(this.#visible.index.bounds(id));
		// In an overview, a shape in view (or one that just left it) is painted by the overview pass.
		if (this.#overview && (wasVisible || this.#visible.has(id))) edit.dirty = true;
		this.#place(id, orderChanged, edit);
	}

	/** Records the shape and its bounds and brings an existing node up to date; true if that node is on the layer. */
	#store(shape: Shape, drawing = false): boolean {
		this.#shown.set(shape.id, shape);
		this.#visible.set(shape.id, shapeBounds(shape));
		const node = this.#nodes.get(shape.id);
		if (!node) return false;
		const attached = node.getParent() !== null;
		if (updateNode(node, shape, drawing, this.#context)) {
			this.stats.updated++;
			return attached;
		}
		// Built for another kind (a delete and re-add under the same id): #place builds a new one.
		node.destroy();
		this.stats.destroyed++;
		this.#nodes.delete(shape.id);
		return attached;
	}

	#create(shape: Shape): Konva.Group {
		const node = createNode(shape, this.#context);
		this.stats.created++;
		this.#nodes.set(shape.id, node);
		return node;
	}

	#wanted(id: string): boolean {
		if (this.#pinned.has(id)) return this.#shown.has(id);
		return this.#visible.has(id) && (!this.#overview || this.#live.has(id));
	}

	/** Drawn as a node even in an overview, never on its bitmap. */
	#nodeOnly(id: string): boolean {
		return this.#pinned.has(id) || this.#live.has(id);
	}

	/** Decides whether the shape's node belongs on the layer, building it on first sight. */
	#place(id: string, orderChanged: boolean, edit: LayerEdit): void {
		const node = this.#nodes.get(id);
		const attached = node?.getParent() != null;
		if (this.#wanted(id)) {
			if (!attached) edit.attach.push(node ?? this.#create(this.#shown.get(id)!));
			else if (orderChanged) edit.moved.push(node!);
		} else if (attached) {
			edit.detach.push(node!);
		}
	}

	/** Returns true if the layer must be drawn again: the shape's node was on it, or the overview painted it. */
	#remove(id: string): boolean {
		const node = this.#nodes.get(id);
		const attached = node?.getParent() != null || (this.#overview && this.#visible.has(id));
		this.#order = null;
		if (!this.#nodeOnly(id)) this.#bitmap.invalidate(this.#visible.index.bounds(id));
		this.#live.delete(id);
		if (node) {
			this.stats.destroyed++;
			node.destroy();
		}
		this.#nodes.delete(id);
		this.#shown.delete(id);
		this.#visible.delete(id);
		return attached;
	}

	#compare = (a: Konva.Node, b: Konva.Node): number => {
		const sa = this.#shown.get(a.id());
		const sb = this.#shown.get(b.id());
		return sa && sb ? compareOrder(sa, sb) : 0;
	};

	/** Switches between nodes and the overview when the view's density crosses the thresholds (overview.ts). */
	#updateMode(edit: LayerEdit): void {
		const overview = wantsOverview(this.#overview, this.#zoom, this.#visible.size);
		if (overview === this.#overview) return;
		this.#overview = overview;
		edit.dirty = true;
		this.#bitmap.release();
		this.#live.clear();
		if (overview) {
			edit.attach = edit.attach.filter((node) => this.#wanted(node.id()));
			edit.moved = edit.moved.filter((node) => this.#wanted(node.id()));
			for (const child of this.#layer.getChildren()) if (!this.#wanted(child.id())) edit.detach.push(child as Konva.Group);
		} else {
			const attaching = new Set(edit.attach.map((node) => node.id()));
			for (const id of this.#visibleIds()) if (!attaching.has(id)) this.#place(id, false, edit);
		}
	}

	#visibleIds(): string[] {
		const ids: string[] = [];
		for (const id of this.#shown.keys()) if (this.#visible.has(id)) ids.push(id);
		return ids;
	}

	/** The overview pass: the shapes in view that have no node, from the overview's bitmap. */
	#paintOverview(): void {
		const view = this.#visible.view;
		if (!this.#overview || !view) return;
		const canvas = this.#layer.getCanvas();
		const context = canvas.getContext()._context;
		context.save();
		context.setTransform(1, 0, 0, 1, 0, 0);
		const matrix = this.#layer.getAbsoluteTransform().getMatrix();
		this.#bitmap.draw(context, matrix, canvas.getPixelRatio(), view, this.#zoom, (box) => this.#overviewShapes(box));
		context.restore();
	}

	/** The shapes within `box` that have no node, bottom to top. */
	#overviewShapes(box: Box): Shape[] {
		const inBox = new Set<string>();
		this.#visible.index.query(box, (id) => inBox.add(id));
		this.#order ??= [...this.#shown.values()].sort(compareOrder).map((shape) => shape.id);
		const shapes: Shape[] = [];
		for (const id of this.#order) {
			if (!inBox.has(id) || this.#nodeOnly(id)) continue;
			const shape = this.#shown.get(id);
			if (shape) shapes.push(shape);
		}
		return shapes;
	}

	/** Puts the collected nodes on or off the layer, keeping its children in (index, id) order. */
	#commit(edit: LayerEdit): void {
		this.#updateMode(edit);
		const { attach, detach, moved } = edit;
		const count = attach.length + detach.length + moved.length;
		if (count > BULK_REORDER_THRESHOLD) {
			// One pass instead of many: removing or moving a child one by one renumbers all the others each time.
			const leaving = new Set(detach);
			const children = this.#layer.getChildren().filter((child) => !leaving.has(child as Konva.Group));
			children.push(...attach);
			children.sort(this.#compare);
			this.#layer.removeChildren();
			this.#layer.add(...children);
		} else if (count > 0) {
			for (const node of detach) node.remove();
			for (const node of moved) node.remove();
			for (const node of [...moved, ...attach]) this.#insert(node);
		}
		if (count > 0 || edit.dirty) this.#layer.batchDraw();
	}

	/** Adds a node at its place in (index, id) order: binary search over the (sorted) children. */
	#insert(node: Konva.Group): void {
		const children = this.#layer.getChildren();
		const end = children.length;
		let lo = 0;
		let hi = end;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.#compare(children[mid]!, node) < 0) lo = mid + 1;
			else hi = mid;
		}
		this.#layer.add(node);
		if (lo < end) node.zIndex(lo);
	}
}
