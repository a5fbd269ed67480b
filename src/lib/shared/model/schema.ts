/** The board document's shape model: limits, one runtime validator per shape kind, the types derived from them, and defaults. */

import * as Y from 'yjs';
import { isValidIndex } from './order.ts';
import {
	type FieldSource,
	type Infer,
	type Validator,
	ValidationError,
	literal,
	number,
	numberArray,
	object,
	optional,
	refine,
	string,
	union
} from './validate.ts';

/**
 * Stored as `meta.schemaVersion`; bump it (and write a migration) when a stored field changes meaning.
 * 2: a scalar field equal to its kind's default may be absent (version 1 stored every field; such docs
 * read the same under 2, so they need no migration).
 * 3: the `text` of text shapes and sticky notes is a Y.Text, so concurrent typing merges. Readers take a
 * plain string too (versions 1 and 2); the first edit of such a shape converts it (docs/schema.md).
 */
export const SCHEMA_VERSION = 3;
/** The field of text shapes and sticky notes that is stored as a Y.Text (version 3) or a string (older). */
export const TEXT_FIELD = 'text';

/** Names of the top-level Y types; other modules must not hard-code them. */
export const SHAPES_MAP = 'shapes';
export const META_MAP = 'meta';
export const SCHEMA_VERSION_KEY = 'schemaVersion';

// Limits. Anything beyond is treated as malformed: no honest client produces it,
// and a renderer handed a 1e300-wide rectangle or a million-point stroke would stall.
/** Largest |x| or |y| of a shape origin, in board units (1 unit = 1 CSS px at zoom 1). */
export const MAX_ABS_COORD = 10_000_000;
/** Largest width/height, and largest |offset| of a point from the shape origin, in board units. */
export const MAX_SHAPE_SIZE = 1_000_000;
export const MAX_STROKE_WIDTH = 1_000;
export const MIN_FONT_SIZE = 1;
export const MAX_FONT_SIZE = 2_000;
/** Points per line/arrow/pen shape (each point is two numbers). */
export const MAX_POINTS = 10_000;
export const MAX_TEXT_LENGTH = 20_000;
export const MAX_INDEX_LENGTH = 256;
export const SHAPE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** An image's content address: the SHA-256 of its bytes, lowercase hex (the server stores and serves it by this). */
export const IMAGE_HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Image types a board accepts, checked by their bytes on upload. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number];
/** Largest width or height of an image file, in pixels. */
export const MAX_IMAGE_PIXELS_SIDE = 16_384;
/** Hex colours only (#rgb, #rgba, #rrggbb, #rrggbbaa): one form to compare, no CSS parser needed to validate. */
export const COLOR_PATTERN = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
export const TRANSPARENT = 'transparent';

const coord = number({ min: -MAX_ABS_COORD, max: MAX_ABS_COORD });
const size = number({ min: 0, max: MAX_SHAPE_SIZE });
const color = string({ pattern: COLOR_PATTERN });
const index = refine(string({ minLength: 1, maxLength: MAX_INDEX_LENGTH }), (key) =>
	isValidIndex(key) ? null : `"${key.slice(0, 40)}" is not a fractional index`
);

/** Fields every shape has. */
const base = {
	/** The key of the shape in the `shapes` map (not stored inside the shape's own map). */
	id: string({ pattern: SHAPE_ID_PATTERN }),
	/** Origin in board units. Boxes: top-left corner of the unrotated box. Lines: the origin `points` are relative to. */
	x: coord,
	y: coord,
	/** Degrees clockwise about (x, y), as Konva rotates a node about its origin. Ops store it in [0, 360). */
	rotation: number(),
	/** Fractional index: shapes are drawn in ascending (index, id) order. */
	index,
	/** Outline / ink / text colour. */
	stroke: color,
	/** Body colour, or 'transparent' for none. */
	fill: union(color, literal(TRANSPARENT)),
	/** Outline width in board units; for pen, the stroke diameter at mid pressure. 0 = no outline. */
	strokeWidth: number({ min: 0, max: MAX_STROKE_WIDTH }),
	/** 0 (invisible) to 1 (opaque), applied to the whole shape. */
	opacity: number({ min: 0, max: 1 })
};

const box = { w: size, h: size };
const offsets = (minPoints: number) =>
	numberArray({ even: true, minLength: minPoints * 2, maxLength: MAX_POINTS * 2, min: -MAX_SHAPE_SIZE, max: MAX_SHAPE_SIZE });
const text = {
	/** Read as a string; stored as a Y.Text (version 3) or a plain string (older boards): docs/schema.md. */
	text: string({ maxLength: MAX_TEXT_LENGTH }),
	fontSize: number({ min: MIN_FONT_SIZE, max: MAX_FONT_SIZE })
};

