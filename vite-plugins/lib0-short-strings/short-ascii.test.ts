import { describe, expect, it } from 'vitest';
import { readShortAscii, SHORT_STRING_MAX_BYTES } from './short-ascii.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readShortAscii', () => {
	it('reads ASCII bytes at an offset, including the empty string and control characters', () => {
		const buffer = bytes('xxstrokeWidth\u0000#1e1e1e');
		expect(readShortAscii(buffer, 2, 11)).toBe('strokeWidth');
		expect(readShortAscii(buffer, 13, 1)).toBe('\u0000');
		expect(readShortAscii(buffer, 14, 7)).toBe('#1e1e1e');
		expect(readShortAscii(buffer, 5, 0)).toBe('');
	});

	it('reads up to SHORT_STRING_MAX_BYTES and leaves longer strings to TextDecoder', () => {
		const long = 'a'.repeat(SHORT_STRING_MAX_BYTES + 1);
		expect(readShortAscii(bytes(long), 0, SHORT_STRING_MAX_BYTES)).toBe(long.slice(1));
		expect(readShortAscii(bytes(long), 0, long.length)).toBeNull();
	});

	it('leaves any string with a non-ASCII byte to TextDecoder', () => {
		expect(readShortAscii(bytes('café'), 0, 5)).toBeNull();
		expect(readShortAscii(bytes('a🙂'), 0, 5)).toBeNull();
		expect(readShortAscii(new Uint8Array([0x61, 0xff]), 0, 2)).toBeNull();
	});

	it('returns null for a range outside the buffer instead of reading undefined bytes', () => {
		expect(readShortAscii(bytes('abc'), 1, 3)).toBeNull();
		expect(readShortAscii(bytes('abc'), -1, 2)).toBeNull();
	});
});
