/**
 * The keyboard's place on the canvas: the canvas itself, or one shape on it. Tab and Shift+Tab walk the
 * shapes in reading order (`readingOrder`), from the canvas starting beside the selection if there is one,
 * selecting each and bringing it into view (clear of the chrome: `editor.safeArea`); past the last
 * shape the keyboard leaves the canvas, as Tab does anywhere. Local UI state; the component that draws
 * the focused shape's stand-in (components/ShapeFocus.svelte) moves the DOM focus to match.
 */
import { shapeBounds, type Box } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import { revealPan } from '$lib/editor/safe-area';
import { readingOrder } from '$lib/editor/shape-description';
import { boardToScreen } from '$lib/view/camera';

/** A focused shape this close to the safe area's edge (screen px) is brought into view. */
const REVEAL_MARGIN_PX = 24;

export class KeyboardFocus {
	/** The DOM focus is on the canvas or on a shape's stand-in (set by the component that owns them). */
	onCanvas = $state(false);
	/** The shape the keyboard is on, or null for the canvas itself. */
	shape = $state<string | null>(null);
	/** Where that shape is in reading order (1-based) and how many there were, when it was reached. */
	position = $state.raw<{ index: number; total: number } | null>(null);
	/** Enter started typing into a shape: when the typing ends, the keyboard goes back to that shape. */
	resumeAfterEdit = false;

	constructor(private readonly editor: Editor) {}

	/**
	 * Tab: the next shape (from the canvas, the one after the selection, else the first); false past the
	 * last one (or with none), so the keyboard leaves the canvas.
	 */
	next(): boolean {
		if (!this.onCanvas) return false;
		const order = readingOrder(this.editor.shapes());
		const index = (this.shape === null ? this.#selectedAt(order) : order.indexOf(this.shape)) + 1;
		if (index >= order.length) return false;
		this.#focus(order, index);
		return true;
	}

	/**
	 * Shift+Tab: the previous shape, from the first one the canvas; from the canvas, the one before the
	 * selection. False from the canvas with nothing before, so the keyboard leaves it.
	 */
	previous(): boolean {
		if (!this.onCanvas) return false;
		const order = readingOrder(this.editor.shapes());
		if (this.shape === null) {
			const at = this.#selectedAt(order);
			if (at <= 0) return false;
			this.#focus(order, at - 1);
			return true;
		}
		const at = order.indexOf(this.shape);
		if (at <= 0) this.toCanvas();
		else this.#focus(order, at - 1);
		return true;
	}

	/** Where the first selected shape is in reading order: -1 with nothing selected (Tab starts at the first shape). */
	#selectedAt(order: readonly string[]): number {
		if (this.editor.selection.length === 0) return -1;
		const selected = new Set(this.editor.selection);
		return order.findIndex((id) => selected.has(id));
	}

	/** Puts the keyboard on a shape (e.g. one just created), selected and in view. */
	focusShape(id: string): void {
		const order = readingOrder(this.editor.shapes());
		const index = order.indexOf(id);
		if (index >= 0) this.#focus(order, index);
	}

	/** Escape, a click, a deleted shape: the keyboard is back on the canvas itself. */
	toCanvas(): void {
		this.shape = null;
		this.position = null;
	}

	#focus(order: readonly string[], index: number): void {
		const id = order[index]!;
		if (this.editor.tool !== 'select') this.editor.setTool('select');
		this.editor.select([id]);
		this.shape = id;
		this.position = { index: index + 1, total: order.length };
		this.reveal(id);
	}

	/**
	 * The camera follows: a shape not wholly in the safe area (the canvas less the chrome over it) is
	 * centred there, at the same zoom. Also called when the chrome changes with the keyboard on a shape.
	 */
	reveal(id: string): void {
		const shape = this.editor.shape(id);
		const { viewport, safeArea } = this.editor;
		if (!shape || viewport.width === 0 || viewport.height === 0) return;
		const pan = revealPan(screenBox(this.editor, shapeBounds(shape)), viewport, safeArea, REVEAL_MARGIN_PX);
		if (pan) this.editor.panBy(pan.dx, pan.dy);
	}
}

/** A board box on screen (CSS px over the canvas). */
export function screenBox(editor: Editor, box: Box): Box {
	const topLeft = boardToScreen(editor.camera, box);
	return { x: topLeft.x, y: topLeft.y, w: box.w * editor.camera.zoom, h: box.h * editor.camera.zoom };
}
