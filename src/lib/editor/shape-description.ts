/**
 * What assistive technology hears of a shape ("Sticky note: Buy milk", "Rectangle 120 by 80") and the
 * order Tab visits shapes in (reading order: rows from top to bottom, each row left to right). Pure: runs in Node.
 */
import { shapeBounds, type Box, type Shape } from '$lib/board';

/** Longest text a description reads out; the rest is "…". */
export const DESCRIBED_TEXT_MAX_CHARS = 200;

const KIND_NAMES: Record<Shape['type'], string> = {
	rect: 'Rectangle',
	ellipse: 'Ellipse',
	line: 'Line',
	arrow: 'Arrow',
	pen: 'Drawing',
	text: 'Text',
	sticky: 'Sticky note',
	image: 'Image'
};

/** "Rectangle", "Sticky note": a shape kind as people call it. */
export function kindName(type: Shape['type']): string {
	return KIND_NAMES[type];
}

/** Text on one line, shortened to what is worth reading out. */
function spoken(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > DESCRIBED_TEXT_MAX_CHARS ? `${line.slice(0, DESCRIBED_TEXT_MAX_CHARS).trimEnd()}…` : line;
}

/** A shape in words: its kind, then its text, or its size (board units) when it has none. */
export function describeShape(shape: Shape): string {
	const kind = kindName(shape.type);
	switch (shape.type) {
		case 'text':
		case 'sticky': {
			const text = spoken(shape.text);
			return text === '' ? `${kind}, empty` : `${kind}: ${text}`;
		}
		case 'rect':
		case 'ellipse':
		case 'image':
			return `${kind} ${Math.round(shape.w)} by ${Math.round(shape.h)}`;
		case 'line':
		case 'arrow': {
			const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = shape.points;
			return `${kind}, ${Math.round(Math.hypot(x1 - x0, y1 - y0))} long`;
		}
		case 'pen':
			return kind;
	}
}

/**
 * Shape ids in reading order, as lines of text are read: shapes are taken from the top; a row is the
 * topmost shape left plus each next one whose top is above the middle of a shape already in the row;
 * each row is read left to right (ties by top, then stacking order). Stacking order alone would follow when things were drawn,
 * which a listener cannot see.
 */
export function readingOrder(shapes: readonly Shape[]): string[] {
	const items = shapes.map((shape, stack) => ({ id: shape.id, box: shapeBounds(shape), stack }));
	items.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x || a.stack - b.stack);
	const order: string[] = [];
	let row: { id: string; box: Box; stack: number }[] = [];
	let rowMiddle = -Infinity;
	const flush = () => {
		row.sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y || a.stack - b.stack);
		for (const item of row) order.push(item.id);
	};
	for (const item of items) {
		if (row.length > 0 && item.box.y <= rowMiddle) {
			row.push(item);
			rowMiddle = Math.max(rowMiddle, item.box.y + item.box.h / 2);
			continue;
		}
		flush();
		row = [item];
		rowMiddle = item.box.y + item.box.h / 2;
	}
	flush();
	return order;
}
