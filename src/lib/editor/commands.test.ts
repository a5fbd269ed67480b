import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createShape } from '$lib/board';
import { isTypingTarget, matchesExactly, matchesIgnoringShift, parseChord, type Chord, type KeyPress } from '$lib/editor/chords';
import { COMMANDS, chordsOf, commandForKey, commandTitle, runCommand, type CommandId } from '$lib/editor/commands';
import { TOOLBAR_GROUPS, sheetCommands, shortcutSheet, toolbarGroups } from '$lib/editor/command-layout';
import { drag, testEditor } from '$lib/editor/test-helpers';

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
	return { key, code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

const match = (p: KeyPress) => commandForKey(p)?.id ?? null;

/** The key press a chord stands for, as a US keyboard would send it. */
function pressFor(chord: Chord): KeyPress {
	const { mod, shift, key } = parseChord(chord);
	const digit = /^[0-9]$/.test(key);
	const shiftedDigit = shift && digit ? '!@#$%^&*()'[(Number(key) + 9) % 10]! : null;
	return press(shiftedDigit ?? (key.length === 1 && !shift ? key.toLowerCase() : key), {
		ctrlKey: mod,
		shiftKey: shift,
		code: digit ? `Digit${key}` : ''
	});
}

describe('the registry', () => {
	const bindings = COMMANDS.flatMap((cmd) => chordsOf(cmd).map((chord) => ({ id: cmd.id, chord })));

	it('declares every chord in the chord grammar', () => {
		for (const { chord } of bindings) expect(() => parseChord(chord), chord).not.toThrow();
		expect(() => parseChord('z')).toThrow();
		expect(() => parseChord('Ctrl+Z')).toThrow();
	});

	it('gives no chord to two commands', () => {
		const owners = new Map<Chord, CommandId[]>();
		for (const { id, chord } of bindings) owners.set(chord, [...(owners.get(chord) ?? []), id]);
		expect([...owners].filter(([, ids]) => ids.length > 1)).toEqual([]);
	});

	it('maps the press of every chord to exactly its own command', () => {
		for (const { id, chord } of bindings) {
			const p = pressFor(chord);
			const exact = bindings.filter((b) => matchesExactly(b.chord, p));
			expect(exact, chord).toEqual([{ id, chord }]);
			expect(commandForKey(p), chord).toEqual({ id, chord });
		}
	});

	it('lets Shift slip only into chords of symbols and named keys, never into another command', () => {
		for (const { id, chord } of bindings) {
			const shifted = { ...pressFor(chord), shiftKey: true };
			const loose = bindings.filter((b) => matchesIgnoringShift(b.chord, shifted));
			expect(loose.length, chord).toBeLessThanOrEqual(1);
			if (loose.length === 1) expect(loose[0]!.id, chord).toBe(id);
		}
	});

	it('runs, for each tool command, its own tool', () => {
		const { editor, commands } = testEditor();
		for (const id of TOOLBAR_GROUPS.flat()) {
			runCommand(commands, id);
			expect(editor.tool).toBe(id);
		}
	});

	it('titles buttons with the label and first key, as the toolbar, zoom and history buttons read', () => {
		expect(TOOLBAR_GROUPS.flat().map(commandTitle)).toEqual([
			'Select (V)',
			'Hand (H)',
			'Pen (P)',
			'Rectangle (R)',
			'Ellipse (O)',
			'Line (L)',
			'Arrow (A)',
			'Text (T)',
			'Sticky note (N)',
			'Eraser (E)'
		]);
		const others: CommandId[] = ['undo', 'redo', 'zoomOut', 'zoomReset', 'zoomIn', 'help', 'sendBackward', 'bringForward', 'duplicate', 'delete'];
		expect(others.map(commandTitle)).toEqual([
			'Undo (Ctrl+Z)',
			'Redo (Ctrl+Shift+Z)',
			'Zoom out (-)',
			'Reset zoom (Ctrl+0)',
			'Zoom in (+)',
			'Keyboard shortcuts (?)',
			'Send backward ([)',
			'Bring forward (])',
			'Duplicate (Ctrl+D)',
			'Delete (Delete)'
		]);
	});
});

describe('key presses', () => {
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
		expect(match(press(key))).toBe(tool);
	});

	it('maps undo and every redo chord, with Ctrl or Cmd', () => {
		expect(match(press('z', { ctrlKey: true }))).toBe('undo');
		expect(match(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
		expect(match(press('y', { ctrlKey: true }))).toBe('redo');
		expect(match(press('Y', { ctrlKey: true, shiftKey: true }))).toBe('redo');
		expect(match(press('z', { metaKey: true }))).toBe('undo');
	});

	it('maps clipboard, duplicate and select all to ctrl chords, not tools', () => {
		expect(match(press('a', { ctrlKey: true }))).toBe('selectAll');
		expect(match(press('d', { ctrlKey: true }))).toBe('duplicate');
		expect(match(press('c', { ctrlKey: true }))).toBe('copy');
		expect(match(press('x', { ctrlKey: true }))).toBe('cut');
		expect(match(press('v', { ctrlKey: true }))).toBe('paste');
	});

	it('nudges by 1 px, or 10 px with shift', () => {
		const { editor, commands } = testEditor();
		const id = createShape(editor.board, 'rect', { x: 0, y: 0 });
		editor.select([id]);
		for (const p of [press('ArrowLeft'), press('ArrowDown', { shiftKey: true })]) {
			const found = commandForKey(p)!;
			expect(found.id).toBe('nudge');
			runCommand(commands, 'nudge', { chord: found.chord });
		}
		expect(editor.shape(id)).toMatchObject({ x: -1, y: 10 });
	});

	it('maps zoom keys, including shift+1 by physical key, and leaves Ctrl+Shift+= to the browser', () => {
		expect(match(press('+', { shiftKey: true }))).toBe('zoomIn');
		expect(match(press('='))).toBe('zoomIn');
		expect(match(press('=', { ctrlKey: true }))).toBe('zoomIn');
		expect(match(press('-'))).toBe('zoomOut');
		expect(match(press('_', { shiftKey: true }))).toBe('zoomOut');
		expect(match(press('0', { ctrlKey: true }))).toBe('zoomReset');
		expect(match(press('!', { shiftKey: true, code: 'Digit1' }))).toBe('zoomFit');
		expect(match(press('1', { code: 'Digit1' }))).toBeNull();
		expect(match(press('+', { ctrlKey: true, shiftKey: true }))).toBeNull();
	});

	it('maps z-order, delete and escape, with or without shift', () => {
		expect(match(press(']'))).toBe('bringForward');
		expect(match(press('['))).toBe('sendBackward');
		expect(match(press('Delete'))).toBe('delete');
		expect(match(press('Backspace'))).toBe('delete');
		expect(match(press('Delete', { shiftKey: true }))).toBe('delete');
		expect(match(press('Escape'))).toBe('cancel');
	});

	it('opens the shortcut list with ?, shifted or not', () => {
		expect(match(press('?', { shiftKey: true, code: 'Slash' }))).toBe('help');
		expect(match(press('?'))).toBe('help');
	});

	it('ignores unknown keys, shifted letters, alt chords and ctrl with plain keys', () => {
		expect(match(press('q'))).toBeNull();
		expect(match(press('R', { shiftKey: true }))).toBeNull();
		expect(match(press('r', { altKey: true }))).toBeNull();
		expect(match(press('a', { ctrlKey: true, shiftKey: true }))).toBeNull();
		expect(match(press('Delete', { ctrlKey: true }))).toBeNull();
		expect(match(press('?', { ctrlKey: true }))).toBeNull();
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

describe('the generated toolbar and dialog', () => {
	it('puts every tool on the toolbar once', () => {
		const tools = TOOLBAR_GROUPS.flat();
		expect(new Set(tools).size).toBe(tools.length);
		expect(tools).toHaveLength(10);
	});

	it('lists every command that has keys once, except the list itself', () => {
		const listed = sheetCommands();
		expect(new Set(listed).size).toBe(listed.length);
		const keyed = COMMANDS.filter((c) => chordsOf(c).length > 0 && c.id !== 'help').map((c) => c.id);
		expect([...listed].sort()).toEqual([...keyed].sort());
	});

	it('shows the dialog rows it always showed', () => {
		const { editor } = testEditor();
		const text = shortcutSheet(editor).map((column) =>
			column.map((s) => [s.title, s.rows.map((r) => `${r.label}: ${r.keys.join(' · ')}`)])
		);
		expect(text).toEqual([
			[
				[
					'Tools',
					['Select: V', 'Hand: H', 'Pen: P · D', 'Rectangle: R', 'Ellipse: O', 'Line: L', 'Arrow: A', 'Text: T', 'Sticky note: N', 'Eraser: E']
				]
			],
			[
				[
					'Editing',
					[
						'Undo / redo: Ctrl+Z · Ctrl+Shift+Z · Ctrl+Y',
						'Select all: Ctrl+A',
						'Delete: Delete · Backspace',
						'Duplicate: Ctrl+D',
						'Copy / cut / paste: Ctrl+C · Ctrl+X · Ctrl+V',
						'Insert image: I',
						'Nudge (10 px with Shift): Arrow keys',
						'Next / previous shape (from the canvas): Tab · Shift+Tab',
						'Edit text, or place a shape with the tool: Enter',
						'Context menu: Shift+F10',
						'Bring forward / send backward: ] · [',
						'Finish text, cancel, deselect: Escape'
					]
				],
				[
					'View',
					[
						'Pan: Scroll · Space+drag · middle drag',
						'Zoom at pointer: Ctrl+scroll · pinch',
						'Zoom in / out: + · -',
						'Reset zoom: Ctrl+0',
						'Zoom to fit: Shift+1'
					]
				],
				['File', ['Export image: Ctrl+Shift+E', 'Save to file: Ctrl+S', 'Open file: Ctrl+O', 'Version history: Ctrl+Shift+H']]
			]
		]);
	});
});

describe('the read-only gate', () => {
	function readOnlyBoard() {
		const t = testEditor();
		const a = createShape(t.editor.board, 'rect', { x: 0, y: 0, w: 100, h: 100 });
		const b = createShape(t.editor.board, 'ellipse', { x: 300, y: 0, w: 100, h: 100 });
		// Something to undo, so a refused undo is visible.
		t.editor.setTool('rect');
		drag(t.editor, [600, 600]);
		t.editor.select([a, b]);
		t.editor.canWrite = false;
		return { ...t, a, b };
	}

	it('refuses every command that writes and leaves the board as it was', () => {
		const { editor, commands, doc } = readOnlyBoard();
		const before = Y.encodeStateAsUpdate(doc);
		const clipboardData = { getData: () => '', setData: () => {} } as unknown as DataTransfer;
		const writers = COMMANDS.filter((c) => c.writes);
		expect(writers.map((c) => c.id)).toEqual(expect.arrayContaining(['undo', 'redo', 'delete', 'duplicate', 'cut', 'paste', 'nudge', 'bringForward', 'sendBackward', 'pen', 'rect', 'eraser']));
		for (const cmd of writers) {
			for (const chord of [undefined, ...chordsOf(cmd)]) {
				expect(runCommand(commands, cmd.id, { chord, clipboardData }), cmd.id).toBe(false);
			}
		}
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
		expect(editor.tool).toBe('select');
		expect(editor.selection).toHaveLength(2);
	});

	it('still runs the camera, selection, copy and help commands', () => {
		const { editor, commands } = readOnlyBoard();
		expect(runCommand(commands, 'zoomIn')).toBe(true);
		expect(editor.camera.zoom).toBeCloseTo(1.25);
		runCommand(commands, 'zoomReset');
		expect(editor.camera.zoom).toBe(1);
		runCommand(commands, 'hand');
		expect(editor.tool).toBe('hand');
		runCommand(commands, 'selectAll');
		expect(editor.tool).toBe('select');
		expect(editor.selection).toHaveLength(3);
		let copied = '';
		const clipboardData = { setData: (_: string, text: string) => (copied = text) } as unknown as DataTransfer;
		expect(runCommand(commands, 'copy', { clipboardData })).toBe(true);
		expect(JSON.parse(copied).shapes).toHaveLength(3);
		runCommand(commands, 'help');
		expect(commands.ui.helpOpen).toBe(true);
		runCommand(commands, 'cancel');
		expect(commands.ui.helpOpen).toBe(false);
	});

	it('takes drawing tools off the toolbar and writing rows out of the dialog', () => {
		const { editor } = readOnlyBoard();
		expect(toolbarGroups(editor)).toEqual([['select', 'hand']]);
		const rows = shortcutSheet(editor).flat().flatMap((s) => s.rows.map((r) => r.label));
		expect(rows).toEqual(['Select', 'Hand', 'Select all', 'Copy', 'Next / previous shape (from the canvas)', 'Context menu', 'Cancel, deselect', 'Pan', 'Zoom at pointer', 'Zoom in / out', 'Reset zoom', 'Zoom to fit', 'Export image', 'Save to file', 'Version history']);
		expect(shortcutSheet(editor).flat().map((s) => s.title)).toEqual(['Tools', 'Selection', 'View', 'File']);
		const copyRow = shortcutSheet(editor)[1]![0]!.rows.find((r) => r.label === 'Copy');
		expect(copyRow?.keys).toEqual(['Ctrl+C']);
	});
});
