/**
 * Other people's selections: an outline in each person's colour around every shape they have selected,
 * or, for a selection shared as a box (too many shapes to share by id), one dashed outline around it all.
 */
import Konva from '$lib/canvas/konva';
import { localBox, type Box, type Shape } from '$lib/board';

/** Gap between a shape and a peer's outline (outside your own selection handles' 4 px padding), and its width, in screen pixels. */
const OUTLINE_GAP_PX = 7;
const OUTLINE_WIDTH_PX = 2;

export interface PeerSelection {
	clientId: number;
	color: string;
	ids: readonly string[];
	/** The box around a selection shared without its ids, or null. */
	box: Box | null;
}

export interface DrawnBox extends Box {
	clientId: number;
	color: string;
}

/**
 * One Konva layer of outlines, kept in step incrementally: a peer's selection change touches
 * only that peer's outlines, a shape change only the outlines around that shape.
 */
export class PeerSelections {
	readonly layer = new Konva.Layer({ listening: false, visible: false });
	#suspended = false;
	/** shape id → (client id → outline). */
	readonly #outlines = new Map<string, Map<number, Konva.Rect>>();
	/** client id → the selection last drawn for them. */
	readonly #drawn = new Map<number, { color: string; ids: Set<string> }>();
	/** client id → the outline of their selection's box (board units, without the gap). */
	readonly #boxes = new Map<number, { rect: Konva.Rect; box: Box }>();
	readonly #shapeOf: (id: string) => Shape | undefined;
	#zoom = 1;

	constructor(shapeOf: (id: string) => Shape | undefined) {
		this.#shapeOf = shapeOf;
	}

