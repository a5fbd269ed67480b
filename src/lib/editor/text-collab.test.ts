// Two editors on two docs typing into one note: their keystrokes merge, the textarea keeps its caret through a
// peer's edit, carets are shared, and a peer deleting the note keeps your text and holds your keys.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createShape, deleteShapes, getShape, observeShapes, type IndexMap } from '$lib/board';
import { connect } from '$lib/shared/model/test-helpers';
import { drag, testEditor } from '$lib/editor/test-helpers';
import { deletedNotice } from '$lib/editor/text-editing.svelte';
import type { Editor } from '$lib/editor/editor.svelte';

function twoEditors() {
	const a = testEditor();
	const b = testEditor();
	connect(a.doc, b.doc);
	// As the canvas does: the editor hears of every change.
	for (const { editor } of [a, b]) observeShapes(editor.board, (changes) => editor.onShapesChanged(changes));
	const id = createShape(a.editor.board, 'sticky', { x: 0, y: 0, text: 'Hi' });
	return { a: a.editor, b: b.editor, id };
}

/** A stand-in for the textarea: its value and caret, changed by typing and by peers' edits. */
function textarea(editor: Editor) {
	const area = { value: editor.text.session!.shape.text, caret: editor.text.session!.shape.text.length };
	editor.text.attach({
		showRemote(text: string, map: IndexMap) {
			area.value = text;
			area.caret = map(area.caret);
		}
	});
	return {
		area,
		type(chars: string) {
			area.value = area.value.slice(0, area.caret) + chars + area.value.slice(area.caret);
			area.caret += chars.length;
			editor.text.input(area.value, false, area.caret);
			editor.text.setCaret(area.caret);
		},
		moveTo(caret: number) {
			area.caret = caret;
			editor.text.setCaret(caret);
		}
	};
}

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
	key: k,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	...mods
});

describe('two people typing into one note', () => {
	it("both keep every keystroke, and each one's caret stays where they type", () => {
		const { a, b, id } = twoEditors();
		a.text.edit(id);
		b.text.edit(id);
		const inA = textarea(a);
		const inB = textarea(b);
		inB.moveTo(0);
		for (const ch of ' there') inA.type(ch);
		for (const ch of 'Oh, ') inB.type(ch);
		expect(inA.area.value).toBe('Oh, Hi there');
		expect(inB.area.value).toBe('Oh, Hi there');
		// A's caret followed B's insert before it; B's stayed after "Oh, ".
		expect(inA.area.caret).toBe('Oh, Hi there'.length);
		expect(inB.area.caret).toBe(4);
		a.text.commit();
		b.text.commit();
		expect(getShape(a.board, id, 'sticky')!.text).toBe('Oh, Hi there');
		expect(getShape(b.board, id, 'sticky')!.text).toBe('Oh, Hi there');
	});

	it('shares which shape is typed into and a caret that the other side reads as an index', () => {
		const { a, b, id } = twoEditors();
		a.text.edit(id);
		b.text.edit(id);
		const inA = textarea(a);
		inA.moveTo(1);
		expect(a.text.sharing?.id).toBe(id);
		expect(b.text.peerCaret(a.text.sharing!.caret)).toBe(1);
		const inB = textarea(b);
		inB.moveTo(0);
		inB.type('>>');
		// A's caret is a relative position: it stays between "H" and "i".
		expect(b.text.peerCaret(a.text.sharing!.caret)).toBe(3);
		a.text.commit();
		expect(a.text.sharing).toBeNull();
	});

	it("an editing session is one undo step, the peer's typing survives it", () => {
		const { a, b, id } = twoEditors();
		a.text.edit(id);
		b.text.edit(id);
		const inA = textarea(a);
		const inB = textarea(b);
		for (const ch of '!!!') inA.type(ch);
		inB.moveTo(0);
		inB.type('>');
		a.text.commit();
		a.history.undo();
		expect(getShape(a.board, id, 'sticky')!.text).toBe('>Hi');
		expect(inB.area.value).toBe('>Hi');
	});
});

