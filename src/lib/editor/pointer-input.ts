/**
 * DOM input → editor: pointer events (mouse, pen, touch), two-finger pinch, wheel/trackpad
 * pan and zoom, double-click. The canvas decides first whether a press belongs to its handles.
 */
import { on } from 'svelte/events';
import type { Editor } from '$lib/editor/editor.svelte';
import { wheelZoomFactor, type Point } from '$lib/view/camera';
import type { PointerInput } from '$lib/editor/tools/tool';

export interface PointerBindingOptions {
	/** True when the press is on a resize/rotate handle: the canvas handles it, tools stay out. */
	isOnHandle(screen: Point): boolean;
}

/** Two presses this close in time and space count as a double-click (pens and touch get no dblclick). */
const DOUBLE_CLICK_MS = 400;
const DOUBLE_CLICK_SLOP_PX = 6;
/** Wheel deltas in lines (Firefox) are converted to pixels at this rate. */
const LINE_HEIGHT_PX = 16;

export function bindPointerInput(element: HTMLElement, editor: Editor, options: PointerBindingOptions): () => void {
	/** Touch pointers currently down, for pinch. */
	const touches = new Map<number, Point>();
	let pinch: { distance: number; centre: Point } | null = null;
	let activePointer: number | null = null;
	/** The last press that ended as a click (released where it went down), for double-click detection. */
	let lastClick: { time: number; at: Point } | null = null;
	/** The current press, until it ends: a drag never counts as the first half of a double-click. */
	let press: { time: number; at: Point } | null = null;

	const local = (e: { clientX: number; clientY: number }): Point => {
		const rect = element.getBoundingClientRect();
		return { x: e.clientX - rect.left, y: e.clientY - rect.top };
	};

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
			pointerType: e.pointerType === 'pen' || e.pointerType === 'touch' ? e.pointerType : 'mouse'
		};
	};

	const updateCursor = () => {
		element.style.cursor = editor.spaceHeld && activePointer === null ? 'grab' : editor.activeTool.cursor;
	};

	const pinchState = () => {
		const [a, b] = [...touches.values()];
		if (!a || !b) return null;
		return { distance: Math.hypot(a.x - b.x, a.y - b.y), centre: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
	};

	const down = (e: PointerEvent) => {
		const screen = local(e);
		if (e.pointerType === 'touch') {
			touches.set(e.pointerId, screen);
			if (touches.size === 2) {
				// A second finger turns whatever the first one started into a pinch.
				if (activePointer !== null) editor.activeTool.cancel();
				activePointer = null;
				pinch = pinchState();
				return;
			}
		}
		if (activePointer !== null || options.isOnHandle(screen)) return;
		activePointer = e.pointerId;
		element.setPointerCapture?.(e.pointerId);
		// Keyboard shortcuts go to the document, not to a text field that had focus.
		if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) {
			document.activeElement.blur();
		}
		const input = toInput(e);
		editor.pointerDown(input);
		detectDoubleClick(input, e);
		updateCursor();
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

	const move = (e: PointerEvent) => {
		if (e.pointerType === 'touch' && touches.has(e.pointerId)) {
			touches.set(e.pointerId, local(e));
			if (pinch) {
				const next = pinchState();
				if (next) {
					editor.panBy(next.centre.x - pinch.centre.x, next.centre.y - pinch.centre.y);
					editor.zoomAt(next.centre, editor.camera.zoom * (next.distance / Math.max(1, pinch.distance)));
					pinch = next;
				}
				return;
			}
		}
		if (activePointer !== null && e.pointerId !== activePointer) return;
		// Pens report many samples per frame; strokes are smoother with all of them.
		const samples = activePointer !== null && editor.tool === 'pen' ? (e.getCoalescedEvents?.() ?? [e]) : [e];
		for (const sample of samples.length > 0 ? samples : [e]) editor.pointerMove(toInput(sample));
		updateCursor();
	};

	const up = (e: PointerEvent) => {
		touches.delete(e.pointerId);
		if (touches.size < 2) pinch = null;
		if (e.pointerId !== activePointer) return;
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
		updateCursor();
	};

	const cancel = (e: PointerEvent) => {
		touches.delete(e.pointerId);
		if (touches.size < 2) pinch = null;
		if (e.pointerId !== activePointer) return;
		activePointer = null;
		press = null;
		pendingDoubleClick = null;
		editor.activeTool.cancel();
		updateCursor();
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

	const offs = [
		on(element, 'pointerdown', down),
		on(element, 'pointermove', move),
		on(element, 'pointerup', up),
		on(element, 'pointercancel', cancel),
		on(element, 'lostpointercapture', cancel),
		on(element, 'wheel', wheel, { passive: false }),
		// The browser's own gestures (context menu on long press, text selection on drag) get in the way.
		on(element, 'contextmenu', (e) => e.preventDefault())
	];
	updateCursor();
	return () => {
		for (const off of offs) off();
	};
}