export const rectValidator = object({ ...base, type: literal('rect'), ...box });
/** An ellipse inscribed in the box (x, y, w, h). */
export const ellipseValidator = object({ ...base, type: literal('ellipse'), ...box });
/** A polyline through `points` (flat [x0, y0, x1, y1, …], relative to x, y). */
export const lineValidator = object({ ...base, type: literal('line'), points: offsets(2) });
/** A line with an arrowhead at its last point. */
export const arrowValidator = object({ ...base, type: literal('arrow'), points: offsets(2) });
/** A freehand stroke; one point is a dot. `pressures[i]` (0..1) belongs to point i; absent means simulated. */
export const penValidator = refine(
	object({
		...base,
		type: literal('pen'),
		points: offsets(1),
		pressures: optional(numberArray({ maxLength: MAX_POINTS, min: 0, max: 1 }))
	}),
	(pen) =>
		pen.pressures && pen.pressures.length * 2 !== pen.points.length
			? `pressures has ${pen.pressures.length} values for ${pen.points.length / 2} points`
			: null
);
/**
 * A picture drawn into the box (x, y, w, h). Its bytes are never in the doc: the server stores them by
 * `hash` (docs/protocol.md, "Images"); `naturalW`/`naturalH` are the file's pixel size, so the aspect
 * is known (and a placeholder of the right shape drawn) before the bytes arrive.
 */
export const imageValidator = object({
	...base,
	type: literal('image'),
	...box,
	hash: string({ pattern: IMAGE_HASH_PATTERN }),
	mime: union(literal('image/png'), literal('image/jpeg'), literal('image/gif'), literal('image/webp')),
	naturalW: number({ min: 1, max: MAX_IMAGE_PIXELS_SIDE }),
	naturalH: number({ min: 1, max: MAX_IMAGE_PIXELS_SIDE })
});
/** Text wrapped to width w; h is the measured height, written back by the editor (the model cannot measure text). */
export const textValidator = object({ ...base, type: literal('text'), ...box, ...text });
/** A sticky note: `noteColor` paper, `stroke` text colour, `strokeWidth` border (0 = none); `fill` is unused. */
export const stickyValidator = object({ ...base, type: literal('sticky'), ...box, ...text, noteColor: color });

export const shapeValidators = {
	rect: rectValidator,
	ellipse: ellipseValidator,
	line: lineValidator,
	arrow: arrowValidator,
	pen: penValidator,
	text: textValidator,
	sticky: stickyValidator,
	image: imageValidator
} as const;

export type ShapeType = keyof typeof shapeValidators;
export const SHAPE_TYPES = Object.keys(shapeValidators) as ShapeType[];

export type RectShape = Infer<typeof rectValidator>;
export type EllipseShape = Infer<typeof ellipseValidator>;
export type LineShape = Infer<typeof lineValidator>;
export type ArrowShape = Infer<typeof arrowValidator>;
export type PenShape = Infer<typeof penValidator>;
export type TextShape = Infer<typeof textValidator>;
export type StickyShape = Infer<typeof stickyValidator>;
export type ImageShape = Infer<typeof imageValidator>;
export type Shape = RectShape | EllipseShape | LineShape | ArrowShape | PenShape | TextShape | StickyShape | ImageShape;
export type ShapeOf<T extends ShapeType> = Extract<Shape, { type: T }>;
export type BoxShape = RectShape | EllipseShape | TextShape | StickyShape | ImageShape;
export type PointsShape = LineShape | ArrowShape | PenShape;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The writable fields of a kind: everything but `id` (the map key), `type` (fixed) and `index` (z-order ops own it). */
export type ShapeProps<T extends ShapeType = ShapeType> = DistributiveOmit<ShapeOf<T>, 'id' | 'type' | 'index'>;
type AllPropKeys = { [T in ShapeType]: keyof ShapeProps<T> }[ShapeType];
type PropValue<K extends PropertyKey> = ShapeProps extends infer S ? (S extends unknown ? (K extends keyof S ? S[K] : never) : never) : never;
/**
 * A partial update of writable fields of any kind; checked against the shape's own kind at
 * runtime. An optional field (pen `pressures`) set to undefined is removed.
 */
export type ShapePatch = { [K in AllPropKeys]?: PropValue<K> };

// Compile-time check that the hand-written union above is exactly what the validators prove.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _shapeMatchesValidators: Same<Shape, Infer<(typeof shapeValidators)[ShapeType]>> = true;
void _shapeMatchesValidators;

