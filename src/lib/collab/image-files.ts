/**
 * Reading a file the person gives us, before it goes anywhere: its type by its bytes (as the server
 * judges it), whether it must be made smaller first and how, its content address, and the words for
 * what is wrong with it.
 */
import { digest } from 'lib0/hash/sha256';
import type { ImageMimeType } from '$lib/board';

/** The server's default size limit for one image (MAX_IMAGE_BYTES, docs/protocol.md "Images"). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Photos with a longer side are drawn smaller in the browser before upload. */
export const DOWNSCALE_MAX_SIDE_PX = 4096;
/** Quality of a re-encoded JPEG or WebP. */
export const REENCODE_QUALITY = 0.9;

/** A problem with a file, in words for the UI. */
export class ImageFileError extends Error {}

export const UNSUPPORTED_IMAGE_WORDS = 'That file is not an image Boardwalk can show. Use a PNG, JPEG, GIF or WebP picture.';

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);

/** The image type by the file's first bytes (magic numbers), or null for anything else. */
export function sniffImageType(head: Uint8Array): ImageMimeType | null {
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return 'image/gif';
	if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
	return null;
}

export interface DownscalePlan {
	width: number;
	height: number;
	type: 'image/jpeg' | 'image/png' | 'image/webp';
	quality?: number;
}

/**
 * Whether a picture is redrawn smaller before upload, and how: when its longer side passes
 * DOWNSCALE_MAX_SIDE_PX or its file passes `maxBytes`. The aspect is kept; a picture that may be
 * transparent stays PNG (WebP stays WebP), others become JPEG. `attempt` > 0 shrinks further each time,
 * for a result still too big. Null: upload the file as it is.
 */
export function downscalePlan(
	image: { width: number; height: number; bytes: number; mime: ImageMimeType; transparent: boolean },
	maxBytes = MAX_IMAGE_BYTES,
	attempt = 0
): DownscalePlan | null {
	const longest = Math.max(image.width, image.height);
	if (attempt === 0 && longest <= DOWNSCALE_MAX_SIDE_PX && image.bytes <= maxBytes) return null;
	// Each retry keeps ~70 % of the sides: about half the pixels.
	const scale = Math.min(1, DOWNSCALE_MAX_SIDE_PX / longest) * 0.7 ** attempt;
	const width = Math.max(1, Math.round(image.width * scale));
	const height = Math.max(1, Math.round(image.height * scale));
	if (image.mime === 'image/webp') return { width, height, type: 'image/webp', quality: REENCODE_QUALITY };
	if (image.transparent) return { width, height, type: 'image/png' };
	return { width, height, type: 'image/jpeg', quality: REENCODE_QUALITY };
}

/** "10 MB", for messages. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
	if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${bytes} bytes`;
}

/** The SHA-256 of the bytes in lowercase hex: Web Crypto where the page has it (a secure origin), else lib0's. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	let hash: Uint8Array;
	if (globalThis.crypto?.subtle) hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
	else hash = digest(bytes);
	return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}
