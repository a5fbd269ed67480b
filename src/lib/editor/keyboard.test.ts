import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createShape } from '$lib/board';
import { bindKeyboard } from '$lib/editor/keyboard';
import { testEditor } from '$lib/editor/test-helpers';

/** Node has no window: an EventTarget stands in for window and document, fed plain events. */
const fakeWindow = new EventTarget();
const fakeDocument = new EventTarget();

function key(target: EventTarget, type: 'keydown' | 'keyup', init: { key: string; ctrlKey?: boolean; shiftKey?: boolean }) {
	const e = Object.assign(new Event(type, { cancelable: true }), { code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, repeat: false, ...init });
	target.dispatchEvent(e);
	return e;
}

describe('the key handler', () => {
	let unbind = () => {};
	beforeEach(() => {
		vi.stubGlobal('window', fakeWindow);
		vi.stubGlobal('document', fakeDocument);
		vi.useFakeTimers();
	});
	afterEach(() => {
		unbind();
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	function bound() {
		const t = testEditor();
		unbind = bindKeyboard(t.commands);
		return t;
	}

	it('runs the command of a key and keeps the browser default only when it did nothing', () => {
		const { editor } = bound();
		expect(key(fakeWindow, 'keydown', { key: 'r' }).defaultPrevented).toBe(true);
		expect(editor.tool).toBe('rect');
		// An arrow with nothing selected scrolls as usual.
		expect(key(fakeWindow, 'keydown', { key: 'ArrowLeft' }).defaultPrevented).toBe(false);
	});

	it('while the shortcut list is open, lets through only ? and Escape', () => {
		const { editor, commands } = bound();
		key(fakeWindow, 'keydown', { key: '?', shiftKey: true });
		expect(commands.ui.helpOpen).toBe(true);
		key(fakeWindow, 'keydown', { key: 'r' });
		expect(editor.tool).toBe('select');
		key(fakeWindow, 'keydown', { key: 'Escape' });
		expect(commands.ui.helpOpen).toBe(false);
		key(fakeWindow, 'keydown', { key: '?' });
		key(fakeWindow, 'keydown', { key: '?' });
		expect(commands.ui.helpOpen).toBe(false);
		key(fakeWindow, 'keydown', { key: 'r' });
		expect(editor.tool).toBe('rect');
	});

	it('holds space for panning, and forgets it when the window loses focus', () => {
		const { editor } = bound();
		key(fakeWindow, 'keydown', { key: ' ' });
		expect(editor.spaceHeld).toBe(true);
		fakeWindow.dispatchEvent(new Event('blur'));
		expect(editor.spaceHeld).toBe(false);
	});

	it('copies and pastes through the fallback when the browser fires no clipboard event', async () => {
		const { editor } = bound();
		createShape(editor.board, 'rect', { x: 0, y: 0, w: 10, h: 10 });
		key(fakeWindow, 'keydown', { key: 'a', ctrlKey: true });
		key(fakeWindow, 'keydown', { key: 'c', ctrlKey: true });
		await vi.runAllTimersAsync();
		key(fakeWindow, 'keydown', { key: 'v', ctrlKey: true });
		await vi.runAllTimersAsync();
		expect(editor.shapes()).toHaveLength(2);
	});

	it('refuses Ctrl+V, Delete and a paste event while the editor cannot write', async () => {
		const { editor } = bound();
		createShape(editor.board, 'rect', { x: 0, y: 0, w: 10, h: 10 });
		key(fakeWindow, 'keydown', { key: 'a', ctrlKey: true });
		key(fakeWindow, 'keydown', { key: 'c', ctrlKey: true });
		await vi.runAllTimersAsync();
		editor.canWrite = false;
		key(fakeWindow, 'keydown', { key: 'v', ctrlKey: true });
		await vi.runAllTimersAsync();
		const paste = Object.assign(new Event('paste', { cancelable: true }), { clipboardData: { getData: () => '' } });
		fakeDocument.dispatchEvent(paste);
		expect(paste.defaultPrevented).toBe(false);
		key(fakeWindow, 'keydown', { key: 'Delete' });
		expect(editor.shapes()).toHaveLength(1);
		editor.canWrite = true;
		key(fakeWindow, 'keydown', { key: 'Delete' });
		expect(editor.shapes()).toHaveLength(0);
	});

	it('lets no tool key or editing shortcut write while the editor cannot write', async () => {
		const { editor, doc } = bound();
		createShape(editor.board, 'rect', { x: 0, y: 0, w: 10, h: 10 });
		key(fakeWindow, 'keydown', { key: 'r' });
		key(fakeWindow, 'keydown', { key: 'a', ctrlKey: true });
		editor.canWrite = false;
		let updates = 0;
		doc.on('update', () => updates++);
		const presses = [
			...'pdroltan'.split('').map((k) => ({ key: k })),
			{ key: 'e' },
			{ key: 'z', ctrlKey: true },
			{ key: 'z', ctrlKey: true, shiftKey: true },
			{ key: 'y', ctrlKey: true },
			{ key: 'd', ctrlKey: true },
			{ key: 'x', ctrlKey: true },
			{ key: 'v', ctrlKey: true },
			{ key: 'ArrowRight' },
			{ key: 'ArrowDown', shiftKey: true },
			{ key: ']' },
			{ key: '[' },
			{ key: 'Backspace' },
			{ key: 'Delete' }
		];
		for (const press of presses) {
			const e = key(fakeWindow, 'keydown', press);
			// Refused keys keep the browser's default (an arrow scrolls, Ctrl+D bookmarks as usual).
			expect(e.defaultPrevented, press.key).toBe(false);
			expect(editor.tool, press.key).toBe('select');
		}
		await vi.runAllTimersAsync();
		expect(updates).toBe(0);
		expect(editor.selection).toHaveLength(1);
	});
});
