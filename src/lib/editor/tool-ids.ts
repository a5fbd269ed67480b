/** The tools of the toolbar: id, readable name and shortcut key, in toolbar order. */

export type ToolId =
	| 'select'
	| 'hand'
	| 'pen'
	| 'rect'
	| 'ellipse'
	| 'line'
	| 'arrow'
	| 'text'
	| 'sticky'
	| 'eraser';

export interface ToolInfo {
	id: ToolId;
	label: string;
	/** The key shown in the tooltip; extra keys (like `d` for pen) live in the shortcut map. */
	key: string;
}

export const TOOLS: readonly ToolInfo[] = [
	{ id: 'select', label: 'Select', key: 'V' },
	{ id: 'hand', label: 'Hand', key: 'H' },
	{ id: 'pen', label: 'Pen', key: 'P' },
	{ id: 'rect', label: 'Rectangle', key: 'R' },
	{ id: 'ellipse', label: 'Ellipse', key: 'O' },
	{ id: 'line', label: 'Line', key: 'L' },
	{ id: 'arrow', label: 'Arrow', key: 'A' },
	{ id: 'text', label: 'Text', key: 'T' },
	{ id: 'sticky', label: 'Sticky note', key: 'N' },
	{ id: 'eraser', label: 'Eraser', key: 'E' }
];

/** "Rectangle (R)": the accessible name and tooltip of a toolbar button. */
export function toolTitle(tool: ToolInfo): string {
	return `${tool.label} (${tool.key})`;
}
