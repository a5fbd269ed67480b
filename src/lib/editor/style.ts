/** Styles: the defaults new shapes get, the palettes the style panel offers, and style → per-kind patch mapping. */
import { DEFAULT_NOTE_COLOR, DEFAULT_STROKE, TRANSPARENT, type Shape, type ShapePatch, type ShapeProps, type ShapeType } from '$lib/board';

export interface StyleDefaults {
	stroke: string;
	/** Fill of rectangles and ellipses; 'transparent' for none. */
	fill: string;
	/** Paper colour of new sticky notes. */
	noteColor: string;
	/** 0..3: S, M, L, XL (mapped to a width per kind: pens draw thicker than outlines). */
	size: SizeLevel;
	opacity: number;
	/** 0..3: S, M, L, XL font size. */
	fontLevel: SizeLevel;
}

export type SizeLevel = 0 | 1 | 2 | 3;
export const SIZE_LABELS = ['S', 'M', 'L', 'XL'] as const;

/** Stroke widths for outlines, lines and arrows, by size level. */
export const STROKE_WIDTHS = [1, 2, 4, 8] as const;
/** Pen diameters by size level. */
export const PEN_WIDTHS = [2, 4, 8, 16] as const;
export const FONT_SIZES = [16, 24, 32, 48] as const;

export interface Swatch {
	name: string;
	value: string;
}

export const STROKE_COLORS: readonly Swatch[] = [
	{ name: 'Black', value: DEFAULT_STROKE },
	{ name: 'Red', value: '#e03131' },
	{ name: 'Green', value: '#2f9e44' },
	{ name: 'Blue', value: '#1971c2' },
	{ name: 'Orange', value: '#f08c00' },
	{ name: 'Violet', value: '#9c36b5' }
];
export const FILL_COLORS: readonly Swatch[] = [
	{ name: 'None', value: TRANSPARENT },
	{ name: 'Red', value: '#ffc9c9' },
	{ name: 'Green', value: '#b2f2bb' },
	{ name: 'Blue', value: '#a5d8ff' },
	{ name: 'Yellow', value: '#ffec99' },
	{ name: 'Violet', value: '#eebefa' }
];
export const NOTE_COLORS: readonly Swatch[] = [
	{ name: 'Yellow', value: DEFAULT_NOTE_COLOR },
	{ name: 'Pink', value: '#fecaca' },
	{ name: 'Green', value: '#bbf7d0' },
	{ name: 'Blue', value: '#bfdbfe' },
	{ name: 'Orange', value: '#fed7aa' },
	{ name: 'Violet', value: '#e9d5ff' }
];

/** The shape kind a drawing tool creates, or null for tools that create nothing. */
export function shapeTypeOfTool(tool: string): ShapeType | null {
	return ['pen', 'rect', 'ellipse', 'line', 'arrow', 'text', 'sticky'].includes(tool) ? (tool as ShapeType) : null;
}

export const DEFAULT_STYLE: StyleDefaults = {
	stroke: DEFAULT_STROKE,
	fill: TRANSPARENT,
	noteColor: DEFAULT_NOTE_COLOR,
	size: 1,
	opacity: 1,
	fontLevel: 1
};

export function strokeWidthFor(type: ShapeType, level: SizeLevel): number {
	if (type === 'sticky') return 0;
	return (type === 'pen' ? PEN_WIDTHS : STROKE_WIDTHS)[level];
}

function nearestLevel(values: readonly number[], value: number): SizeLevel {
	let best = 0;
	for (let i = 1; i < values.length; i++) {
		if (Math.abs(values[i]! - value) < Math.abs(values[best]! - value)) best = i;
	}
	return best as SizeLevel;
}

/** The style a shape shows, expressed as panel values (so the panel can highlight them). */
export function styleOf(shape: Shape): Partial<StyleDefaults> {
	const style: Partial<StyleDefaults> = { stroke: shape.stroke, opacity: shape.opacity };
	if (shape.type === 'sticky') style.noteColor = shape.noteColor;
	else style.size = nearestLevel(shape.type === 'pen' ? PEN_WIDTHS : STROKE_WIDTHS, shape.strokeWidth);
	if (shape.type === 'rect' || shape.type === 'ellipse') style.fill = shape.fill;
	if (shape.type === 'text' || shape.type === 'sticky') style.fontLevel = nearestLevel(FONT_SIZES, shape.fontSize);
	return style;
}

/** Which panel sections apply to a kind. */
export function styleSections(type: ShapeType): { stroke: boolean; fill: boolean; note: boolean; size: boolean; font: boolean } {
	return {
		// A picture has no ink of its own: only its opacity applies.
		stroke: type !== 'image',
		fill: type === 'rect' || type === 'ellipse',
		note: type === 'sticky',
		size: type !== 'sticky' && type !== 'text' && type !== 'image',
		font: type === 'text' || type === 'sticky'
	};
}

/** The fields of a new shape of `type` that come from the current style. */
export function newShapeStyle<T extends ShapeType>(type: T, style: StyleDefaults): Partial<ShapeProps<T>> {
	const patch: ShapePatch = {
		stroke: style.stroke,
		opacity: style.opacity,
		strokeWidth: strokeWidthFor(type, style.size)
	};
	const sections = styleSections(type);
	if (sections.fill) patch.fill = style.fill;
	if (sections.note) patch.noteColor = style.noteColor;
	if (sections.font) patch.fontSize = FONT_SIZES[style.fontLevel];
	// Only fields of this kind were set above.
	return patch as Partial<ShapeProps<T>>;
}

/** The patch that applies one changed panel value to a shape, or null when it does not apply to its kind. */
export function stylePatch(shape: Shape, change: Partial<StyleDefaults>): ShapePatch | null {
	const patch: ShapePatch = {};
	const sections = styleSections(shape.type);
	if (change.stroke !== undefined && sections.stroke) patch.stroke = change.stroke;
	if (change.opacity !== undefined) patch.opacity = change.opacity;
	if (change.fill !== undefined && sections.fill) patch.fill = change.fill;
	if (change.noteColor !== undefined && sections.note) patch.noteColor = change.noteColor;
	if (change.size !== undefined && sections.size) patch.strokeWidth = strokeWidthFor(shape.type, change.size);
	if (change.fontLevel !== undefined && sections.font) patch.fontSize = FONT_SIZES[change.fontLevel];
	return Object.keys(patch).length > 0 ? patch : null;
}
