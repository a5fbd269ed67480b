/**
 * The command registry: every command the toolbar, the shortcuts dialog and the keyboard offer, declared
 * once (label, keys, what it does, whether it writes), and `runCommand`, the one way to run one.
 */
import { bringForward, deleteShapes, duplicateShapes, sendBackward, translateShapes } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { UiState } from '$lib/editor/ui-state.svelte';
import { toolWrites, type ToolId } from '$lib/editor/tools/tool';
import type { Point } from '$lib/view/camera';
import { matchesExactly, matchesIgnoringShift, showChord, type Chord, type KeyPress } from '$lib/editor/chords';
import {
	copySelection,
	cutSelection,
	fallbackClipboard,
	pasteFromSystemClipboard,
	pasteText,
	writeSystemClipboard
} from '$lib/editor/clipboard-commands';
import { filesOf, imageHashes, insertImageFiles, type ImageFiles } from '$lib/editor/images';
import { editSelectedText, placeShape } from '$lib/editor/keyboard-place';

export type CommandId =
	| ToolId
	| 'undo'
	| 'redo'
	| 'selectAll'
	| 'delete'
	| 'duplicate'
	| 'copy'
	| 'cut'
	| 'paste'
	| 'insertImage'
	| 'nudge'
	| 'shapeFocus'
	| 'editOrPlace'
	| 'contextMenu'
	| 'bringForward'
	| 'sendBackward'
	| 'zoomIn'
	| 'zoomOut'
	| 'zoomReset'
	| 'zoomFit'
	| 'exportImage'
	| 'saveFile'
	| 'openFile'
	| 'history'
	| 'help'
	| 'cancel';

/** What a command acts on. */
export interface CommandContext {
	readonly editor: Editor;
	readonly ui: UiState;
	/** Where a paste lands (board units): the pointer if it is over the canvas, else the view centre. */
	pasteTarget(): Point;
	/** Where the board's images are stored; absent where there is none (tests), and then nothing inserts images. */
	readonly images?: ImageFiles;
	/** Opens the browser's file chooser for images (called within the key press or click); resolves with the files picked. */
	chooseImageFiles?(): Promise<File[]>;
}

/** How a command was asked for; empty for a button. */
export interface Trigger {
	/** The chord that was pressed (nudge reads its direction from it). */
	chord?: Chord;
	/** The data of the browser's copy, cut or paste event. */
	clipboardData?: DataTransfer | null;
}

export interface Command {
	readonly id: CommandId;
	/** What buttons and the shortcuts dialog call it. */
	readonly label: string;
	/** Run it and are listed; the first is the one a button's title shows. */
	readonly keys: readonly Chord[];
	/** Also run it but are not listed: layout variants ('=' beside '+') and sets that `keysText` sums up. */
	readonly hiddenKeys?: readonly Chord[];
	/** Listed instead of the keys, where listing each would be noise ("Arrow keys"). */
	readonly keysText?: string;
	/** It changes the board, so it is refused while the editor cannot write. */
	readonly writes: boolean;
	/**
	 * The browser fires its own event for these keys (only its clipboard events can reach the system
	 * clipboard), so the key only arms a fallback and the event runs the command.
	 */
	readonly browserEvent?: 'copy' | 'cut' | 'paste';
	/**
	 * The key means something else on a focused control (Tab moves between controls, Enter presses a
	 * button), so it reaches the command only while the keyboard is on the board: the canvas, a shape on
	 * it, or nothing focused.
	 */
	readonly boardKeysOnly?: boolean;
	/** Does it. Returns false when it did nothing, so a key press keeps the browser's default. */
	run(ctx: CommandContext, trigger: Trigger): boolean | void;
}

type CommandSpec = Omit<Command, 'id'>;

const NUDGE_PX = 1;
const NUDGE_SHIFT_PX = 10;

