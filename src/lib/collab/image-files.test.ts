import { describe, expect, it } from 'vitest';
import { DOWNSCALE_MAX_SIDE_PX, MAX_IMAGE_BYTES, downscalePlan, sha256Hex, sniffImageType } from '$lib/collab/image-files';

const bytes = (...b: number[]) => new Uint8Array([...b, ...new Array(16).fill(0)]);

describe('an image file, judged in the browser before upload', () => {
	it('is typed by its bytes, whatever its name says', () => {
		expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
		expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
		expect(sniffImageType(new TextEncoder().encode('GIF89a......'))).toBe('image/gif');
		expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
		expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
		expect(sniffImageType(new TextEncoder().encode('<html><script>'))).toBeNull();
		expect(sniffImageType(new Uint8Array())).toBeNull();
	});

	it('is uploaded as it is when small enough', () => {
		expect(downscalePlan({ width: 4096, height: 3000, bytes: MAX_IMAGE_BYTES, mime: 'image/jpeg', transparent: false })).toBeNull();
	});

	it('is redrawn to at most 4096 px a side, aspect kept, when larger', () => {
		const plan = downscalePlan({ width: 8000, height: 6000, bytes: 5_000_000, mime: 'image/jpeg', transparent: false });
		expect(plan).toEqual({ width: DOWNSCALE_MAX_SIDE_PX, height: 3072, type: 'image/jpeg', quality: 0.9 });
	});

	it('is re-encoded when too many bytes, even when small enough in pixels', () => {
		const plan = downscalePlan({ width: 3000, height: 2000, bytes: MAX_IMAGE_BYTES + 1, mime: 'image/png', transparent: false });
		expect(plan).toMatchObject({ width: 3000, height: 2000, type: 'image/jpeg' });
	});

	it('stays PNG when transparent, and WebP stays WebP', () => {
		expect(downscalePlan({ width: 5000, height: 5000, bytes: 1, mime: 'image/png', transparent: true })?.type).toBe('image/png');
		expect(downscalePlan({ width: 5000, height: 5000, bytes: 1, mime: 'image/webp', transparent: true })?.type).toBe('image/webp');
		expect(downscalePlan({ width: 5000, height: 5000, bytes: 1, mime: 'image/gif', transparent: false })?.type).toBe('image/jpeg');
	});

	it('shrinks further on each attempt when the result is still too big', () => {
		const image = { width: 8000, height: 4000, bytes: 50_000_000, mime: 'image/png' as const, transparent: true };
		const sides = [0, 1, 2].map((attempt) => downscalePlan(image, MAX_IMAGE_BYTES, attempt)!.width);
		expect(sides[0]).toBe(4096);
		expect(sides[1]).toBeLessThan(sides[0]!);
		expect(sides[2]).toBeLessThan(sides[1]!);
	});

	it('is addressed by the SHA-256 of its bytes', async () => {
		expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});