export function isShapeType(value: unknown): value is ShapeType {
	return typeof value === 'string' && Object.hasOwn(shapeValidators, value);
}

function checkedType(type: unknown): ShapeType {
	if (!isShapeType(type)) {
		throw new ValidationError('type', `unknown shape type ${JSON.stringify(type)?.slice(0, 40) ?? 'undefined'}`);
	}
	return type;
}

/** Validates an untrusted record (with `id`) as a shape of its declared kind; throws ValidationError. */
export function validateShape(raw: unknown): Shape {
	const type = checkedType(typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined);
	return (shapeValidators[type] as Validator<Shape>).check(raw);
}

/**
 * Validates a stored shape field by field: `stored(key)` is the stored value, undefined where the field is
 * absent, which then takes its kind's default (OMITTABLE_DEFAULTS). Reading through it builds no
 * intermediate record: a first sync reads 10,000 shapes. Throws ValidationError.
 */
export function readStoredShape(id: string, stored: FieldSource): Shape {
	const type = checkedType(stored('type'));
	const defaults = OMITTABLE_DEFAULTS[type];
	const textKind = hasText(type);
	return shapeValidators[type].checkFields((key) => {
		if (key === 'id') return id;
		const value = stored(key);
		if (value === undefined) return defaults[key];
		// The one nested type a shape may hold; anywhere else a Y type fails validation as before.
		return textKind && key === TEXT_FIELD && value instanceof Y.Text ? storedText(value) : value;
	}) as Shape;
}

/** Whether shapes of this kind have a `text` field (stored as a Y.Text). */
export function hasText(type: ShapeType): type is 'text' | 'sticky' {
	return type === 'text' || type === 'sticky';
}

/**
 * A stored Y.Text's content for validation. Past MAX_TEXT_LENGTH it stays too long, so the shape
 * is read as malformed exactly like a string that long (two people typing near the limit at once can
 * merge past it; docs/schema.md). Only the length is read then, not the whole text.
 */
function storedText(value: Y.Text): string {
	return value.length > MAX_TEXT_LENGTH ? ' '.repeat(MAX_TEXT_LENGTH + 1) : value.toString();
}

export const DEFAULT_STROKE = '#1e1e1e';
export const DEFAULT_NOTE_COLOR = '#fef08a';

const style = { rotation: 0, stroke: DEFAULT_STROKE, fill: TRANSPARENT, strokeWidth: 2, opacity: 1 };

/** What `createShape(type)` writes for fields the caller leaves out (x, y default to 0). */
export const SHAPE_DEFAULTS: { readonly [T in ShapeType]: Readonly<ShapeProps<T>> } = {
	rect: { x: 0, y: 0, ...style, w: 100, h: 100 },
	ellipse: { x: 0, y: 0, ...style, w: 100, h: 100 },
	line: { x: 0, y: 0, ...style, points: [0, 0, 100, 0] },
	arrow: { x: 0, y: 0, ...style, points: [0, 0, 100, 0] },
	pen: { x: 0, y: 0, ...style, strokeWidth: 4, points: [0, 0] },
	text: { x: 0, y: 0, ...style, w: 200, h: 32, text: '', fontSize: 24 },
	sticky: { x: 0, y: 0, ...style, strokeWidth: 0, w: 200, h: 200, text: '', fontSize: 20, noteColor: DEFAULT_NOTE_COLOR },
	image: { x: 0, y: 0, ...style, strokeWidth: 0, w: 100, h: 100, hash: '0'.repeat(64), mime: 'image/png', naturalW: 1, naturalH: 1 }
};

/**
 * The fields a stored shape may leave out, per kind: the scalar defaults. Arrays (`points`) are always
 * stored. Every stored field is a Yjs item that each client decodes, keeps in memory and sends on
 * join, so a rect drawn in the default style stores 6 fields instead of 11.
 */
export const OMITTABLE_DEFAULTS: { readonly [T in ShapeType]: Readonly<Record<string, unknown>> } = Object.fromEntries(
	SHAPE_TYPES.map((type) => [type, Object.fromEntries(Object.entries(SHAPE_DEFAULTS[type]).filter(([, value]) => typeof value !== 'object'))])
) as { [T in ShapeType]: Record<string, unknown> };

/** A valid shape's fields (no `id`) as they are stored: without the fields that equal their kind's default. */
export function storedFields(fields: Record<string, unknown> & { type: ShapeType }): Record<string, unknown> {
	const defaults = OMITTABLE_DEFAULTS[fields.type];
	const stored: Record<string, unknown> = {};
	for (const key in fields) if (!(Object.hasOwn(defaults, key) && defaults[key] === fields[key])) stored[key] = fields[key];
	return stored;
}