/** A small seeded generator (mulberry32), so a failing interleaving can be replayed. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('typing at the same spot with updates in flight', () => {
	it('each person\'s words stay whole, whatever the order keystrokes and updates cross in', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const random = seeded(seed);
			const a = testEditor();
			const b = testEditor();
			// Updates queue up in flight and are delivered in random interleavings with the typing.
			const toB: Uint8Array[] = [];
			const toA: Uint8Array[] = [];
			a.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && toB.push(u));
			b.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && toA.push(u));
			const deliver = (queue: Uint8Array[], doc: Y.Doc) => Y.applyUpdate(doc, queue.shift()!, 'remote');
			const id = createShape(a.editor.board, 'sticky', { text: 'Plan' });
			a.editor.text.edit(id);
			while (toB.length) deliver(toB, b.doc);
			b.editor.text.edit(id);
			while (toA.length) deliver(toA, a.doc);
			const [inA, inB] = [textarea(a.editor), textarea(b.editor)];
			const [fromA, fromB] = [[...' first from A'], [...' then from B']];
			while (fromA.length || fromB.length || toA.length || toB.length) {
				const r = random();
				if (r < 0.3 && fromA.length) inA.type(fromA.shift()!);
				else if (r < 0.6 && fromB.length) inB.type(fromB.shift()!);
				else if (r < 0.8 && toB.length) deliver(toB, b.doc);
				else if (toA.length) deliver(toA, a.doc);
			}
			const text = getShape(a.editor.board, id, 'sticky')!.text;
			expect(getShape(b.editor.board, id, 'sticky')!.text).toBe(text);
			expect([inA.area.value, inB.area.value]).toEqual([text, text]);
			expect(text, `seed ${seed}`).toMatch(/^Plan( first from A then from B| then from B first from A)$/);
		}
	});
});

describe('two people typing into one text shape', () => {
	it('merges their typing, and the text grows for what the other typed', () => {
		const { a, b } = twoEditors();
		// Typed with the text tool, so it grows sideways as it is typed (auto width).
		a.setTool('text');
		drag(a, [100, 500]);
		a.text.input('go');
		a.text.commit();
		const [id] = a.selection;
		a.text.edit(id!);
		b.text.edit(id!);
		const inA = textarea(a);
		const inB = textarea(b);
		const before = a.text.session!.shape.w;
		inB.moveTo(0);
		inB.type('Let us ');
		// A's editor laid the text out again for B's words: it is wider than before B typed.
		expect(a.text.session!.shape.text).toBe('Let us go');
		expect(a.text.session!.shape.w).toBeGreaterThan(before);
		inA.type(' now');
		expect(inA.area.value).toBe('Let us go now');
		a.text.commit();
		b.text.commit();
		const final = getShape(a.board, id!, 'text')!;
		expect(final.w).toBeGreaterThan(before);
		expect(getShape(b.board, id!, 'text')).toMatchObject({ text: 'Let us go now', w: final.w });
	});
});

describe('a peer deletes the note being typed into', () => {
	it('closes the editor, puts the note back with the text, says so, and holds the keys typed on', () => {
		const { a, b, id } = twoEditors();
		a.setTool('sticky');
		a.text.edit(id);
		textarea(a).type(' from A');
		deleteShapes(b.board, [id]);
		expect(a.text.active).toBe(false);
		expect(a.text.interrupted).toBe(deletedNotice('sticky', true));
		const back = a.shapes().find((s) => s.type === 'sticky');
		expect(back).toMatchObject({ type: 'sticky', text: 'Hi from A' });
		expect(a.selection).toEqual([back!.id]);
		expect(getShape(b.board, back!.id, 'sticky')!.text).toBe('Hi from A');
		// Typing on does nothing on the board: letters, Delete and Backspace are held, not shortcuts.
		for (const k of ['r', 'Delete', 'Backspace', 'v', 'ArrowLeft', ' ']) expect(a.text.holdsKey(key(k))).toBe(true);
		expect(a.text.holdsKey(key('z', { ctrlKey: true }))).toBe(false);
		expect(a.text.holdsKey(key('Tab'))).toBe(false);
		// Escape dismisses the notice, and keys are shortcuts again.
		expect(a.text.holdsKey(key('Escape'))).toBe(true);
		expect(a.text.interrupted).toBeNull();
		expect(a.text.holdsKey(key('r'))).toBe(false);
	});

	it('with nothing typed in it, nothing comes back, but the notice still says what happened', () => {
		const { a, b } = twoEditors();
		const empty = createShape(b.board, 'sticky', { x: 300, y: 0 });
		a.text.edit(empty);
		deleteShapes(b.board, [empty]);
		expect(a.text.interrupted).toBe(deletedNotice('sticky', false));
		expect(a.shapes().filter((s) => s.type === 'sticky')).toHaveLength(1);
	});
});

describe('version 2 text', () => {
	it('opening a string-text note converts it, and typing merges as usual', () => {
		const { editor, doc } = testEditor();
		doc.transact(() => editor.board.shapes.set('old', new Y.Map<unknown>(Object.entries({ type: 'sticky', index: 'a0', text: 'v2' }))));
		editor.text.edit('old');
		expect((editor.board.shapes.get('old') as Y.Map<unknown>).get('text')).toBeInstanceOf(Y.Text);
		textarea(editor).type('!');
		editor.text.commit();
		expect(getShape(editor.board, 'old', 'sticky')!.text).toBe('v2!');
		editor.history.undo();
		expect((editor.board.shapes.get('old') as Y.Map<unknown>).get('text')).toBe('v2');
	});
});
