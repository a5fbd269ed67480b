/**
 * Putting pictures on the board: where an image shape goes and how big (pure), and the port to whatever
 * stores the bytes (collab's `BoardImages`, wired by the components layer: the editor never fetches).
 */
import { SHAPE_DEFAULTS, insertShapes, type ImageMimeType, type NewShape, type Shape } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';

/** A new image fits within this share of the viewport's width and height. */
export const IMAGE_FIT_VIEWPORT_FRACTION = 0.6;
/** Several images inserted at once are laid out this far apart (board units), down and to the right. */
const CASCADE_STEP = 24;

/** What the store answers for a file it took: the shape's content address, type and pixel size. */
export interface StoredImage {
	hash: string;
	mime: ImageMimeType;
	width: number;
	height: number;
}

/** The editor's side of the image store. */
export interface ImageFiles {
	/** Stores a file for this board (uploaded now, or kept until online); rejects with readable words. */
	add(file: Blob): Promise<StoredImage>;
	/** Copied shapes show these images: keep their bytes where a paste into another board finds them. */
	keepForPaste(hashes: readonly string[]): void;
	/** Pasted shapes show these images: make sure this board has them too. */
	adopt(hashes: readonly string[]): void;
}

/**
 * The image's size in board units: its natural size (one image pixel a board unit, so at zoom 1 it is
 * never upscaled), shrunk to fit IMAGE_FIT_VIEWPORT_FRACTION of the viewport, aspect kept.
 */
export function fittedImageSize(natural: { width: number; height: number }, viewport: { width: number; height: number }, zoom: number): { w: number; h: number } {
	const maxW = (viewport.width * IMAGE_FIT_VIEWPORT_FRACTION) / zoom;
	const maxH = (viewport.height * IMAGE_FIT_VIEWPORT_FRACTION) / zoom;
	const scale = Math.min(1, maxW > 0 ? maxW / natural.width : 1, maxH > 0 ? maxH / natural.height : 1);
	return { w: Math.max(1, natural.width * scale), h: Math.max(1, natural.height * scale) };
}

/** The image shape for a stored file, centred on `centre` (board units). */
export function imageShapeAt(image: StoredImage, centre: Point, viewport: { width: number; height: number }, zoom: number): NewShape<'image'> {
	const { w, h } = fittedImageSize(image, viewport, zoom);
	return {
		...SHAPE_DEFAULTS.image,
		type: 'image',
		x: centre.x - w / 2,
		y: centre.y - h / 2,
		w,
		h,
		hash: image.hash,
		mime: image.mime,
		naturalW: image.width,
		naturalH: image.height
	};
}

/** The image files among pasted or dropped data, in order (any file: the store refuses what it cannot show, with words). */
export function filesOf(data: DataTransfer | null | undefined): File[] {
	if (!data) return [];
	const files = [...(data.files ?? [])];
	if (files.length > 0) return files;
	const fromItems: File[] = [];
	for (const item of data.items ?? []) {
		if (item.kind !== 'file') continue;
		const file = item.getAsFile();
		if (file) fromItems.push(file);
	}
	return fromItems;
}

/** The hashes of the image shapes among `shapes`. */
export function imageHashes(shapes: readonly (Shape | null | undefined)[]): string[] {
	return [...new Set(shapes.flatMap((shape) => (shape?.type === 'image' ? [shape.hash] : [])))];
}

/**
 * Stores each file and puts its image on the board, centred on `at` (a cascade for several), then selects
 * them. A file the store refuses is skipped (the store says why). Returns the new shapes' ids.
 */
export async function insertImageFiles(editor: Editor, images: ImageFiles, files: readonly Blob[], at: Point): Promise<string[]> {
	const stored = await Promise.all(files.map((file) => images.add(file).catch(() => null)));
	// The right to write may have gone while the files were being read.
	if (!editor.canWrite) return [];
	const shapes = stored.flatMap((image, i) => {
		if (!image) return [];
		const centre = { x: at.x + i * CASCADE_STEP, y: at.y + i * CASCADE_STEP };
		return [imageShapeAt(image, centre, editor.viewport, editor.camera.zoom)];
	});
	const ids = insertShapes(editor.board, shapes);
	if (ids.length > 0) {
		editor.setTool('select');
		editor.select(ids);
	}
	return ids;
}
