/**
 * DOM input → editor: pointer events (mouse, pen, touch) through the gesture recognizer (one finger
 * draws, two pan and pinch, a held finger opens the context menu, a pen silences fingers), wheel and
 * trackpad pan and zoom, double-click, right click. The canvas decides first whether a press belongs
 * to its handles.
 */
import { on } from 'svelte/events';
import type { Editor } from '$lib/editor/editor.svelte';
import { wheelZoomFactor, type Point } from '$lib/view/camera';
import type { PointerInput } from '$lib/editor/tools/tool';
import { GestureRecognizer, type GestureAction, type GesturePointer, type PointerKind } from '$lib/editor/gestures';

export interface PointerBindingOptions {
	/** True when the press is on a resize/rotate handle: the canvas handles it, tools stay out. */
	isOnHandle(screen: Point): boolean;
	/** Ends a handle's drag at once (the press that began it became a pinch). */
	stopHandleDrag?(): void;
}

/** Two presses this close in time and space count as a double-click (pens and touch get no dblclick). */
const DOUBLE_CLICK_MS = 400;
const DOUBLE_CLICK_SLOP_PX = 6;
/** Wheel deltas in lines (Firefox) are converted to pixels at this rate. */
const LINE_HEIGHT_PX = 16;

export function bindPointerInput(element: HTMLElement, editor: Editor, options: PointerBindingOptions): () => void {
	const gestures = new GestureRecognizer();
	/** The pointer whose press the tool has, or null (none, or a press the Transformer's handles took). */
	let activePointer: number | null = null;
	/** The pointer dragging a Transformer handle, which the canvas handles. */
	let handlePointer: number | null = null;
	/** The DOM event being handled: the tool gets its modifiers, pressure and coalesced samples. */
	let current: PointerEvent | null = null;
	let longPressTimer: ReturnType<typeof setTimeout> | null = null;
	/** The kind of the last press, so the browser's own long-press menu on touch is told from a right click. */
	let lastPressKind: PointerKind = 'mouse';
	/** The last press that ended as a click (released where it went down), for double-click detection. */
	let lastClick: { time: number; at: Point } | null = null;
	/** The current press, until it ends: a drag never counts as the first half of a double-click. */
	let press: { time: number; at: Point } | null = null;

	const local = (e: { clientX: number; clientY: number }): Point => {
		const rect = element.getBoundingClientRect();
		return { x: e.clientX - rect.left, y: e.clientY - rect.top };
	};

	const toClient = (p: Point): Point => {
		const rect = element.getBoundingClientRect();
		return { x: p.x + rect.left, y: p.y + rect.top };
	};

	const kindOf = (e: PointerEvent): PointerKind => (e.pointerType === 'pen' || e.pointerType === 'touch' ? e.pointerType : 'mouse');

	const toInput = (e: PointerEvent): PointerInput => {
		const screen = local(e);
		return {
			screen,
			board: editor.toBoard(screen),
			button: e.button,
			shiftKey: e.shiftKey,
			altKey: e.altKey,
			modKey: e.ctrlKey || e.metaKey,
			pressure: e.pressure,
			pointerType: kindOf(e)
		};
	};

	const pointerOf = (e: PointerEvent): GesturePointer => ({ id: e.pointerId, kind: kindOf(e), at: local(e), time: e.timeStamp });

	const updateCursor = () => {
		element.style.cursor = editor.spaceHeld && activePointer === null ? 'grab' : editor.activeTool.cursor;
	};

	const toolDown = (e: PointerEvent) => {
		const screen = local(e);
		if (options.isOnHandle(screen)) {
			handlePointer = e.pointerId;
			return;
		}
		activePointer = e.pointerId;
		element.setPointerCapture?.(e.pointerId);
		// Keyboard shortcuts go to the document, not to a text field that had focus.
		if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) {
			document.activeElement.blur();
		}
		const input = toInput(e);
		editor.pointerDown(input);
		detectDoubleClick(input, e);
	};

	const toolMove = (e: PointerEvent) => {
		// Pens report many samples per frame; strokes are smoother with all of them.
		const samples = activePointer !== null && editor.tool === 'pen' ? (e.getCoalescedEvents?.() ?? [e]) : [e];
		for (const sample of samples.length > 0 ? samples : [e]) editor.pointerMove(toInput(sample));
	};

	const toolUp = (e: PointerEvent) => {
		activePointer = null;
		const input = toInput(e);
		editor.pointerUp(input);
		rememberClick(input.screen);
		if (pendingDoubleClick) {
			// Only a second click is a double-click; a second press that became a drag is just a drag.
			if (near(input.screen, pendingDoubleClick.screen)) editor.doubleClick(pendingDoubleClick);
			pendingDoubleClick = null;
			lastClick = null;
		}
	};

	/** The tool loses its press: `discard` undoes what it drafted (a second finger, a held finger, a pen over a palm). */
	const toolStop = (discard: boolean) => {
		if (handlePointer !== null && discard) {
			// The Transformer's drag becomes nothing: undone, then stopped (its last change only redraws).
			editor.discardTransform();
			options.stopHandleDrag?.();
		}
		handlePointer = null;
		if (activePointer === null) return;
		activePointer = null;
		press = null;
		pendingDoubleClick = null;
		if (discard) editor.discardGesture();
		else editor.activeTool.cancel();
	};

	const perform = (actions: GestureAction[]) => {
		for (const action of actions) {
			switch (action.kind) {
				case 'down':
					if (current) toolDown(current);
					break;
				case 'move':
					if (current && (activePointer === null || activePointer === action.pointer.id)) toolMove(current);
					break;
				case 'up':
					if (handlePointer === action.pointer.id) handlePointer = null;
					if (current && activePointer === action.pointer.id) toolUp(current);
					break;
				case 'cancel':
					toolStop(false);
					break;
				case 'discard':
					toolStop(true);
					break;
				case 'camera':
					if (action.pan.x !== 0 || action.pan.y !== 0) editor.panBy(action.pan.x, action.pan.y);
					if (action.scale !== 1) editor.zoomAt(action.centre, editor.camera.zoom * action.scale);
					break;
				case 'longPress':
					editor.openContextMenu(action.at, toClient(action.at));
					break;
			}
		}
		scheduleLongPress();
		updateCursor();
	};

	/** A held finger has no event of its own: a timer asks the recognizer when it is due. */
	const scheduleLongPress = () => {
		if (longPressTimer !== null) clearTimeout(longPressTimer);
		longPressTimer = null;
		const due = gestures.longPressDue;
		// A press on a Transformer handle is the handle's.
		if (due === null || activePointer === null) return;
		longPressTimer = setTimeout(() => {
			longPressTimer = null;
			current = null;
			perform(gestures.timeout(performance.now()));
		}, Math.max(0, due - performance.now()));
	};

	const handle = (e: PointerEvent, recognize: (p: GesturePointer) => GestureAction[]) => {
		current = e;
		try {
			perform(recognize(pointerOf(e)));
		} finally {
			current = null;
		}
	};

	const near = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y) < DOUBLE_CLICK_SLOP_PX;

	const detectDoubleClick = (input: PointerInput, e: PointerEvent) => {
		press = { time: e.timeStamp, at: input.screen };
		if (lastClick && press.time - lastClick.time < DOUBLE_CLICK_MS && near(input.screen, lastClick.at)) {
			lastClick = null;
			// Let the second press finish as a click first, then treat it as a double-click.
			pendingDoubleClick = input;
		}
	};
	let pendingDoubleClick: PointerInput | null = null;

	/** Remembers a press that ended where it began; a drag (a marquee, a move) forgets the last click. */
	const rememberClick = (at: Point) => {
		lastClick = press && near(at, press.at) ? press : null;
		press = null;
	};

	const down = (e: PointerEvent) => {
		lastPressKind = kindOf(e);
		// Finger-sized handles and hit areas follow the last press.
		editor.coarsePointer = lastPressKind === 'touch';
		handle(e, (p) => gestures.down(p));
	};

	const wheel = (e: WheelEvent) => {
		e.preventDefault();
		const scale = e.deltaMode === 1 ? LINE_HEIGHT_PX : 1;
		const dx = e.deltaX * scale;
		const dy = e.deltaY * scale;
		// Ctrl+wheel is a mouse zoom, and also how browsers report a trackpad pinch.
		if (e.ctrlKey || e.metaKey) {
			editor.zoomAt(local(e), editor.camera.zoom * wheelZoomFactor(dy));
		} else if (e.shiftKey && dx === 0) {
			editor.panBy(-dy, 0);
		} else {
			editor.panBy(-dx, -dy);
		}
	};

	/** Right click opens our menu; the browser's own (also what it shows on a long press) never shows over the canvas. */
	const contextMenu = (e: MouseEvent) => {
		e.preventDefault();
		const kind = e instanceof PointerEvent && e.pointerType ? e.pointerType : lastPressKind;
		// On touch the recognizer's long press opens it, once.
		if (kind === 'touch') return;
		editor.openContextMenu(local(e), { x: e.clientX, y: e.clientY });
	};

	const offs = [
		on(element, 'pointerdown', down),
		on(element, 'pointermove', (e) => handle(e, (p) => gestures.move(p))),
		on(element, 'pointerup', (e) => handle(e, (p) => gestures.up(p))),
		on(element, 'pointercancel', (e) => handle(e, (p) => gestures.cancel(p))),
		on(element, 'lostpointercapture', (e) => handle(e, (p) => gestures.cancel(p))),
		on(element, 'wheel', wheel, { passive: false }),
		on(element, 'contextmenu', contextMenu)
	];
	if (typeof matchMedia === 'function') editor.coarsePointer = matchMedia('(pointer: coarse)').matches;
	updateCursor();
	return () => {
		if (longPressTimer !== null) clearTimeout(longPressTimer);
		for (const off of offs) off();
	};
}
