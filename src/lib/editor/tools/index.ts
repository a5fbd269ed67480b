/** Builds one instance of every tool for an editor. */
import type { Editor } from '../editor.svelte';
import type { ToolId } from '../tool-ids';
import { BoxShapeTool } from './box-shape';
import { EraserTool } from './eraser';
import { HandTool } from './hand';
import { LineShapeTool } from './line-shape';
import { PenTool } from './pen';
import { SelectTool } from './select';
import { StickyTool } from './sticky';
import { TextTool } from './text';
import type { Tool } from './tool';

export function createTools(editor: Editor): Record<ToolId, Tool> {
	return {
		select: new SelectTool(editor),
		hand: new HandTool(editor),
		pen: new PenTool(editor),
		rect: new BoxShapeTool(editor, 'rect'),
		ellipse: new BoxShapeTool(editor, 'ellipse'),
		line: new LineShapeTool(editor, 'line'),
		arrow: new LineShapeTool(editor, 'arrow'),
		text: new TextTool(editor),
		sticky: new StickyTool(editor),
		eraser: new EraserTool(editor)
	};
}
