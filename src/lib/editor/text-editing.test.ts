// The text session at the length limit: nothing typed vanishes, a long paste is cut with a notice and wraps.
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '$lib/board';
import { drag, testEditor } from '$lib/editor/test-helpers';
import { LIMIT_REACHED, PASTE_WRAP_WIDTH } from '$lib/editor/text-limit';

function newText() {
	const { editor } = testEditor();
	editor.setTool('text');
	drag(editor, [100, 100]);
	return editor;
}

describe('text at the length limit', () => {
	it('keeps a new text box of more than the limit, cut to the limit, and says so', () => {
		const editor = newText();
		const kept = editor.text.input('a'.repeat(MAX_TEXT_LENGTH + 5));
		expect(kept).toHaveLength(MAX_TEXT_LENGTH);
		expect(editor.text.notice).toBe(LIMIT_REACHED);
		editor.text.commit();
		const [text] = editor.shapes();
		expect(text).toMatchObject({ type: 'text' });
		expect((text as { text: string }).text).toHaveLength(MAX_TEXT_LENGTH);
		expect(editor.text.notice).toBeNull();
	});

	it('says when typing reached the limit, and stops saying it once there is room again', () => {
		const editor = newText();
		editor.text.input('b'.repeat(MAX_TEXT_LENGTH));
		expect(editor.text.notice).toBe(LIMIT_REACHED);
		editor.text.input('b'.repeat(MAX_TEXT_LENGTH - 1));
		expect(editor.text.notice).toBeNull();
	});

	it('tells how much of a paste was left out, and wraps long pasted text', () => {
		const editor = newText();
		editor.text.paste(0, 0, 30_000);
		// The browser's maxlength already cut the paste: the input carries the 20,000 that fit.
		editor.text.input('c'.repeat(MAX_TEXT_LENGTH), true);
		expect(editor.text.notice).toContain('10,000 characters over the 20,000-character limit');
		expect(editor.text.session?.autoWidth).toBe(false);
		editor.text.commit();
		expect(editor.shapes()[0]).toMatchObject({ type: 'text', w: PASTE_WRAP_WIDTH });
	});

	it('leaves short pasted text growing sideways', () => {
		const editor = newText();
		editor.text.paste(0, 0, 5);
		editor.text.input('short', true);
		expect(editor.text.notice).toBeNull();
		expect(editor.text.session?.autoWidth).toBe(true);
	});

	it('cuts an over-long sticky note too', () => {
		const { editor } = testEditor();
		editor.setTool('sticky');
		drag(editor, [200, 200]);
		editor.text.input('d'.repeat(MAX_TEXT_LENGTH + 1));
		editor.text.commit();
		expect((editor.shapes()[0] as { text: string }).text).toHaveLength(MAX_TEXT_LENGTH);
	});
});
