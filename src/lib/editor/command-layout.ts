/** Where the generated UI puts commands: the toolbar's groups and the shortcuts dialog's sections and rows. */
import { command, isAvailable, listedKeys, type CommandId } from '$lib/editor/commands';
import type { Editor } from '$lib/editor/editor.svelte';
import type { ToolId } from '$lib/editor/tools/tool';

/** Looking around, then drawing: a separator goes between the groups. */
export const TOOLBAR_GROUPS: readonly (readonly ToolId[])[] = [
	['select', 'hand'],
	['pen', 'rect', 'ellipse', 'line', 'arrow', 'text', 'sticky', 'eraser']
];

/** Commands the toolbar offers after the tools (a button each, never "active"). */
export const TOOLBAR_ACTIONS: readonly CommandId[] = ['insertImage'];

/** The toolbar's actions that can be used now. */
export function toolbarActions(editor: Editor): CommandId[] {
	return TOOLBAR_ACTIONS.filter((id) => isAvailable(editor, id));
}

/** The toolbar's tools that can be used now, by group; empty groups are dropped. */
export function toolbarGroups(editor: Editor): ToolId[][] {
	return TOOLBAR_GROUPS.map((group) => group.filter((id) => isAvailable(editor, id))).filter((g) => g.length > 0);
}

/**
 * The label defaults to that of the row's first command; with some of the commands unavailable, it
 * names those left ("Copy"). `readOnlyLabel` replaces it while the editor cannot write.
 */
interface CommandRow {
	label?: string;
	readOnlyLabel?: string;
	commands: readonly CommandId[];
}

type RowSpec =
	| CommandRow
	/** Pointer input the canvas and the editor handle: no command runs it. */
	| { label: string; inputs: readonly string[] };

interface SectionSpec {
	title: string;
	/** The title while the editor cannot write, when the usual one names what a viewer cannot do. */
	readOnlyTitle?: string;
	/** Each key drawn as a key cap rather than as text. */
	keyCaps: boolean;
	rows: readonly RowSpec[];
}

/** The dialog's columns, each a list of sections. */
const SHEET: readonly (readonly SectionSpec[])[] = [
	[{ title: 'Tools', keyCaps: true, rows: TOOLBAR_GROUPS.flat().map((id) => ({ commands: [id] })) }],
	[
		{
			title: 'Editing',
			readOnlyTitle: 'Selection',
			keyCaps: false,
			rows: [
				{ label: 'Undo / redo', commands: ['undo', 'redo'] },
				{ commands: ['selectAll'] },
				{ commands: ['delete'] },
				{ commands: ['duplicate'] },
				{ label: 'Copy / cut / paste', commands: ['copy', 'cut', 'paste'] },
				{ commands: ['insertImage'] },
				{ label: 'Nudge (10 px with Shift)', commands: ['nudge'] },
				{ label: 'Next / previous shape (from the canvas)', commands: ['shapeFocus'] },
				{ commands: ['editOrPlace'] },
				{ commands: ['contextMenu'] },
				{ label: 'Bring forward / send backward', commands: ['bringForward', 'sendBackward'] },
				{ label: 'Finish text, cancel, deselect', readOnlyLabel: 'Cancel, deselect', commands: ['cancel'] }
			]
		},
		{
			title: 'View',
			keyCaps: false,
			rows: [
				{ label: 'Pan', inputs: ['Scroll', 'Space+drag', 'middle drag'] },
				{ label: 'Zoom at pointer', inputs: ['Ctrl+scroll', 'pinch'] },
				{ label: 'Zoom in / out', commands: ['zoomIn', 'zoomOut'] },
				{ commands: ['zoomReset'] },
				{ commands: ['zoomFit'] }
			]
		},
		{
			title: 'File',
			keyCaps: false,
			rows: [{ commands: ['exportImage'] }, { commands: ['saveFile'] }, { commands: ['openFile'] }, { commands: ['history'] }]
		}
	]
];

function rowLabel(editor: Editor, row: CommandRow, available: readonly CommandId[]): string {
	if (!editor.canWrite && row.readOnlyLabel !== undefined) return row.readOnlyLabel;
	if (available.length < row.commands.length) return available.map((id) => command(id).label).join(' / ');
	return row.label ?? command(row.commands[0]!).label;
}

export interface SheetRow {
	label: string;
	keys: string[];
}

export interface SheetSection {
	title: string;
	keyCaps: boolean;
	rows: SheetRow[];
}

/** The dialog's content for this editor: rows whose commands are all unavailable are left out. */
export function shortcutSheet(editor: Editor): SheetSection[][] {
	return SHEET.map((column) =>
		column.map(({ title, readOnlyTitle, keyCaps, rows }) => ({
			title: !editor.canWrite && readOnlyTitle !== undefined ? readOnlyTitle : title,
			keyCaps,
			rows: rows.flatMap((row) => {
				if ('inputs' in row) return [{ label: row.label, keys: [...row.inputs] }];
				const ids = row.commands.filter((id) => isAvailable(editor, id));
				if (ids.length === 0) return [];
				return [{ label: rowLabel(editor, row, ids), keys: ids.flatMap(listedKeys) }];
			})
		}))
	);
}

/** Every command the sheet lists, so tests can hold it to listing each key-bound command once. */
export function sheetCommands(): CommandId[] {
	return SHEET.flat().flatMap((section) => section.rows.flatMap((row) => ('commands' in row ? row.commands : [])));
}