const ARROWS: readonly [key: string, dx: number, dy: number][] = [
	['ArrowLeft', -1, 0],
	['ArrowRight', 1, 0],
	['ArrowUp', 0, -1],
	['ArrowDown', 0, 1]
];

/** Each arrow chord and how far it moves the selection. */
const NUDGES = new Map<Chord, { dx: number; dy: number }>(
	ARROWS.flatMap(([key, x, y]) => [
		[key, { dx: x * NUDGE_PX, dy: y * NUDGE_PX }],
		[`Shift+${key}`, { dx: x * NUDGE_SHIFT_PX, dy: y * NUDGE_SHIFT_PX }]
	])
);

function tool(id: ToolId, label: string, keys: Chord[]): CommandSpec {
	return { label, keys, writes: toolWrites(id), run: ({ editor }) => editor.setTool(id) };
}

function history(editor: Editor, step: 'undo' | 'redo'): void {
	editor.activeTool.cancel();
	const result = step === 'undo' ? editor.history.undo() : editor.history.redo();
	if (result?.selection) editor.select(result.selection);
}

/** Copy and cut: into the event's clipboard when the browser fired one, else through the async API. */
function toClipboard(ctx: CommandContext, trigger: Trigger, take: (editor: Editor) => string | null): boolean {
	// The payload holds image shapes' hashes, not their bytes: a paste into another board finds them locally.
	const hashes = imageHashes(ctx.editor.selection.map((id) => ctx.editor.board.read(id)));
	if (hashes.length > 0) ctx.images?.keepForPaste(hashes);
	const text = take(ctx.editor);
	if (text === null) return false;
	if (trigger.clipboardData) trigger.clipboardData.setData('text/plain', text);
	else void writeSystemClipboard(text);
	return true;
}

/**
 * The declarations; a missing or unknown id does not compile. A tool `writes` when changing the board
 * is what it is for (`toolWrites`): select and hand stay usable read-only. Pointer gestures are not
 * commands: the editor itself refuses those that write (the select tool's drags, the Transformer,
 * the style panel, typing) while it cannot write.
 */
