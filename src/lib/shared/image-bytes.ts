/**
 * What an image file is, found by its bytes (never by its name or claimed type): the magic number of a
 * type the board accepts and the pixel size from its header. The server's upload route and the
 * .boardwalk file import both decide with this, so a file is judged the same way everywhere.
 */

import type { ImageMimeType } from './model/schema.ts';

export interface SniffedImage {
	mime: ImageMimeType;
	/** Pixel size from the header; 0 when the header says 0 (the caller refuses it). */
	width: number;
	height: number;
}

/** The type and pixel size of `bytes`, or null when they are not a PNG, JPEG, GIF or WebP file with a readable header. */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
	return sniffPng(bytes) ?? sniffGif(bytes) ?? sniffJpeg(bytes) ?? sniffWebp(bytes);
}

/** SHA-256 of `bytes` as lowercase hex: an image's content address (IMAGE_HASH_PATTERN). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
	let hex = '';
	for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
	return hex;
}

/** The file-name extension of a type, for downloads. */
export function imageExtension(mime: ImageMimeType): string {
	return mime === 'image/jpeg' ? 'jpg' : mime.slice('image/'.length);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, expected: readonly number[], at = 0): boolean {
	if (bytes.length < at + expected.length) return false;
	for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
	return true;
}

function ascii(text: string): number[] {
	return Array.from(text, (char) => char.charCodeAt(0));
}

function u16be(bytes: Uint8Array, at: number): number {
	return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u16le(bytes: Uint8Array, at: number): number {
	return bytes[at]! | (bytes[at + 1]! << 8);
}

function u24le(bytes: Uint8Array, at: number): number {
	return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}

function u32be(bytes: Uint8Array, at: number): number {
	return ((bytes[at]! << 24) >>> 0) + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

/** PNG: the signature, then the IHDR chunk first (width and height as 32-bit big-endian). */
function sniffPng(bytes: Uint8Array): SniffedImage | null {
	if (!startsWith(bytes, PNG_SIGNATURE) || !startsWith(bytes, ascii('IHDR'), 12) || bytes.length < 24) return null;
	return { mime: 'image/png', width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

/** GIF87a / GIF89a: the logical screen size follows as two 16-bit little-endian numbers. */
function sniffGif(bytes: Uint8Array): SniffedImage | null {
	if (!(startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) || bytes.length < 10) return null;
	return { mime: 'image/gif', width: u16le(bytes, 6), height: u16le(bytes, 8) };
}

/** Start-of-frame markers carry the size: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** JPEG: SOI, then marker segments up to the first start-of-frame (height, then width, 16-bit big-endian). */
function sniffJpeg(bytes: Uint8Array): SniffedImage | null {
	if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return null;
	let at = 2;
	while (at + 4 <= bytes.length) {
		if (bytes[at] !== 0xff) return null;
		const marker = bytes[at + 1]!;
		if (marker === 0xff) {
			at += 1; // fill byte
			continue;
		}
		// Markers without a length: TEM and RSTn. SOS or EOI before a frame header: no size to read.
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			at += 2;
			continue;
		}
		if (marker === 0xda || marker === 0xd9) return null;
		const length = u16be(bytes, at + 2);
		if (length < 2) return null;
		if (isStartOfFrame(marker)) {
			if (at + 9 > bytes.length) return null;
			return { mime: 'image/jpeg', width: u16be(bytes, at + 7), height: u16be(bytes, at + 5) };
		}
		at += 2 + length;
	}
	return null;
}

/** WebP: a RIFF container whose first chunk is VP8X (extended), VP8 (lossy) or VP8L (lossless). */
function sniffWebp(bytes: Uint8Array): SniffedImage | null {
	if (!startsWith(bytes, ascii('RIFF')) || !startsWith(bytes, ascii('WEBP'), 8) || bytes.length < 30) return null;
	const data = 20;
	if (startsWith(bytes, ascii('VP8X'), 12)) {
		// Flags (1), reserved (3), then canvas width − 1 and height − 1 as 24-bit little-endian numbers.
		return { mime: 'image/webp', width: u24le(bytes, data + 4) + 1, height: u24le(bytes, data + 7) + 1 };
	}
	if (startsWith(bytes, ascii('VP8 '), 12)) {
		// Frame tag (3), start code 9d 01 2a, then 14-bit width and height (the top 2 bits are scaling).
		if (!startsWith(bytes, [0x9d, 0x01, 0x2a], data + 3)) return null;
		return { mime: 'image/webp', width: u16le(bytes, data + 6) & 0x3fff, height: u16le(bytes, data + 8) & 0x3fff };
	}
	if (startsWith(bytes, ascii('VP8L'), 12)) {
		// Signature 0x2f, then width − 1 (14 bits) and height − 1 (14 bits), little-endian bit order.
		if (bytes[data] !== 0x2f) return null;
		const bits = (bytes[data + 1]! | (bytes[data + 2]! << 8) | (bytes[data + 3]! << 16) | (bytes[data + 4]! << 24)) >>> 0;
		return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	return null;
}