	/** Everyone's current selection; people missing from the list have none. */
	set(selections: readonly PeerSelection[]): void {
		const seen = new Set<number>();
		let dirty = false;
		for (const { clientId, color, ids, box } of selections) {
			seen.add(clientId);
			if (this.#setBox(clientId, color, box)) dirty = true;
			const before = this.#drawn.get(clientId);
			const next = new Set(ids);
			// Most awareness changes are pointer moves: an unchanged selection touches nothing.
			if (before && before.color === color && before.ids.size === next.size && ids.every((id) => before.ids.has(id))) {
				continue;
			}
			for (const id of before?.ids ?? []) if (!next.has(id) || before!.color !== color) this.#remove(id, clientId);
			for (const id of next) if (!before?.ids.has(id) || before.color !== color) this.#add(id, clientId, color);
			this.#drawn.set(clientId, { color, ids: next });
			dirty = true;
		}
		for (const clientId of this.#boxes.keys()) {
			if (!seen.has(clientId) && this.#setBox(clientId, '', null)) dirty = true;
		}
		for (const [clientId, { ids }] of this.#drawn) {
			if (seen.has(clientId)) continue;
			for (const id of ids) this.#remove(id, clientId);
			this.#drawn.delete(clientId);
			dirty = true;
		}
		if (dirty) this.#redraw();
	}

	/** Shapes that changed (moved, resized, removed, appeared): re-fit only their outlines. */
	shapesChanged(ids: Iterable<string>): void {
		let dirty = false;
		for (const id of ids) {
			const outlines = this.#outlines.get(id);
			if (!outlines) continue;
			for (const rect of outlines.values()) this.#fit(rect, id);
			dirty = true;
		}
		if (dirty) this.#redraw();
	}

	/** The gap is in screen pixels, so it changes with the zoom. */
	setZoom(zoom: number): void {
		if (zoom === this.#zoom) return;
		this.#zoom = zoom;
		for (const { rect, box } of this.#boxes.values()) this.#fitBox(rect, box);
		this.shapesChanged([...this.#outlines.keys()]);
		if (this.#boxes.size > 0) this.#redraw();
	}

	/** For tests: the box outlines drawn for selections shared as a box. */
	boxes(): DrawnBox[] {
		return [...this.#boxes].map(([clientId, { rect, box }]) => ({ clientId, color: rect.stroke() as string, ...box }));
	}

	/** For tests: which shapes each person's outlines are drawn around (visible ones only). */
	drawn(): { clientId: number; color: string; id: string }[] {
		const out: { clientId: number; color: string; id: string }[] = [];
		for (const [id, outlines] of this.#outlines) {
			for (const [clientId, rect] of outlines) if (rect.visible()) out.push({ clientId, color: rect.stroke() as string, id });
		}
		return out;
	}

	/** Kept hidden whatever is selected (while a version is on show instead of the live board). */
	set suspended(value: boolean) {
		this.#suspended = value;
		this.#redraw();
	}

	destroy(): void {
		this.layer.destroy();
		this.#outlines.clear();
		this.#drawn.clear();
		this.#boxes.clear();
	}

	/** Hidden while nobody else selects anything: an empty full-window canvas still costs a blend per frame. */
	#redraw(): void {
		this.layer.visible((this.#outlines.size > 0 || this.#boxes.size > 0) && !this.#suspended);
		this.layer.batchDraw();
	}

	/** Draws, moves or removes one person's box outline; true when something changed. */
	#setBox(clientId: number, color: string, box: Box | null): boolean {
		const before = this.#boxes.get(clientId);
		if (!box) {
			if (!before) return false;
			before.rect.destroy();
			this.#boxes.delete(clientId);
			return true;
		}
		const b = before?.box;
		if (before && before.rect.stroke() === color && b!.x === box.x && b!.y === box.y && b!.w === box.w && b!.h === box.h) return false;
		const rect = before?.rect ?? new Konva.Rect({ strokeWidth: OUTLINE_WIDTH_PX, strokeScaleEnabled: false, dash: [6, 4], cornerRadius: 2, listening: false });
		if (!before) this.layer.add(rect);
		rect.stroke(color);
		const copy = { x: box.x, y: box.y, w: box.w, h: box.h };
		this.#boxes.set(clientId, { rect, box: copy });
		this.#fitBox(rect, copy);
		return true;
	}

	#fitBox(rect: Konva.Rect, box: Box): void {
		const gap = OUTLINE_GAP_PX / this.#zoom;
		rect.setAttrs({ x: box.x - gap, y: box.y - gap, width: box.w + 2 * gap, height: box.h + 2 * gap });
	}

	#add(id: string, clientId: number, color: string): void {
		let outlines = this.#outlines.get(id);
		if (!outlines) this.#outlines.set(id, (outlines = new Map()));
		const rect = new Konva.Rect({
			stroke: color,
			strokeWidth: OUTLINE_WIDTH_PX,
			strokeScaleEnabled: false,
			cornerRadius: 2,
			listening: false
		});
		outlines.set(clientId, rect);
		this.layer.add(rect);
		this.#fit(rect, id);
	}

	#remove(id: string, clientId: number): void {
		const outlines = this.#outlines.get(id);
		outlines?.get(clientId)?.destroy();
		outlines?.delete(clientId);
		if (outlines?.size === 0) this.#outlines.delete(id);
	}

	/** Around the shape's own (rotated) box; hidden while the shape is not on this board (yet). */
	#fit(rect: Konva.Rect, id: string): void {
		const shape = this.#shapeOf(id);
		if (!shape) {
			rect.visible(false);
			return;
		}
		// Two people selecting one shape: the second outline sits just outside the first.
		const rank = [...(this.#outlines.get(id)?.values() ?? [])].indexOf(rect);
		const gap = (OUTLINE_GAP_PX + Math.max(0, rank) * (OUTLINE_WIDTH_PX + 1)) / this.#zoom;
		const box = localBox(shape);
		rect.setAttrs({
			visible: true,
			x: shape.x,
			y: shape.y,
			rotation: shape.rotation,
			offsetX: -(box.x - gap),
			offsetY: -(box.y - gap),
			width: box.w + 2 * gap,
			height: box.h + 2 * gap
		});
	}
}
