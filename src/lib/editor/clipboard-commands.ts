/**
 * What the copy, cut and paste commands do to the selection and the clipboards. The system clipboard
 * carries the model's JSON payload, so a paste works in another board or tab; a local copy stands in
 * when the clipboard cannot be read.
 */
import { deleteShapes } from '$lib/board';
import { isShapeClipboard, pasteShapes, serializeShapes } from '$lib/board/clipboard';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';
import { imageHashes, insertImageFiles, type ImageFiles } from '$lib/editor/images';

/** Fallback store: localStorage so it also reaches other boards of this browser; memory if storage is blocked. */
const FALLBACK_KEY = 'boardwalk:clipboard';
let memoryClipboard = '';

export function rememberCopy(text: string): void {
	memoryClipboard = text;
	try {
		localStorage.setItem(FALLBACK_KEY, text);
	} catch {
		// Private mode or quota: memory alone will do for this tab.
	}
}

export function fallbackClipboard(): string {
	try {
		return localStorage.getItem(FALLBACK_KEY) ?? memoryClipboard;
	} catch {
		return memoryClipboard;
	}
}

/** The payload for the current selection, or null when nothing is selected. */
export function copySelection(editor: Editor): string | null {
	if (editor.selection.length === 0) return null;
	const text = serializeShapes(editor.board, editor.selection);
	rememberCopy(text);
	return text;
}

export function cutSelection(editor: Editor): string | null {
	const text = copySelection(editor);
	if (text === null) return null;
	deleteShapes(editor.board, editor.selection);
	editor.select([]);
	return text;
}

/**
 * Pastes our payload (centred on `at`, board units, when given) and selects the result.
 * Plain text that is not ours becomes a text shape. Returns whether anything was pasted.
 */
export function pasteText(editor: Editor, text: string, at?: { x: number; y: number }, images?: ImageFiles): boolean {
	if (isShapeClipboard(text)) {
		const ids = pasteShapes(editor.board, text, at);
		if (ids.length === 0) return false;
		// Images copied from another board: this board gets their bytes too (the server serves a board only its own).
		const hashes = imageHashes(ids.map((id) => editor.board.read(id)));
		if (hashes.length > 0) images?.adopt(hashes);
		editor.setTool('select');
		editor.select(ids);
		return true;
	}
	const plain = text.trim();
	if (!plain || !at) return false;
	editor.setTool('select');
	editor.text.startNew(at);
	editor.text.input(plain);
	editor.text.commit();
	return true;
}

/**
 * The async Clipboard API, for when the browser fired no copy or cut event (some embedded or
 * headless setups). Node has no `navigator` before v21, hence the optional chain on globalThis.
 */
export async function writeSystemClipboard(text: string): Promise<void> {
	await globalThis.navigator?.clipboard?.writeText(text).catch(() => {});
}

/** An image on the system clipboard (the async API), or null when there is none or it cannot be read. */
async function clipboardImage(): Promise<Blob | null> {
	try {
		for (const item of (await globalThis.navigator?.clipboard?.read?.()) ?? []) {
			const type = item.types.find((t) => t.startsWith('image/'));
			if (type) return await item.getType(type);
		}
	} catch {
		// Permission denied or unsupported.
	}
	return null;
}

/** Pastes what the async Clipboard API holds (else the local copy), for when no paste event came. */
export async function pasteFromSystemClipboard(editor: Editor, target: () => Point, images?: ImageFiles): Promise<void> {
	const image = images ? await clipboardImage() : null;
	if (image && images) {
		if (editor.canWrite) await insertImageFiles(editor, images, [image], target());
		return;
	}
	let text = '';
	try {
		text = (await globalThis.navigator?.clipboard?.readText()) ?? '';
	} catch {
		// Permission denied or unsupported: the local copy is all we have.
	}
	// The right to write may have gone while the clipboard was being read (a link reset).
	if (!editor.canWrite) return;
	pasteText(editor, text || fallbackClipboard(), target(), images);
}
