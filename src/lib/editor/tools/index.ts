/** Builds one instance of every tool for an editor. */
import type { Editor } from '$lib/editor/editor.svelte';
import { BoxShapeTool } from '$lib/editor/tools/box-shape';
import { EraserTool } from '$lib/editor/tools/eraser';
import { HandTool } from '$lib/editor/tools/hand';
import { LineShapeTool } from '$lib/editor/tools/line-shape';
import { PenTool } from '$lib/editor/tools/pen';
import { SelectTool } from '$lib/editor/tools/select';
import { StickyTool } from '$lib/editor/tools/sticky';
import { TextTool } from '$lib/editor/tools/text';
import type { Tool, ToolId } from '$lib/editor/tools/tool';

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
