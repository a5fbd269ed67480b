/** The editor: local UI state (tool, camera, selection, style) as runes, routing input to tools, and the board handles tools write through. */
import type * as Y from 'yjs';
import {
	createBoard,
	getShape,
	listShapes,
	updateShapes,
	type Board,
	type Shape,
	type ShapeChanges,
	type ShapePatch
} from '$lib/board';
import { createHistory, type History } from '$lib/board/history';
import { boundsOfShapes, boxContainsPoint, topShapeAt } from '$lib/shared/model/geometry';
import {
	DEFAULT_CAMERA,
	boardToScreen,
	ZOOM_STEP_FACTOR,
	clampZoom,
	fitBounds,
	panBy,
	screenToBoard,
	zoomAt,
	type Box,
	type Camera,
	type Point
} from '$lib/view/camera';
import { applyPatch } from '$lib/view/resize';
import { DEFAULT_STYLE, stylePatch, type StyleDefaults } from '$lib/editor/style';
import { Throttle, systemClock, type Clock } from '$lib/util/throttle';
import { HIT_TOLERANCE_PX, TOUCH_HIT_TOLERANCE_PX, toolWrites, type PointerInput, type Tool, type ToolId } from '$lib/editor/tools/tool';
import { createTools } from '$lib/editor/tools';
import { TextEditing } from '$lib/editor/text-editing.svelte';
import { KeyboardFocus } from '$lib/editor/keyboard-focus.svelte';
import { NO_INSETS, type Insets } from '$lib/editor/safe-area';

/** What the editor needs from whoever draws the board (the Konva canvas, or nothing in unit tests). */
export interface EditorView {
	/** Draws a shape as the local user is shaping it, ahead of the throttled doc write. */
	draft(shape: Shape, drawing?: boolean): void;
	/** Drafts of many shapes at once (a group moved or resized): one redraw instead of one per shape. */
	draftMany?(shapes: readonly Shape[]): void;
	/** Forgets a draft: shows the stored shape again (or nothing if it was never stored). */
	resetDraft(id: string): void;
	/** Size of text as drawn; width null means unwrapped. */
	measureText(text: string, width: number | null, fontSize: number): { width: number; height: number };
}

export interface EditorOptions {
	clock?: Clock;
	view?: EditorView;
}

export class Editor {
	readonly board: Board;
	readonly history: History;
	readonly clock: Clock;
	/** Live writes of the gesture in progress; one per editor, since one gesture runs at a time. */
	readonly live: Throttle;
	readonly text: TextEditing;
	/** Where the keyboard is on the canvas: the canvas itself or one shape (Tab, Shift+Tab). */
	readonly focus: KeyboardFocus;
	view: EditorView | null;
	/** Called after each pan or zoom made by this user (e.g. to stop following someone). */
	onUserCamera: (() => void) | null = null;

	/** Read-only from outside: every switch goes through `setTool`, which tidies up the tool being left. */
	#tool = $state<ToolId>('select');
	camera = $state.raw<Camera>(DEFAULT_CAMERA);
	selection = $state.raw<string[]>([]);
	/** The shape under the mouse while the select tool is idle (hover highlight); never set by touch or pen. */
	hover = $state.raw<string | null>(null);
	/** The marquee being dragged, in board units. */
	marquee = $state.raw<Box | null>(null);
	style = $state<StyleDefaults>({ ...DEFAULT_STYLE });
	viewport = $state.raw({ width: 0, height: 0 });
	/** The part of the viewport the chrome leaves uncovered, as insets (CSS px), measured by the components. */
	safeArea = $state.raw<Insets>(NO_INSETS);
	/** Bumped on every change to the board, so views derived from shapes re-read them. */
	docVersion = $state(0);
	canUndo = $state(false);
	canRedo = $state(false);
	#canWrite = $state(true);
	/** Space is held: the next drag pans, whatever the tool. */
	spaceHeld = $state(false);
	/** The last press was a finger (or the screen is touch-only): handles and hit areas are finger-sized. */
	coarsePointer = $state(false);
	/** The context menu is open (a right click or a long press) at this canvas point and this viewport point, CSS px. */
	contextMenu = $state.raw<{ at: Point; client: Point } | null>(null);
	/** Hand tool borrowed for one drag (space or middle button). */
	#borrowed: Tool | null = null;
	#styleGesture = false;
	/** A Transformer resize/rotate began with the right to write and has not ended. */
	#transforming = false;
	readonly #tools: Record<ToolId, Tool>;
	readonly #unsubscribeHistory: () => void;

