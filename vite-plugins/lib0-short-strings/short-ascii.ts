/** Reads short ASCII strings out of a Yjs/lib0 buffer in plain JS, where a TextDecoder call per string costs more than the string. */

/**
 * Longest string (in bytes) read without TextDecoder. Yjs updates are mostly short strings (map
 * keys, shape ids, colours, fractional indices); past this, TextDecoder's per-call cost is repaid.
 */
export const SHORT_STRING_MAX_BYTES = 32;

/**
 * The `length` bytes at `start` as a string when they are all ASCII, `length` is at most
 * SHORT_STRING_MAX_BYTES and they lie within `bytes`; otherwise null, and the caller decodes them
 * as UTF-8 (which also reports a buffer too short). For ASCII, UTF-8 decoding is the identity on
 * byte values, so the result is exactly what TextDecoder would return.
 */
export function readShortAscii(bytes: Uint8Array, start: number, length: number): string | null {
	const end = start + length;
	if (length > SHORT_STRING_MAX_BYTES || start < 0 || end > bytes.length) return null;
	let text = '';
	for (let i = start; i < end; i++) {
		const byte = bytes[i]!;
		if (byte > 0x7f) return null;
		text += String.fromCharCode(byte);
	}
	return text;
}