const SPECS: { readonly [K in CommandId]: CommandSpec } = {
	select: tool('select', 'Select', ['V']),
	hand: tool('hand', 'Hand', ['H']),
	pen: tool('pen', 'Pen', ['P', 'D']),
	rect: tool('rect', 'Rectangle', ['R']),
	ellipse: tool('ellipse', 'Ellipse', ['O']),
	line: tool('line', 'Line', ['L']),
	arrow: tool('arrow', 'Arrow', ['A']),
	text: tool('text', 'Text', ['T']),
	sticky: tool('sticky', 'Sticky note', ['N']),
	eraser: tool('eraser', 'Eraser', ['E']),
	undo: { label: 'Undo', keys: ['Mod+Z'], writes: true, run: ({ editor }) => history(editor, 'undo') },
	redo: {
		label: 'Redo',
		keys: ['Mod+Shift+Z', 'Mod+Y'],
		hiddenKeys: ['Mod+Shift+Y'],
		writes: true,
		run: ({ editor }) => history(editor, 'redo')
	},
	selectAll: {
		label: 'Select all',
		keys: ['Mod+A'],
		writes: false,
		run: ({ editor }) => {
			editor.setTool('select');
			editor.select(editor.shapes().map((shape) => shape.id));
		}
	},
	delete: {
		label: 'Delete',
		keys: ['Delete', 'Backspace'],
		writes: true,
		run: ({ editor }) => {
			if (editor.selection.length === 0) return;
			deleteShapes(editor.board, editor.selection);
			editor.select([]);
		}
	},
	duplicate: {
		label: 'Duplicate',
		keys: ['Mod+D'],
		writes: true,
		run: ({ editor }) => {
			if (editor.selection.length > 0) editor.select(duplicateShapes(editor.board, editor.selection));
		}
	},
	copy: {
		label: 'Copy',
		keys: ['Mod+C'],
		writes: false,
		browserEvent: 'copy',
		run: (ctx, trigger) => toClipboard(ctx, trigger, copySelection)
	},
	cut: {
		label: 'Cut',
		keys: ['Mod+X'],
		writes: true,
		browserEvent: 'cut',
		run: (ctx, trigger) => toClipboard(ctx, trigger, cutSelection)
	},
	paste: {
		label: 'Paste',
		keys: ['Mod+V'],
		writes: true,
		browserEvent: 'paste',
		run: (ctx, { clipboardData }) => {
			const { editor, images } = ctx;
			if (!clipboardData) return void pasteFromSystemClipboard(editor, () => ctx.pasteTarget(), images);
			const files = filesOf(clipboardData);
			// A copied picture (from a browser or an image editor): the file, not its name or alt text.
			if (files.length > 0 && images) return void insertImageFiles(editor, images, files, ctx.pasteTarget());
			pasteText(editor, clipboardData.getData('text/plain') || fallbackClipboard(), ctx.pasteTarget(), images);
		}
	},
	insertImage: {
		label: 'Insert image',
		keys: ['I'],
		writes: true,
		run: (ctx) => {
			const { editor, images, chooseImageFiles } = ctx;
			if (!images || !chooseImageFiles) return false;
			// Where the view's centre is when the files arrive, not when the chooser opened.
			void chooseImageFiles().then((files) => {
				if (files.length > 0) return insertImageFiles(editor, images, files, editor.toBoard({ x: editor.viewport.width / 2, y: editor.viewport.height / 2 }));
			});
		}
	},
	nudge: {
		label: 'Nudge',
		keys: [],
		hiddenKeys: [...NUDGES.keys()],
		keysText: 'Arrow keys',
		writes: true,
		run: ({ editor }, { chord }) => {
			const step = chord === undefined ? undefined : NUDGES.get(chord);
			// Nothing to move: the arrow keeps its usual meaning.
			if (!step || editor.selection.length === 0) return false;
			translateShapes(editor.board, editor.selection, step.dx, step.dy);
		}
	},
	// The keyboard's way through the shapes (docs/using-the-board.md, "Keyboard"): they write nothing.
	shapeFocus: {
		label: 'Next / previous shape',
		keys: ['Tab', 'Shift+Tab'],
		writes: false,
		boardKeysOnly: true,
		run: ({ editor }, { chord }) => (chord === 'Shift+Tab' ? editor.focus.previous() : editor.focus.next())
	},
	editOrPlace: {
		label: 'Edit text, or place a shape with the tool',
		keys: ['Enter'],
		writes: true,
		boardKeysOnly: true,
		run: ({ editor }) => placeShape(editor) || editSelectedText(editor)
	},
	contextMenu: {
		label: 'Context menu',
		keys: ['Shift+F10'],
		hiddenKeys: ['ContextMenu'],
		writes: false,
		boardKeysOnly: true,
		run: ({ editor }) => editor.openContextMenuFromKeyboard()
	},
	bringForward: { label: 'Bring forward', keys: [']'], writes: true, run: ({ editor }) => bringForward(editor.board, editor.selection) },
	sendBackward: { label: 'Send backward', keys: ['['], writes: true, run: ({ editor }) => sendBackward(editor.board, editor.selection) },
	zoomIn: {
		label: 'Zoom in',
		keys: ['+'],
		hiddenKeys: ['=', 'Mod+=', 'Mod++'],
		writes: false,
		run: ({ editor }) => editor.zoomIn()
	},
	zoomOut: { label: 'Zoom out', keys: ['-'], hiddenKeys: ['_', 'Mod+-'], writes: false, run: ({ editor }) => editor.zoomOut() },
	zoomReset: { label: 'Reset zoom', keys: ['Mod+0'], writes: false, run: ({ editor }) => editor.resetZoom() },
	zoomFit: { label: 'Zoom to fit', keys: ['Shift+1'], writes: false, run: ({ editor }) => editor.zoomToFit() },
	exportImage: {
		label: 'Export image',
		keys: ['Mod+Shift+E'],
		writes: false,
		run: ({ ui }) => {
			ui.exportOpen = true;
		}
	},
	saveFile: {
		label: 'Save to file',
		keys: ['Mod+S'],
		writes: false,
		run: ({ ui }) => {
			ui.fileRequest = 'save';
		}
	},
	// Importing adds shapes, so a viewer cannot.
	openFile: {
		label: 'Open file',
		keys: ['Mod+O'],
		writes: true,
		run: ({ ui }) => {
			ui.openFilePicker?.();
		}
	},
	// Looking at versions is reading; restoring one is the panel's, for editors only.
	history: {
		label: 'Version history',
		keys: ['Mod+Shift+H'],
		writes: false,
		run: ({ ui }) => {
			ui.historyOpen = !ui.historyOpen;
		}
	},
	help: {
		label: 'Keyboard shortcuts',
		keys: ['?'],
		writes: false,
		run: ({ ui }) => {
			ui.helpOpen = !ui.helpOpen;
		}
	},
	cancel: {
		label: 'Cancel',
		keys: ['Escape'],
		writes: false,
		run: ({ editor, ui }) => {
			if (ui.helpOpen) ui.helpOpen = false;
			else if (ui.exportOpen) ui.exportOpen = false;
			else if (ui.historyOpen) ui.historyOpen = false;
			// From a shape, the keyboard goes back to the canvas first; the next Escape deselects.
			else if (editor.focus.shape !== null && editor.focus.onCanvas) editor.focus.toCanvas();
			else editor.cancel();
		}
	}
};

