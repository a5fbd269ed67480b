/** Keyboard shortcut map: a key press to an editor action, following tldraw/Excalidraw conventions. */
import type { ToolId } from '$lib/editor/tool-ids';

export type Action =
	| { type: 'tool'; tool: ToolId }
	| { type: 'nudge'; dx: number; dy: number }
	| {
			type:
				| 'undo'
				| 'redo'
				| 'selectAll'
				| 'delete'
				| 'duplicate'
				| 'copy'
				| 'cut'
				| 'paste'
				| 'bringForward'
				| 'sendBackward'
				| 'zoomIn'
				| 'zoomOut'
				| 'zoomReset'
				| 'zoomFit'
				| 'help'
				| 'cancel';
	  };

/** The parts of a KeyboardEvent the map looks at, so tests can pass plain objects. */
export interface KeyPress {
	key: string;
	code: string;
	ctrlKey: boolean;
	metaKey: boolean;
	shiftKey: boolean;
	altKey: boolean;
}

export const NUDGE_PX = 1;
export const NUDGE_SHIFT_PX = 10;

const TOOL_KEYS: Record<string, ToolId> = {
	v: 'select',
	h: 'hand',
	p: 'pen',
	d: 'pen',
	r: 'rect',
	o: 'ellipse',
	l: 'line',
	a: 'arrow',
	t: 'text',
	n: 'sticky',
	e: 'eraser'
};

const ARROWS: Record<string, [number, number]> = {
	ArrowLeft: [-1, 0],
	ArrowRight: [1, 0],
	ArrowUp: [0, -1],
	ArrowDown: [0, 1]
};

/** Ctrl on Windows/Linux, Cmd on macOS: either counts as the command modifier. */
function commandKey(e: KeyPress): boolean {
	return e.ctrlKey || e.metaKey;
}

function commandShortcut(e: KeyPress): Action | null {
	const key = e.key.toLowerCase();
	if (key === 'z') return { type: e.shiftKey ? 'redo' : 'undo' };
	if (key === 'y') return { type: 'redo' };
	if (e.shiftKey) return null;
	switch (key) {
		case 'a':
			return { type: 'selectAll' };
		case 'd':
			return { type: 'duplicate' };
		case 'c':
			return { type: 'copy' };
		case 'x':
			return { type: 'cut' };
		case 'v':
			return { type: 'paste' };
		case '0':
			return { type: 'zoomReset' };
		case '=':
		case '+':
			return { type: 'zoomIn' };
		case '-':
			return { type: 'zoomOut' };
	}
	return null;
}

/** The action a key press asks for, or null when the key means nothing to the editor. */
export function matchShortcut(e: KeyPress): Action | null {
	if (e.altKey) return null;
	if (commandKey(e)) return commandShortcut(e);
	const arrow = ARROWS[e.key];
	if (arrow) {
		const step = e.shiftKey ? NUDGE_SHIFT_PX : NUDGE_PX;
		return { type: 'nudge', dx: arrow[0] * step, dy: arrow[1] * step };
	}
	// Shift+1 types "!" on most layouts, so match the physical key.
	if (e.shiftKey && e.code === 'Digit1') return { type: 'zoomFit' };
	switch (e.key) {
		case '?':
			return { type: 'help' };
		case 'Delete':
		case 'Backspace':
			return { type: 'delete' };
		case 'Escape':
			return { type: 'cancel' };
		case ']':
			return { type: 'bringForward' };
		case '[':
			return { type: 'sendBackward' };
		case '+':
		case '=':
			return { type: 'zoomIn' };
		case '-':
		case '_':
			return { type: 'zoomOut' };
	}
	if (e.shiftKey) return null;
	const tool = TOOL_KEYS[e.key.toLowerCase()];
	return tool ? { type: 'tool', tool } : null;
}

/** True when keys should go to a text field, not to the editor. */
export function isTypingTarget(target: EventTarget | null): boolean {
	if (!target || typeof (target as Element).tagName !== 'string') return false;
	const el = target as HTMLElement;
	const tag = el.tagName;
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
	if (tag === 'INPUT') {
		const type = (el as HTMLInputElement).type;
		// Colour swatches and checkboxes take no keys; sliders do (arrows), so they count as typing.
		return !['color', 'checkbox', 'radio', 'button'].includes(type);
	}
	return el.isContentEditable === true;
}
