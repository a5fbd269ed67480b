/** The contract every tool implements: a small state machine fed pointer events by the editor. */
import type { Point } from '$lib/view/camera';

/** Every tool; picking one is a command, so labels, keys and toolbar order live in `$lib/editor/commands`. */
export type ToolId = 'select' | 'hand' | 'pen' | 'rect' | 'ellipse' | 'line' | 'arrow' | 'text' | 'sticky' | 'eraser';

/** Tools that only look (select to inspect, pan): the ones left to someone who may not change the board. */
const LOOKING_TOOLS: ReadonlySet<ToolId> = new Set(['select', 'hand']);

/** Using the tool changes the board: it is unavailable while the editor cannot write. */
export function toolWrites(id: ToolId): boolean {
	return !LOOKING_TOOLS.has(id);
}

export interface PointerInput {
	/** Position in CSS pixels relative to the canvas. */
	screen: Point;
	/** The same position in board units. */
	board: Point;
	/** 0 main, 1 middle, 2 secondary (as PointerEvent.button). */
	button: number;
	shiftKey: boolean;
	altKey: boolean;
	/** Ctrl, or Cmd on macOS. */
	modKey: boolean;
	/** 0..1; only meaningful for pens (mice report 0.5 while pressed). */
	pressure: number;
	pointerType: 'mouse' | 'pen' | 'touch';
}

export interface Tool {
	readonly id: ToolId;
	/** The current state's name, e.g. 'idle', 'pointing', 'dragging': what tests assert on. */
	readonly state: string;
	/** CSS cursor to show over the canvas in the current state. */
	readonly cursor: string;
	pointerDown(input: PointerInput): void;
	pointerMove(input: PointerInput): void;
	pointerUp(input: PointerInput): void;
	doubleClick?(input: PointerInput): void;
	/** Abort whatever is in progress (Escape, tool switch, lost pointer) and return to idle. */
	cancel(): void;
	/**
	 * Like cancel, for a press another gesture took over (a second finger, a long press, a pen over a
	 * palm): nothing the press did may remain, in the doc or the selection. Defaults to cancel.
	 */
	discard?(): void;
}

/** Screen pixels the pointer must travel before a press becomes a drag. */
export const DRAG_THRESHOLD_PX = 3;

export function movedBeyondThreshold(from: Point, to: Point): boolean {
	return Math.hypot(to.x - from.x, to.y - from.y) > DRAG_THRESHOLD_PX;
}

/** How close (screen pixels) a press must be to a shape's outline to grab it. */
export const HIT_TOLERANCE_PX = 6;
/** The same for a finger: a target at least 24 px across around a thin line. */
export const TOUCH_HIT_TOLERANCE_PX = 12;
