import { describe, expect, it } from 'vitest';
import { isTypingTarget, matchShortcut, type KeyPress } from '$lib/editor/shortcuts';

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
	return { key, code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('shortcut map', () => {
	it.each([
		['v', 'select'],
		['h', 'hand'],
		['p', 'pen'],
		['d', 'pen'],
		['r', 'rect'],
		['o', 'ellipse'],
		['l', 'line'],
		['a', 'arrow'],
		['t', 'text'],
		['n', 'sticky'],
		['e', 'eraser'],
		['R', 'rect']
	])('%s picks the %s tool', (key, tool) => {
		expect(matchShortcut(press(key))).toEqual({ type: 'tool', tool });
	});

	it('maps undo and both redo chords', () => {
		expect(matchShortcut(press('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
		expect(matchShortcut(press('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
		expect(matchShortcut(press('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
		expect(matchShortcut(press('z', { metaKey: true }))).toEqual({ type: 'undo' });
	});

	it('maps clipboard, duplicate and select all to ctrl chords, not tools', () => {
		expect(matchShortcut(press('a', { ctrlKey: true }))).toEqual({ type: 'selectAll' });
		expect(matchShortcut(press('d', { ctrlKey: true }))).toEqual({ type: 'duplicate' });
		expect(matchShortcut(press('c', { ctrlKey: true }))).toEqual({ type: 'copy' });
		expect(matchShortcut(press('v', { ctrlKey: true }))).toEqual({ type: 'paste' });
	});

	it('nudges by 1 px, or 10 px with shift', () => {
		expect(matchShortcut(press('ArrowLeft'))).toEqual({ type: 'nudge', dx: -1, dy: 0 });
		expect(matchShortcut(press('ArrowDown', { shiftKey: true }))).toEqual({ type: 'nudge', dx: 0, dy: 10 });
	});

	it('maps zoom keys, including shift+1 by physical key', () => {
		expect(matchShortcut(press('+', { shiftKey: true }))).toEqual({ type: 'zoomIn' });
		expect(matchShortcut(press('-'))).toEqual({ type: 'zoomOut' });
		expect(matchShortcut(press('0', { ctrlKey: true }))).toEqual({ type: 'zoomReset' });
		expect(matchShortcut(press('!', { shiftKey: true, code: 'Digit1' }))).toEqual({ type: 'zoomFit' });
	});

	it('maps z-order, delete and escape', () => {
		expect(matchShortcut(press(']'))).toEqual({ type: 'bringForward' });
		expect(matchShortcut(press('['))).toEqual({ type: 'sendBackward' });
		expect(matchShortcut(press('Delete'))).toEqual({ type: 'delete' });
		expect(matchShortcut(press('Backspace'))).toEqual({ type: 'delete' });
		expect(matchShortcut(press('Escape'))).toEqual({ type: 'cancel' });
	});

	it('opens the shortcut list with ?', () => {
		expect(matchShortcut(press('?', { shiftKey: true, code: 'Slash' }))).toEqual({ type: 'help' });
	});

	it('ignores unknown keys and alt chords', () => {
		expect(matchShortcut(press('q'))).toBeNull();
		expect(matchShortcut(press('r', { altKey: true }))).toBeNull();
	});

	it('treats text fields and sliders as typing targets but not checkboxes', () => {
		expect(isTypingTarget({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
		expect(isTypingTarget({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
		expect(isTypingTarget({ tagName: 'INPUT', type: 'range' } as unknown as EventTarget)).toBe(true);
		expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
		expect(isTypingTarget({ tagName: 'DIV', isContentEditable: false } as unknown as EventTarget)).toBe(false);
		expect(isTypingTarget(null)).toBe(false);
	});
});
