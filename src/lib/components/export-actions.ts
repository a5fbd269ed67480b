/**
 * What the export dialog and the file keys do: the picture of the board or the selection (PNG through
 * the canvas's renderers, SVG through `view/export-svg.ts`), the .boardwalk file (save and import), and
 * getting the result to the person (download, clipboard). Here the editor, the canvas and the
 * session's images meet.
 */
import { BOARD_BACKGROUND, buildSvg, exportBounds } from '$lib/view/export-svg';
import { fitPixelRatio, konvaTextLayout, renderPng } from '$lib/canvas/export';
import { importShapes, type ImageMimeType, type Shape } from '$lib/board';
import {
	BoardwalkFileError,
	buildBoardwalkFile,
	parseBoardwalkFile,
	BOARDWALK_FILE_EXTENSION,
	BOARDWALK_FILE_MIME,
	base64ToBytes,
	usedImageHashes
} from '$lib/shared/boardwalk-file';
import type { BoardImageStore } from '$lib/collab/image-transfer';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';

export type ExportScope = 'board' | 'selection';
export type ExportFormat = 'png' | 'svg';

export interface ImageExportOptions {
	scope: ExportScope;
	format: ExportFormat;
	/** Pixels per board unit (PNG only). */
	scale: 1 | 2;
	/** Fill with the board's background, else transparent. */
	background: boolean;
}

export interface ExportResult {
	blob: Blob;
	filename: string;
	/** Set when the picture was made smaller than asked (a board too large for one browser image), in words. */
	reduced?: string;
}

/** The shapes in the scope: the whole board, or the selection. */
export function shapesInScope(editor: Editor, scope: ExportScope): Shape[] {
	const all = editor.shapes();
	if (scope === 'board') return all;
	const selected = new Set(editor.selection);
	return all.filter((shape) => selected.has(shape.id));
}

/** A file name from the board's title (or its id): letters, digits, dashes. */
export function fileBaseName(title: string | null, boardId: string): string {
	const clean = (title ?? '')
		.trim()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80);
	return clean || `board-${boardId}`;
}

/** The bytes of every image the shapes show that the board has, by hash. */
async function imageBlobs(shapes: readonly Shape[], store: BoardImageStore): Promise<Map<string, Blob>> {
	const hashes = [...usedImageHashes(shapes)];
	const blobs = await Promise.all(hashes.map((hash) => store.bytes(hash)));
	const out = new Map<string, Blob>();
	hashes.forEach((hash, i) => {
		const blob = blobs[i];
		if (blob) out.set(hash, blob);
	});
	return out;
}

function blobToDataUrl(blob: Blob, mime: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(String(reader.result).replace(/^data:[^;,]*/, `data:${mime}`));
		reader.onerror = () => reject(reader.error);
		reader.readAsDataURL(blob);
	});
}

function mimeOf(shapes: readonly Shape[], hash: string): ImageMimeType {
	const shape = shapes.find((s) => s.type === 'image' && s.hash === hash);
	return shape?.type === 'image' ? shape.mime : 'image/png';
}

