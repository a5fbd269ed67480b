/**
 * Your own selection and hover, shape by shape: with several shapes selected each one is outlined (inside
 * the Transformer's box around them all), and under the select tool the shape beneath the mouse gets a
 * hover outline. Each is one Konva shape drawing one path, of the shapes in view only, so 10,000 selected
 * shapes cost a bounds test each per draw, not 10,000 nodes.
 */
import Konva from '$lib/canvas/konva';
import type { Box, Shape } from '$lib/board';
import { outlineCorners, outlinesInView, type Outline } from '$lib/view/outlines';

const ACCENT = '#6965db';
/** Stroke widths in screen pixels: hover a little stronger than the selection's thin lines, as in tldraw. */
const SELECTED_WIDTH_PX = 1;
const HOVER_WIDTH_PX = 2;
/** How far outside each shape's box its outline runs, in screen pixels: clear of the shape's own stroke. */
const OUTLINE_GAP_PX = 3;

export class SelectionOutlines {
	/** Every selected shape's outline (shown while two or more are selected). */
	readonly selected: Konva.Shape;
	/** The outline of the shape under the mouse. */
	readonly hover: Konva.Shape;
	readonly #shapeOf: (id: string) => Shape | undefined;
	readonly #cache = new WeakMap<Shape, Outline>();
	#ids: readonly string[] = [];
	#idSet = new Set<string>();
	#hoverId: string | null = null;
	#view: Box | null = null;
	#zoom = 1;

	constructor(shapeOf: (id: string) => Shape | undefined) {
		this.#shapeOf = shapeOf;
		this.selected = this.#pathShape(SELECTED_WIDTH_PX, () => this.#selectedOutlines());
		this.hover = this.#pathShape(HOVER_WIDTH_PX, () => this.#hoverOutlines());
	}

	/** The selection to outline; `show` false (one shape, another tool, typing) hides it. */
	setSelection(ids: readonly string[], show: boolean): void {
		this.#ids = ids;
		this.#idSet = new Set(ids);
		this.selected.visible(show && ids.length > 1);
	}

	/** The shape under the mouse, or null; a selected shape is not hovered (its outline or handles already show it). */
	setHover(id: string | null): void {
		this.#hoverId = id;
		this.hover.visible(id !== null);
	}

	/** The board area on screen: outlines are drawn for the shapes that meet it (their gap is in screen pixels). */
	setView(view: Box, zoom: number): void {
		this.#view = view;
		this.#zoom = zoom;
	}

	/** For tests: how many shapes are outlined as selected, and which one as hovered (what the next draw shows). */
	drawn(): { selected: number; hover: string | null } {
		const selected = this.selected.visible() ? this.#selectedOutlines().length : 0;
		const hover = this.hover.visible() && this.#hoverOutlines().length > 0 ? this.#hoverId : null;
		return { selected, hover };
	}

	get visible(): boolean {
		return this.selected.visible() || this.hover.visible();
	}

	#selectedOutlines(): Outline[] {
		const shapes: Shape[] = [];
		for (const id of this.#ids) {
			const shape = this.#shapeOf(id);
			if (shape) shapes.push(shape);
		}
		return outlinesInView(shapes, this.#view, this.#cache);
	}

	#hoverOutlines(): Outline[] {
		const shape = this.#hoverId === null || this.#idSet.has(this.#hoverId) ? undefined : this.#shapeOf(this.#hoverId);
		return shape ? outlinesInView([shape], this.#view, this.#cache) : [];
	}

	/** A shape whose scene function strokes the outlines as one path, `width` screen pixels wide at any zoom. */
	#pathShape(width: number, outlines: () => Outline[]): Konva.Shape {
		return new Konva.Shape({
			visible: false,
			listening: false,
			stroke: ACCENT,
			strokeWidth: width,
			strokeScaleEnabled: false,
			sceneFunc: (context, shape) => {
				context.beginPath();
				const gap = OUTLINE_GAP_PX / this.#zoom;
				for (const outline of outlines()) {
					const corners = outlineCorners(outline, gap);
					context.moveTo(corners[0]!.x, corners[0]!.y);
					for (let i = 1; i < corners.length; i++) context.lineTo(corners[i]!.x, corners[i]!.y);
					context.closePath();
				}
				context.strokeShape(shape);
			}
		});
	}
}
