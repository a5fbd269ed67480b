/** The Konva stage of a board: shape layer, other people's selections, selection Transformer, marquee, camera and high-DPI setup. */
import Konva from '$lib/canvas/konva';
import type { Board, Shape, ShapeChanges, ShapePatch } from '$lib/board';
import { DEFAULT_CAMERA, drawnBounds, type Box, type Camera, type Point } from '$lib/view/camera';
import { patchFromTransform } from '$lib/view/resize';
import { DotGrid } from '$lib/canvas/dot-grid';
import { PeerSelections, type PeerSelection } from '$lib/canvas/peer-selections';
import { ShapeScene } from '$lib/canvas/scene';
import { measureText } from '$lib/canvas/shapes';
import { createTransformer, isTransformerPart, sizeTransformerFor } from '$lib/canvas/transformer';
import { SelectionOutlines } from '$lib/canvas/selection-outlines';
import { outlineOf } from '$lib/view/outlines';
import { endpoints, isLineLike, unionBoxes } from '$lib/shared/model/geometry';
import { NO_IMAGES, type ImageSource } from '$lib/canvas/images';
import { VersionView, type VersionMarks } from '$lib/canvas/version-view';
import { drawThumbnail, thumbnailFrame } from '$lib/canvas/thumbnail';

const TEXT_ANCHORS = ['middle-left', 'middle-right'];
/** Images resize from their corners, keeping their aspect (Shift frees it). */
const CORNER_ANCHORS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];
/** Radius of a line's endpoint handles, in screen pixels. */
const ENDPOINT_RADIUS_PX = 5;
const ALL_ANCHORS = [
	'top-left',
	'top-center',
	'top-right',
	'middle-right',
	'middle-left',
	'bottom-left',
	'bottom-center',
	'bottom-right'
];

/**
 * More selected shapes than this changing at once: the Transformer lets go of its nodes first and takes
 * the survivors back once, after the change. Konva's Transformer re-measures every node it holds after
 * each one changes or is destroyed, O(n²) for a bulk change (3,584 deleted: 5.5 s).
 */
const TRANSFORMER_RELEASE_MIN = 16;
/**
 * From this many selected shapes on, the Transformer holds one box around them instead of their nodes
 * (as tldraw transforms a selection's bounds), and a resize or rotate of it is applied to each shape: a
 * selection then needs no node per shape (10,000 selected: no 10,000 nodes built and listened to).
 */
const PROXY_SELECTION_MIN = 100;

/** Shape-layer draws kept for the test hook: a few seconds of frames. */
const PAINT_LOG_SIZE = 600;

/** One draw of the shape layer. */
export interface Paint {
	/** When the draw finished (performance.now()). */
	at: number;
	/** How long the draw took, ms. */
	ms: number;
	/** Valid shapes on the board at the time (during a preview, the server's count: only those in view are drawn). */
	shapes: number;
	/** Shape nodes drawn: those on the layer (the shapes in or near the view). */
	nodes: number;
	/** Shapes painted by the overview pass instead of nodes (a dense view at low zoom; 0 otherwise). */
	overview: number;
	/** The server's preview was on show: the shapes were drawn before the doc had synced them. */
	preview: boolean;
}

/**
 * How the selection shows: with resize/rotate handles, as an outline alone (for someone who may look
 * but not change it), or not at all (while another tool is in use or text is being typed).
 */
export type SelectionLook = 'handles' | 'outline' | 'none';

export interface CanvasCallbacks {
	onShapesChanged(changes: ShapeChanges, isLocal: boolean): void;
	onTransformStart(): void;
	/** Called during (final = false) and at the end of (final = true) a Transformer resize/rotate. */
	onTransform(updates: { id: string; patch: ShapePatch }[], final: boolean): void;
}

