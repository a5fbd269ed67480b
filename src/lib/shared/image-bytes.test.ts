/** Image types and sizes are read from the bytes: each accepted format, each WebP flavour, and what is not an image. */

import { describe, expect, it } from 'vitest';
import { imageExtension, sha256Hex, sniffImage } from './image-bytes.ts';
import {
	GIF_1X1,
	JPEG_1X1,
	PNG_1X1,
	WEBP_EXTENDED_1X1,
	WEBP_LOSSLESS_1X1,
	WEBP_LOSSY_1X1,
	concat,
	gifOfSize,
	pngOfSize
} from './image-fixtures.ts';

describe('sniffImage', () => {
	it('reads the type and pixel size of each accepted format', () => {
		expect(sniffImage(PNG_1X1)).toEqual({ mime: 'image/png', width: 1, height: 1 });
		expect(sniffImage(GIF_1X1)).toEqual({ mime: 'image/gif', width: 1, height: 1 });
		expect(sniffImage(JPEG_1X1)).toEqual({ mime: 'image/jpeg', width: 1, height: 1 });
		expect(sniffImage(WEBP_LOSSY_1X1)).toEqual({ mime: 'image/webp', width: 1, height: 1 });
		expect(sniffImage(WEBP_LOSSLESS_1X1)).toEqual({ mime: 'image/webp', width: 1, height: 1 });
		expect(sniffImage(WEBP_EXTENDED_1X1)).toEqual({ mime: 'image/webp', width: 1, height: 1 });
	});

	it('reads sizes that need more than one byte', () => {
		expect(sniffImage(pngOfSize(4000, 3000))).toEqual({ mime: 'image/png', width: 4000, height: 3000 });
		expect(sniffImage(gifOfSize(640, 480))).toEqual({ mime: 'image/gif', width: 640, height: 480 });
		expect(sniffImage(pngOfSize(0, 5))).toEqual({ mime: 'image/png', width: 0, height: 5 });
	});

	it('finds the JPEG frame header after other segments, whatever their length', () => {
		const app = concat(new Uint8Array([0xff, 0xe1, 0x01, 0x02]), new Uint8Array(0x100));
		const sof0 = new Uint8Array([0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x58, 0x03, 0x20, 0x03]);
		const jpeg = concat(new Uint8Array([0xff, 0xd8]), app, sof0, new Uint8Array(15), new Uint8Array([0xff, 0xd9]));
		expect(sniffImage(jpeg)).toEqual({ mime: 'image/jpeg', width: 800, height: 600 });
	});

	it('refuses what is not an accepted image, or is cut before its size', () => {
		const text = (s: string) => new TextEncoder().encode(s);
		expect(sniffImage(new Uint8Array())).toBeNull();
		expect(sniffImage(text('<!doctype html><script>alert(1)</script>'))).toBeNull();
		expect(sniffImage(text('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
		expect(sniffImage(PNG_1X1.subarray(0, 20))).toBeNull();
		expect(sniffImage(JPEG_1X1.subarray(0, 60))).toBeNull();
		expect(sniffImage(text('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
	});
});

describe('helpers', () => {
	it('hashes with SHA-256 in lowercase hex', async () => {
		expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('names file extensions', () => {
		expect(imageExtension('image/jpeg')).toBe('jpg');
		expect(imageExtension('image/webp')).toBe('webp');
	});
});