	constructor(doc: Y.Doc, options: EditorOptions = {}) {
		this.board = createBoard(doc);
		this.history = createHistory(this.board, { getSelection: () => this.selection });
		this.clock = options.clock ?? systemClock;
		this.live = new Throttle(undefined, this.clock);
		this.view = options.view ?? null;
		this.text = new TextEditing(this);
		this.focus = new KeyboardFocus(this);
		this.#tools = createTools(this);
		this.#unsubscribeHistory = this.history.onChange(() => {
			this.canUndo = this.history.canUndo();
			this.canRedo = this.history.canRedo();
		});
	}

	// ── the right to write ───────────────────────────────────────────────

	/**
	 * Whether this user may change the board (a view link says no). While it is false, commands that
	 * write are refused (`runCommand`), and so is every gesture that would write: drawing tools,
	 * moving, resizing, endpoint drags, typing, style changes.
	 */
	get canWrite(): boolean {
		return this.#canWrite;
	}

	set canWrite(value: boolean) {
		if (value === this.#canWrite) return;
		this.#canWrite = value;
		if (!value) this.#stopWriting();
	}

	/**
	 * The right went away with a gesture under way (a link reset): stop it where it is, writing nothing
	 * more. What it already wrote stays, since undoing it would be a write too: pending live writes
	 * are dropped and the gesture's undo step is closed as it stands, so the cancels below have
	 * nothing to revert.
	 */
	#stopWriting(): void {
		this.live.cancel();
		while (this.history.inGesture) this.history.endGesture();
		this.#styleGesture = false;
		this.#transforming = false;
		this.text.abandon();
		this.activeTool.cancel();
		this.#borrowed = null;
		if (toolWrites(this.#tool)) this.#tool = 'select';
	}

	// ── tools ────────────────────────────────────────────────────────────

	get tool(): ToolId {
		return this.#tool;
	}

	get activeTool(): Tool {
		return this.#borrowed ?? this.#tools[this.#tool];
	}

	/** "select.translating": the active tool and its state, for tests and debugging. */
	get toolState(): string {
		return `${this.activeTool.id}.${this.activeTool.state}`;
	}

	/** Switches tools; a tool that writes stays out of reach while the editor cannot write. */
	setTool(id: ToolId): void {
		if (!this.canWrite && toolWrites(id)) return;
		if (this.text.active) this.text.commit();
		this.activeTool.cancel();
		this.#borrowed = null;
		this.#tool = id;
		if (id !== 'select') this.selection = [];
	}

	pointerDown(input: PointerInput): void {
		if (this.text.active) this.text.commit();
		this.text.dismissInterruption();
		// Middle button or space: pan with the hand for this one drag, then give the tool back.
		if (input.button === 1 || (this.spaceHeld && this.tool !== 'hand')) this.#borrowed = this.#tools.hand;
		else if (input.button !== 0) return;
		this.activeTool.pointerDown(input);
	}

	pointerMove(input: PointerInput): void {
		this.activeTool.pointerMove(input);
	}

	pointerUp(input: PointerInput): void {
		this.activeTool.pointerUp(input);
		this.#borrowed = null;
	}

	doubleClick(input: PointerInput): void {
		this.activeTool.doubleClick?.(input);
	}

	/**
	 * Another gesture took the press over (a second finger, a held finger, a pen over a palm): the tool
	 * drops its draft and reverts whatever it wrote, leaving no undo step.
	 */
	discardGesture(): void {
		const tool = this.activeTool;
		if (tool.discard) tool.discard();
		else tool.cancel();
		this.#borrowed = null;
	}

	/**
	 * Right click or long press at a canvas point: as in Excalidraw and tldraw, a shape there is
	 * selected first (with the select tool); elsewhere outside the selection, the selection is cleared.
	 */
	openContextMenu(screen: Point, client: Point = screen): void {
		if (this.text.active) this.text.commit();
		const at = this.toBoard(screen);
		const hit = this.shapeAt(at);
		if (hit) {
			if (this.tool !== 'select') this.setTool('select');
			if (!this.selection.includes(hit.id)) this.select([hit.id]);
		} else {
			const bounds = boundsOfShapes(this.selectedShapes());
			if (!bounds || !boxContainsPoint(bounds, at)) this.select([]);
		}
		this.contextMenu = { at: screen, client };
	}

	/**
	 * Shift+F10 or the menu key: the context menu without a pointer, at the middle of the selection (kept
	 * inside the view) or of the view; the selection stays as it is.
	 */
	openContextMenuFromKeyboard(): void {
		if (this.text.active) return;
		const bounds = boundsOfShapes(this.selectedShapes());
		let at = this.#centre();
		if (bounds) {
			const middle = boardToScreen(this.camera, { x: bounds.x + bounds.w / 2, y: bounds.y + bounds.h / 2 });
			at = { x: Math.min(Math.max(middle.x, 0), this.viewport.width), y: Math.min(Math.max(middle.y, 0), this.viewport.height) };
		}
		this.contextMenu = { at, client: at };
	}

	/** Escape: abort a gesture in progress, else clear the selection. */
	cancel(): void {
		if (this.text.active) return this.text.commit();
		const busy = this.activeTool.state !== 'idle';
		this.activeTool.cancel();
		this.#borrowed = null;
		if (!busy) {
			this.selection = [];
			if (this.tool !== 'select' && this.tool !== 'hand') this.setTool('select');
		}
	}

	// ── shapes ───────────────────────────────────────────────────────────

	shapes(): Shape[] {
		return listShapes(this.board);
	}

	shape(id: string): Shape | null {
		return getShape(this.board, id);
	}

	selectedShapes(): Shape[] {
		return this.selection.map((id) => getShape(this.board, id)).filter((s): s is Shape => s !== null);
	}

	/** How close (screen px) a press must come to a shape to hit it: more for a finger than for a mouse or pen. */
	get hitTolerancePx(): number {
		return this.coarsePointer ? TOUCH_HIT_TOLERANCE_PX : HIT_TOLERANCE_PX;
	}

	/** The topmost shape under a board point, with a tolerance of a few screen pixels. */
	shapeAt(point: Point): Shape | null {
		return topShapeAt(this.shapes(), point, this.hitTolerancePx / this.camera.zoom);
	}

	select(ids: readonly string[]): void {
		this.selection = [...new Set(ids)];
	}

	/** Called by the canvas for every transaction: keep derived UI in step, drop vanished ids. */
	onShapesChanged(changes: ShapeChanges): void {
		this.docVersion++;
		if (changes.removed.length === 0) return;
		const gone = new Set(changes.removed);
		if (this.selection.some((id) => gone.has(id))) this.selection = this.selection.filter((id) => !gone.has(id));
		if (this.text.session?.id && gone.has(this.text.session.id)) this.text.deletedByPeer();
	}

	/** Shows shapes as the user is shaping them, ahead of the throttled doc write: all in one go when the view can. */
	draftShapes(shapes: readonly Shape[]): void {
		const view = this.view;
		if (!view || shapes.length === 0) return;
		if (view.draftMany) view.draftMany(shapes);
		else for (const shape of shapes) view.draft(shape);
	}

	// ── resize/rotate (the canvas's Transformer) and style ──────────────

	beginTransform(): void {
		if (!this.canWrite) return;
		this.#transforming = true;
		this.history.beginGesture();
	}

	/**
	 * A resize or rotate another gesture took over (a second finger): what it wrote is taken back with
	 * no undo step, and its last change from the canvas only redraws the shapes as stored.
	 */
	discardTransform(): void {
		if (!this.#transforming) return;
		this.#transforming = false;
		this.live.cancel();
		this.history.cancelGesture();
	}

	/**
	 * New geometry from the Transformer: drawn now, written throttled, and once more when it ends.
	 * Without a transform begun with the right to write, the shapes are shown as stored instead.
	 */
	transform(updates: { id: string; patch: ShapePatch }[], final: boolean): void {
		if (!this.#transforming) {
			for (const { id } of updates) this.view?.resetDraft(id);
			return;
		}
		const resolved: { id: string; patch: ShapePatch }[] = [];
		const drafts: Shape[] = [];
		for (const { id, patch } of updates) {
			const shape = this.shape(id);
			if (!shape) continue;
			const full: ShapePatch = { ...patch };
			// Resized text re-wraps: its height follows from the new width.
			if (shape.type === 'text' && full.w !== undefined) {
				full.h = this.text.measure(shape.text, full.w, shape.fontSize).height;
			}
			drafts.push(applyPatch(shape, full));
			resolved.push({ id, patch: full });
		}
		this.draftShapes(drafts);
		if (!final) {
			this.live.run(() => updateShapes(this.board, resolved));
			return;
		}
		this.#transforming = false;
		this.live.cancel();
		updateShapes(this.board, resolved);
		this.history.endGesture();
	}

	/**
	 * A style panel change: becomes the default for new shapes and applies to the selection.
	 * 'live' changes (a slider being dragged) are throttled and merged into one undo step
	 * that the next 'final' change closes.
	 */
	applyStyle(change: Partial<StyleDefaults>, phase: 'live' | 'final' = 'final'): void {
		if (!this.canWrite) return;
		Object.assign(this.style, change);
		const updates = this.selectedShapes().flatMap((shape) => {
			const patch = stylePatch(shape, change);
			if (!patch) return [];
			if (shape.type === 'text' && patch.fontSize !== undefined) {
				const w = Math.max(shape.w, Math.ceil(this.text.measure(shape.text, null, patch.fontSize).width) + 1);
				patch.w = w;
				patch.h = this.text.measure(shape.text, w, patch.fontSize).height;
			}
			return [{ id: shape.id, patch }];
		});
		if (phase === 'live') {
			if (!this.#styleGesture) this.history.beginGesture();
			this.#styleGesture = true;
			this.live.run(() => updateShapes(this.board, updates));
			return;
		}
		this.live.cancel();
		if (updates.length > 0) updateShapes(this.board, updates);
		if (this.#styleGesture) this.history.endGesture();
		this.#styleGesture = false;
	}

	// ── camera ───────────────────────────────────────────────────────────

	toBoard(screen: Point): Point {
		return screenToBoard(this.camera, screen);
	}

	/** Every pan and zoom this user makes goes through here (following someone sets `camera` directly). */
	#moveCamera(camera: Camera): void {
		this.camera = camera;
		this.onUserCamera?.();
	}

	panBy(dx: number, dy: number): void {
		this.#moveCamera(panBy(this.camera, dx, dy));
	}

	zoomAt(screen: Point, zoom: number): void {
		this.#moveCamera(zoomAt(this.camera, screen, zoom));
	}

	#centre(): Point {
		return { x: this.viewport.width / 2, y: this.viewport.height / 2 };
	}

	zoomIn(): void {
		this.zoomAt(this.#centre(), clampZoom(this.camera.zoom * ZOOM_STEP_FACTOR));
	}

	zoomOut(): void {
		this.zoomAt(this.#centre(), clampZoom(this.camera.zoom / ZOOM_STEP_FACTOR));
	}

	resetZoom(): void {
		this.zoomAt(this.#centre(), 1);
	}

	/** Zoom to fit the selection, or everything when nothing is selected. */
	zoomToFit(): void {
		const bounds = boundsOfShapes(this.selection.length > 0 ? this.selectedShapes() : this.shapes());
		if (bounds) this.#moveCamera(fitBounds(bounds, this.viewport));
	}

	destroy(): void {
		this.activeTool.cancel();
		this.live.cancel();
		this.#unsubscribeHistory();
		this.history.destroy();
		this.board.destroy();
	}
}