/** The picture of the scope as PNG or SVG; null when there is nothing in it. */
export async function exportImage(editor: Editor, store: BoardImageStore, options: ImageExportOptions, name: string): Promise<ExportResult | null> {
	const shapes = shapesInScope(editor, options.scope);
	const bounds = exportBounds(shapes);
	if (!bounds) return null;
	const background = options.background ? BOARD_BACKGROUND : null;
	const blobs = await imageBlobs(shapes, store);
	if (options.format === 'svg') {
		const images = new Map<string, string>();
		for (const [hash, blob] of blobs) images.set(hash, await blobToDataUrl(blob, mimeOf(shapes, hash)));
		const svg = buildSvg(shapes, { bounds, background, layoutText: konvaTextLayout, images })!;
		return { blob: new Blob([svg], { type: 'image/svg+xml' }), filename: `${name}.svg` };
	}
	const images = new Map<string, CanvasImageSource>();
	for (const [hash, blob] of blobs) {
		const bitmap = await createImageBitmap(blob).catch(() => null);
		if (bitmap) images.set(hash, bitmap);
	}
	const pixelRatio = fitPixelRatio(bounds, options.scale);
	const blob = await renderPng(shapes, { bounds, pixelRatio, background, images });
	for (const image of images.values()) (image as ImageBitmap).close?.();
	const suffix = options.scale === 1 ? '' : `@${options.scale}x`;
	const reduced =
		pixelRatio < options.scale
			? `This is too large for one picture at ${options.scale}×: it was made at ${Math.round(pixelRatio * 100) / 100}× (${Math.round(bounds.w * pixelRatio)} × ${Math.round(bounds.h * pixelRatio)} pixels).`
			: undefined;
	return { blob, filename: `${name}${suffix}.png`, reduced };
}

/** Hands a file to the browser's downloads. */
export function download({ blob, filename }: ExportResult): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.style.display = 'none';
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Puts the picture on the clipboard: a PNG as an image, an SVG as its text. */
export async function copyToClipboard({ blob }: ExportResult): Promise<void> {
	if (blob.type === 'image/png') {
		if (typeof ClipboardItem === 'undefined') throw new Error('This browser cannot copy images; download it instead.');
		await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
	} else {
		await navigator.clipboard.writeText(await blob.text());
	}
}

/** The board (or the selection) as a .boardwalk file, with the bytes of the images it uses. */
export async function saveBoardFile(editor: Editor, store: BoardImageStore, scope: ExportScope, name: string, title: string | null): Promise<ExportResult> {
	const shapes = shapesInScope(editor, scope);
	const blobs = await imageBlobs(shapes, store);
	const images = new Map<string, { mime: ImageMimeType; bytes: Uint8Array }>();
	for (const [hash, blob] of blobs) images.set(hash, { mime: mimeOf(shapes, hash), bytes: new Uint8Array(await blob.arrayBuffer()) });
	const file = buildBoardwalkFile({ shapes, images, ...(title ? { title } : {}) });
	return { blob: new Blob([JSON.stringify(file)], { type: BOARDWALK_FILE_MIME }), filename: `${name}${BOARDWALK_FILE_EXTENSION}` };
}

/**
 * Imports a .boardwalk file into the board: its images uploaded to this board first, a version of the
 * board kept (`beforeImport`), then its shapes
 * added as new shapes centred on `centre`, in one undo step, and selected. A file that does not parse,
 * or an image the server refuses, throws an Error with a readable message before anything is added.
 */
export async function importBoardFile(
	editor: Editor,
	store: BoardImageStore,
	file: Blob,
	centre: Point,
	beforeImport: () => Promise<unknown> = async () => {}
): Promise<string[]> {
	let parsed;
	try {
		parsed = await parseBoardwalkFile(await file.text());
	} catch (error) {
		if (error instanceof BoardwalkFileError) throw error;
		throw new BoardwalkFileError('This file could not be read as a Boardwalk file.');
	}
	for (const [hash, image] of Object.entries(parsed.images)) {
		const bytes = base64ToBytes(image.data);
		if (!bytes) throw new BoardwalkFileError('An image in this file is damaged: nothing was imported.');
		const stored = await store.upload(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: image.mime }));
		if (stored.hash !== hash) throw new Error('The server stored an image of the file under another hash: nothing was imported.');
	}
	// The board as it was stays in its history; an import that could not keep it still goes ahead (offline, say).
	await beforeImport().catch(() => {});
	// The right to write may have gone while the images were uploading (a link reset).
	if (!editor.canWrite) throw new Error('You can no longer edit this board: nothing was imported.');
	const ids = importShapes(editor.board, parsed.shapes, centre);
	editor.setTool('select');
	editor.select(ids);
	return ids;
}