export class BoardCanvas {
	readonly stage: Konva.Stage;
	readonly scene: ShapeScene;
	readonly peerSelections: PeerSelections;
	readonly #shapes: Konva.Layer;
	readonly #grid: DotGrid;
	readonly #overlay: Konva.Layer;
	readonly #transformer: Konva.Transformer;
	/** Each selected shape's outline (several selected) and the hovered shape's. */
	readonly #outlines: SelectionOutlines;
	readonly #marquee: Konva.Rect;
	readonly #endpoints: [Konva.Circle, Konva.Circle];
	readonly #callbacks: CanvasCallbacks;
	#selection: string[] = [];
	#selected = new Set<string>();
	/** The Transformer let go of its nodes for a bulk change; the next refresh takes them back. */
	#released = false;
	/** The box the Transformer holds for a big selection (PROXY_SELECTION_MIN); drawn as nothing. */
	readonly #proxy: Konva.Rect;
	/** The proxy's box and the selected shapes when a resize or rotate of a big selection began. */
	#proxyStart: { box: Box; shapes: Shape[] } | null = null;
	#look: SelectionLook = 'none';
	#hidden = new Set<string>();
	#camera: Camera = DEFAULT_CAMERA;
	readonly #paints: Paint[] = [];
	#drawStartedAt = 0;
	readonly #images: ImageSource;
	/** A version on show instead of the live shapes (the History panel's preview), or null. */
	#version: VersionView | null = null;