export const COMMANDS: readonly Command[] = Object.entries(SPECS).map(([id, spec]) => ({ ...spec, id: id as CommandId }));

const BY_ID = new Map(COMMANDS.map((command) => [command.id, command]));

export function command(id: CommandId): Command {
	return BY_ID.get(id)!;
}

/** The read-only seam: a command that writes is off while the editor cannot write. */
export function isAvailable(editor: Editor, id: CommandId): boolean {
	return editor.canWrite || !command(id).writes;
}

/** Runs a command unless it is unavailable; returns whether it did something. */
export function runCommand(ctx: CommandContext, id: CommandId, trigger: Trigger = {}): boolean {
	if (!isAvailable(ctx.editor, id)) return false;
	return command(id).run(ctx, trigger) !== false;
}

/** Every chord that runs the command, listed or not. */
export function chordsOf(cmd: Command): readonly Chord[] {
	return [...cmd.keys, ...(cmd.hiddenKeys ?? [])];
}

/**
 * The command a key press asks for. A chord that names exactly the modifiers held wins over one that
 * matches only because Shift does not count for it (`?`, `+`).
 */
export function commandForKey(press: KeyPress): { id: CommandId; chord: Chord } | null {
	for (const matches of [matchesExactly, matchesIgnoringShift]) {
		for (const cmd of COMMANDS) {
			const chord = chordsOf(cmd).find((c) => matches(c, press));
			if (chord !== undefined) return { id: cmd.id, chord };
		}
	}
	return null;
}

/** The keys as the dialog and the docs list them: "Ctrl+Shift+Z", or the command's summary. */
export function listedKeys(id: CommandId): string[] {
	const cmd = command(id);
	return cmd.keysText !== undefined ? [cmd.keysText] : cmd.keys.map(showChord);
}

/** The key a button shows beside its icon ("V"), or null for a command without one. */
export function primaryKey(id: CommandId): string | null {
	const first = command(id).keys[0];
	return first === undefined ? null : showChord(first);
}

/** "Rectangle (R)": the accessible name and tooltip of a command's button. */
export function commandTitle(id: CommandId): string {
	const key = primaryKey(id);
	return key === null ? command(id).label : `${command(id).label} (${key})`;
}
