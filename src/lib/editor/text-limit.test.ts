import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '$lib/board';
import { LIMIT_REACHED, clampText, pasteCutMessage, pasteOverflow } from '$lib/editor/text-limit';

describe('the text length limit', () => {
	it('keeps text at or under the limit as it is', () => {
		expect(clampText('hello', 10)).toEqual({ text: 'hello', dropped: 0 });
		expect(clampText('x'.repeat(MAX_TEXT_LENGTH))).toEqual({ text: 'x'.repeat(MAX_TEXT_LENGTH), dropped: 0 });
	});

	it('cuts longer text to the limit and counts what it cut', () => {
		const { text, dropped } = clampText('y'.repeat(30_000));
		expect(text).toHaveLength(MAX_TEXT_LENGTH);
		expect(dropped).toBe(30_000 - MAX_TEXT_LENGTH);
	});

	it('never splits an emoji in half at the limit', () => {
		// 'ab' then a surrogate pair that would straddle a limit of 3.
		expect(clampText('ab😀c', 3)).toEqual({ text: 'ab', dropped: 3 });
	});

	it('counts the part of a paste that does not fit, selection replaced', () => {
		expect(pasteOverflow(0, 0, 30_000)).toBe(10_000);
		expect(pasteOverflow(19_000, 0, 500)).toBe(0);
		expect(pasteOverflow(19_000, 1_000, 2_000)).toBe(0);
		expect(pasteOverflow(19_990, 0, 20)).toBe(10);
	});

	it('says so in words', () => {
		expect(LIMIT_REACHED).toContain('20,000 characters');
		expect(pasteCutMessage(10_000)).toBe('Pasted text was cut: 10,000 characters over the 20,000-character limit were left out.');
		expect(pasteCutMessage(1)).toContain('1 character over');
	});
});