	constructor(container: HTMLDivElement, board: Board, callbacks: CanvasCallbacks, images: ImageSource = NO_IMAGES) {
		// Backing store at device resolution: crisp lines on high-DPI screens.
		Konva.pixelRatio = window.devicePixelRatio || 1;
		this.#callbacks = callbacks;
		this.#images = images;
		this.stage = new Konva.Stage({
			container,
			width: container.clientWidth,
			height: container.clientHeight
		});
		this.#shapes = new Konva.Layer({ listening: false });
		// First, so a draw's time includes the dots and the overview pass, which also run on 'beforeDraw'.
		this.#shapes.on('beforeDraw', () => (this.#drawStartedAt = performance.now()));
		this.#grid = new DotGrid(this.#shapes, this.#camera);
		this.#overlay = new Konva.Layer();
		this.peerSelections = new PeerSelections((id) => this.scene.shown(id));
		this.stage.add(this.#shapes, this.peerSelections.layer, this.#overlay);
		this.#marquee = new Konva.Rect({
			visible: false,
			fill: 'rgba(105, 101, 219, 0.08)',
			stroke: '#6965db',
			strokeWidth: 1,
			strokeScaleEnabled: false,
			listening: false
		});
		this.#transformer = createTransformer();
		// Drawn only: presses near them reach the select tool, which drags the line's end.
		const handle = () =>
			new Konva.Circle({
				visible: false,
				fill: '#ffffff',
				stroke: '#6965db',
				strokeWidth: 1.5,
				strokeScaleEnabled: false,
				listening: false
			});
		this.#endpoints = [handle(), handle()];
		this.#outlines = new SelectionOutlines((id) => this.scene.shown(id));
		this.#proxy = new Konva.Rect({ listening: false });
		this.#overlay.add(this.#marquee, this.#outlines.selected, this.#outlines.hover, this.#proxy, this.#transformer, ...this.#endpoints);
		this.#hideOverlayIfUnused();
		this.#wireTransformer();
		this.scene = new ShapeScene(
			this.#shapes,
			board,
			(changes, isLocal) => {
				this.#afterSceneChange(changes);
				callbacks.onShapesChanged(changes, isLocal);
			},
			this.#view(),
			this.#camera.zoom,
			{ images }
		);
		this.#outlines.setView(this.#view(), this.#camera.zoom);
		this.scene.beforeApply = (changes) => this.#releaseTransformer(changes.added.length + changes.updated.length + changes.removed.length);
		this.#shapes.on('draw', () => {
			const at = performance.now();
			if (this.#paints.length >= PAINT_LOG_SIZE) this.#paints.shift();
			const { scene } = this;
			this.#paints.push({ at, ms: at - this.#drawStartedAt, shapes: scene.previewTotal ?? scene.shapeCount, nodes: scene.size, overview: scene.overviewDrawn, preview: scene.previewTotal !== null });
		});
	}

	/** The latest shape-layer draws, oldest first. */
	paints(): Paint[] {
		return [...this.#paints];
	}

	resize(width: number, height: number): void {
		const ratio = window.devicePixelRatio || 1;
		if (ratio !== Konva.pixelRatio) {
			// Browser zoom or a move to another screen changed the device pixel ratio.
			Konva.pixelRatio = ratio;
			for (const layer of this.stage.getLayers()) layer.getCanvas().setPixelRatio(ratio);
		}
		this.stage.size({ width, height });
		const released = this.#releaseTransformer(this.#selection.length);
		this.scene.setView(this.#view());
		this.#outlines.setView(this.#view(), this.#camera.zoom);
		if (released) this.#refreshTransformer();
		this.#version?.setView(this.#view());
	}

	/**
	 * Draws `board` (a version's shapes) instead of the live ones, read-only, with `marks` outlined;
	 * the live layer stays hidden behind and keeps up with the doc. Replaces a version already on show.
	 */
	showVersion(board: Board, marks: VersionMarks): void {
		this.endVersion();
		this.#version = new VersionView(this.stage, board, this.#camera, this.#view(), this.#images);
		this.#version.setMarks(marks);
		this.#shapes.visible(false);
		this.#overlay.visible(false);
		this.peerSelections.suspended = true;
	}

	/** Updates the preview's outlines (the live board changed, or the preview's selection did). */
	setVersionMarks(marks: VersionMarks): void {
		this.#version?.setMarks(marks);
	}

	/** The version being shown, or null: its scene (for tests) and marks. */
	get version(): VersionView | null {
		return this.#version;
	}

	/** Back to the live board, as it is now. */
	endVersion(): void {
		if (!this.#version) return;
		this.#version.destroy();
		this.#version = null;
		this.#shapes.visible(true);
		this.peerSelections.suspended = false;
		this.#hideOverlayIfUnused();
		this.stage.batchDraw();
	}

	/** Board point `b` lands on screen at `(b + offset) * zoom`: Konva's stage scale and position. */
	setCamera(camera: Camera): void {
		this.#camera = camera;
		this.#grid.setCamera(camera);
		this.peerSelections.setZoom(camera.zoom);
		this.stage.scale({ x: camera.zoom, y: camera.zoom });
		this.stage.position({ x: camera.x * camera.zoom, y: camera.y * camera.zoom });
		this.#releaseTransformer(this.#selection.length);
		this.scene.setView(this.#view(), camera.zoom);
		this.#outlines.setView(this.#view(), this.#camera.zoom);
		this.#version?.setCamera(camera, this.#view());
		this.#refreshTransformer();
		this.stage.batchDraw();
	}

	setSelection(ids: readonly string[], look: SelectionLook): void {
		this.#releaseTransformer(Math.max(ids.length, this.#selection.length));
		this.#selection = [...ids];
		this.#selected = new Set(ids);
		this.#pin();
		this.#refreshTransformer(look);
	}

	/** Ends a handle drag where it is (a second finger turned it into a pinch). */
	stopTransform(): void {
		this.#transformer.stopTransform();
	}

	/** Finger-sized handles, or mouse-sized ones. */
	setCoarsePointer(coarse: boolean): void {
		sizeTransformerFor(this.#transformer, coarse);
		this.#refreshTransformer();
	}

	/** Outlines the shape under the mouse (the select tool's hover), or none. */
	setHover(id: string | null): void {
		this.#outlines.setHover(id);
		this.#hideOverlayIfUnused();
		this.#overlay.batchDraw();
	}

	/** For tests: how many shapes are outlined as selected, and which one as hovered. */
	outlines(): { selected: number; hover: string | null } {
		return this.#overlay.visible() ? this.#outlines.drawn() : { selected: 0, hover: null };
	}

	/** Outlines other people's selections in their colours. */
	setPeerSelections(selections: readonly PeerSelection[]): void {
		this.peerSelections.set(selections);
	}

	setMarquee(box: Box | null): void {
		if (box) this.#marquee.setAttrs({ visible: true, x: box.x, y: box.y, width: box.w, height: box.h });
		else this.#marquee.visible(false);
		this.#hideOverlayIfUnused();
		this.#overlay.batchDraw();
	}

	/** Hides a shape's node while it is being edited through an overlaid text field. */
	setHidden(ids: readonly string[]): void {
		const next = new Set(ids);
		const before = this.#hidden;
		// Pinned first, so a shape being edited out of view has a node to hide.
		this.#hidden = next;
		this.#pin();
		for (const id of new Set([...before, ...next])) this.scene.node(id)?.visible(!next.has(id));
		this.#shapes.batchDraw();
	}

	draft(shape: Shape, drawing = false): void {
		this.draftMany([shape], drawing);
	}

	/** Drafts of many shapes at once (the selection being dragged): one layer edit and one Transformer refresh. */
	draftMany(shapes: readonly Shape[], drawing = false): void {
		const ids = shapes.map((shape) => shape.id);
		this.#releaseTransformer(ids.length);
		this.scene.draftMany(shapes, drawing);
		this.peerSelections.shapesChanged(ids);
		for (const id of ids) if (this.#hidden.has(id)) this.scene.node(id)?.visible(false);
		if (this.#released || ids.some((id) => this.#selected.has(id))) this.#refreshTransformer();
	}

	measureText(text: string, width: number | null, fontSize: number): { width: number; height: number } {
		return measureText(text, width, fontSize);
	}

	/** True when a screen point is on a resize/rotate handle: the Transformer handles that press, not the tool. */
	isOnHandle(screen: Point): boolean {
		const hit = this.stage.getIntersection(screen);
		return hit !== null && isTransformerPart(hit, this.#transformer);
	}

	/**
	 * A small picture of what the board shows, framed on the drawing in view (16:10 where the view
	 * allows, the whole view when nothing is drawn) on `background`, fitted in `maxWidth` × `maxHeight`
	 * px: a PNG data URL, a JPEG one if the PNG is over `maxChars`, or null if neither fits, nothing is
	 * drawn yet, or the view shows none of the board's shapes. It copies the shape layer as last drawn (dots included), so it costs no redraw.
	 */
	thumbnail(maxWidth: number, maxHeight: number, maxChars: number, background: string): string | null {
		const source = this.#shapes.getNativeCanvasElement();
		const width = this.stage.width();
		const height = this.stage.height();
		if (source.width === 0 || source.height === 0 || width === 0 || height === 0) return null;
		const content = this.#shapes.getClientRect({ skipShadow: true });
		const inView = content.width > 0 && content.x < width && content.y < height && content.x + content.width > 0 && content.y + content.height > 0;
		// Looking at an empty part of a board that has shapes: the last picture says more than dots.
		// A dense view drawn by the overview pass has no nodes to frame: the whole view is the picture.
		const overview = this.scene.overviewDrawn > 0;
		if (!inView && !overview && this.scene.shapeCount > 0) return null;
		const frame = overview ? { x: 0, y: 0, width, height } : thumbnailFrame(content, width, height);
		return drawThumbnail(source, frame, source.width / width, { maxWidth, maxHeight, maxChars, background });
	}

	get nodeCount(): number {
		return this.scene.size;
	}

	destroy(): void {
		this.#version?.destroy();
		this.scene.destroy();
		this.peerSelections.destroy();
		this.stage.destroy();
	}

	/**
	 * Nodes the scene keeps whatever the view: the selection's, for the Transformer (a big selection's
	 * proxy box needs none), and the shapes hidden while their text is edited.
	 */
	#pin(): void {
		const big = this.#selection.length >= PROXY_SELECTION_MIN;
		this.scene.pin(big ? this.#hidden : [...this.#selection, ...this.#hidden]);
	}

	/** What the Transformer holds: the selection's nodes, or for a big selection the proxy around them. */
	#transformerNodes(): Konva.Node[] {
		if (this.#selection.length < PROXY_SELECTION_MIN) {
			return this.#selection.map((id) => this.scene.node(id)).filter((node): node is Konva.Group => node !== undefined);
		}
		// Mid-resize the proxy is Konva's to move: the shapes follow it (#patches), not the other way round.
		if (this.#transformer.isTransforming() && this.#proxyStart) return [this.#proxy];
		const boxes: Box[] = [];
		for (const id of this.#selection) {
			const shape = this.scene.shown(id);
			if (shape) boxes.push(outlineOf(shape).bounds);
		}
		if (boxes.length === 0) return [];
		const box = boxes.reduce(unionBoxes);
		this.#proxy.setAttrs({ x: box.x, y: box.y, width: box.w, height: box.h, rotation: 0, scaleX: 1, scaleY: 1, skewX: 0, skewY: 0 });
		return [this.#proxy];
	}

	#refreshTransformer(look = this.#look): void {
		this.#look = look;
		this.#released = false;
		const nodes = this.#transformerNodes();
		// With handles, one line or arrow gets a handle on each end instead of a box.
		const single = this.#selection.length === 1 ? this.scene.shown(this.#selection[0]!) : undefined;
		const line = look === 'handles' && single && isLineLike(single) ? single : null;
		this.#showEndpoints(line);
		const held = this.#transformer.nodes();
		const next = line ? [] : nodes;
		// Setting the same nodes again rebinds every listener: skip it when they are the same.
		if (held.length !== next.length || held.some((node, i) => node !== next[i])) this.#transformer.nodes(next);
		this.#transformer.visible(look !== 'none' && !line && nodes.length > 0);
		// Text reflows to its width and takes its height from the lines: only side handles make sense.
		const onlyText = this.#selection.every((id) => this.scene.shown(id)?.type === 'text');
		const onlyImages = this.#selection.every((id) => this.scene.shown(id)?.type === 'image');
		// A picture keeps its aspect by default, as in tldraw; Shift frees it.
		this.#transformer.keepRatio(onlyImages);
		this.#transformer.shiftBehavior(onlyImages ? 'inverted' : 'default');
		// An outline is the Transformer's box without anchors or rotation handle: nothing on it takes a press.
		this.#transformer.enabledAnchors(look !== 'handles' ? [] : onlyText ? TEXT_ANCHORS : onlyImages ? CORNER_ANCHORS : ALL_ANCHORS);
		this.#transformer.rotateEnabled(look === 'handles');
		this.#transformer.forceUpdate();
		this.#outlines.setSelection(this.#selection, look !== 'none');
		this.#hideOverlayIfUnused();
		this.#overlay.batchDraw();
	}

	/**
	 * An empty full-window canvas still costs a clear, an upload and a blend every frame the stage
	 * moves (the software compositor blends every layer): a hidden one costs nothing.
	 */
	#hideOverlayIfUnused(): void {
		const used = this.#marquee.visible() || this.#transformer.visible() || this.#outlines.visible || this.#endpoints.some((handle) => handle.visible());
		this.#overlay.visible(used && this.#version === null);
	}

	#showEndpoints(line: Shape | null): void {
		if (!line || !isLineLike(line)) {
			for (const handle of this.#endpoints) handle.visible(false);
			return;
		}
		const { start, end } = endpoints(line);
		const radius = ENDPOINT_RADIUS_PX / this.#camera.zoom;
		this.#endpoints[0].setAttrs({ visible: true, x: start.x, y: start.y, radius });
		this.#endpoints[1].setAttrs({ visible: true, x: end.x, y: end.y, radius });
	}

	#afterSceneChange(changes: ShapeChanges): void {
		const touched = [...changes.added, ...changes.updated, ...changes.removed];
		this.peerSelections.shapesChanged(touched);
		for (const id of changes.updated) if (this.#hidden.has(id)) this.scene.node(id)?.visible(false);
		if (this.#released || touched.some((id) => this.#selected.has(id))) this.#refreshTransformer();
		else if (this.#outlines.hover.visible()) this.#overlay.batchDraw();
	}

	/**
	 * Before a change to many nodes (a bulk change, a selection or view change that moves many nodes on or
	 * off the layer): a Transformer holding many nodes lets go of them, and the refresh after the change
	 * takes back those still there, measuring its box once. Not during a resize or rotate, which holds
	 * its nodes (its own writes change them without events). True if it let go.
	 */
	#releaseTransformer(changing: number): boolean {
		if (changing < TRANSFORMER_RELEASE_MIN || this.#transformer.isTransforming()) return false;
		if (this.#transformer.nodes().length < TRANSFORMER_RELEASE_MIN) return false;
		this.#transformer.nodes([]);
		return (this.#released = true);
	}

	#patches(): { id: string; patch: ShapePatch }[] {
		if (this.#proxyStart) return this.#proxyPatches(this.#proxyStart);
		const updates: { id: string; patch: ShapePatch }[] = [];
		for (const node of this.#transformer.nodes()) {
			// The shape as drawn (maybe a draft ahead of the doc): the node's scale is relative to it.
			const shape = this.scene.shown(node.id());
			if (!shape) continue;
			const patch = patchFromTransform(shape, {
				x: node.x(),
				y: node.y(),
				rotation: node.rotation(),
				scaleX: node.scaleX(),
				scaleY: node.scaleY()
			});
			updates.push({ id: shape.id, patch });
		}
		return updates;
	}

	/**
	 * A big selection's resize or rotate: the proxy's move from its box at the start, applied to each shape
	 * as it was then (Konva does the same to each node it holds: new transform = change × old transform).
	 */
	#proxyPatches(start: { box: Box; shapes: Shape[] }): { id: string; patch: ShapePatch }[] {
		const change = this.#proxy.getTransform().copy().multiply(new Konva.Transform().translate(start.box.x, start.box.y).invert());
		return start.shapes.map((shape) => {
			const own = new Konva.Transform().translate(shape.x, shape.y).rotate((shape.rotation * Math.PI) / 180);
			const { x, y, rotation, scaleX, scaleY } = change.copy().multiply(own).decompose();
			return { id: shape.id, patch: patchFromTransform(shape, { x, y, rotation, scaleX, scaleY }) };
		});
	}

	#wireTransformer(): void {
		const tr = this.#transformer;
		tr.on('transformstart', () => {
			const proxied = tr.nodes()[0] === this.#proxy;
			const shapes = this.#selection.map((id) => this.scene.shown(id)).filter((shape): shape is Shape => shape !== undefined);
			this.#proxyStart = proxied ? { box: { x: this.#proxy.x(), y: this.#proxy.y(), w: this.#proxy.width(), h: this.#proxy.height() }, shapes } : null;
			this.#callbacks.onTransformStart();
		});
		tr.on('transform', (event) => {
			// Konva fires once per node; answer once per pointer move, for the last node.
			if (event.target !== tr.nodes().at(-1)) return;
			this.#callbacks.onTransform(this.#patches(), false);
		});
		tr.on('transformend', (event) => {
			if (event.target !== tr.nodes().at(-1)) return;
			const patches = this.#patches();
			this.#proxyStart = null;
			this.#callbacks.onTransform(patches, true);
			// The proxy goes back to the (now axis-aligned) box around the shapes as they are.
			this.#refreshTransformer();
		});
	}

	get zoom(): number {
		return this.#camera.zoom;
	}

	/** The board area on screen plus a margin: what the scene draws. */
	#view(): Box {
		return drawnBounds(this.#camera, { width: this.stage.width(), height: this.stage.height() });
	}
}
