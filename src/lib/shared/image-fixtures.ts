/** Tiny image files for tests (unit and integration): real files of each accepted type, and headers of any size. No encoder, no network. */

function fromBase64(base64: string): Uint8Array {
	return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function hex(text: string): Uint8Array {
	const clean = text.replace(/\s+/g, '');
	return Uint8Array.from({ length: clean.length / 2 }, (_, i) => parseInt(clean.slice(i * 2, i * 2 + 2), 16));
}

/** A 1×1 PNG (red-ish pixel), complete and decodable. */
export const PNG_1X1 = fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');
/** A 1×1 transparent GIF89a. */
export const GIF_1X1 = fromBase64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
/** A 1×1 grey JPEG (arithmetic coded: its frame header is SOF9, after a DAC segment the scanner must skip). */
export const JPEG_1X1 = hex(`
	FFD8 FFE0 0010 4A46 4946 0001 0101 0048 0048 0000
	FFDB 0043 00 03 02 02 02 02 02 03 02 02 02 03 03 03 03 04 06 04 04 04 04 04 08 06 06 05 06 09 08 0A 0A 09 08 09 09 0A 0C 0F 0C 0A 0B 0E 0B 09 09 0D 11 0D 0E 0F 10 10 11 10 0A 0C 12 13 12 10 13 0F 10 10 10
	FFC9 000B 08 0001 0001 01 01 11 00
	FFCC 0006 00 10 10 05
	FFDA 0008 01 01 00 00 3F 00 D2 CF 20
	FFD9`);
/** 1×1 WebP files: lossy (VP8), lossless (VP8L) and extended (VP8X, with alpha). */
export const WEBP_LOSSY_1X1 = fromBase64('UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=');
export const WEBP_LOSSLESS_1X1 = fromBase64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
export const WEBP_EXTENDED_1X1 = fromBase64(
	'UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA=='
);

function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, data.length);
	out.set(Array.from(type, (char) => char.charCodeAt(0)), 4);
	out.set(data, 8);
	view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
	return out;
}

/** A PNG that declares `width`×`height` (signature, IHDR, IEND; no pixel data): enough for a header check; `extra` is appended before IEND. */
export function pngOfSize(width: number, height: number, extra: Uint8Array = new Uint8Array()): Uint8Array {
	const ihdr = new Uint8Array(13);
	const view = new DataView(ihdr.buffer);
	view.setUint32(0, width);
	view.setUint32(4, height);
	ihdr.set([8, 6, 0, 0, 0], 8);
	return concat(PNG_1X1.subarray(0, 8), pngChunk('IHDR', ihdr), extra, pngChunk('IEND', new Uint8Array()));
}

/** A GIF header declaring `width`×`height`, followed by `tail` (a polyglot's payload, say). */
export function gifOfSize(width: number, height: number, tail: Uint8Array = new Uint8Array()): Uint8Array {
	const header = concat(new TextEncoder().encode('GIF89a'), new Uint8Array([width & 0xff, width >> 8, height & 0xff, height >> 8, 0, 0, 0]));
	return concat(header, tail, new Uint8Array([0x3b]));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}
