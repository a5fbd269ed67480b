/** Text as Y.Text (schema version 3): merging concurrent typing, the migration of version ≤ 2 strings, reads as strings, and every write storing Y.Text. */

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, getShape, listShapes } from '../shared/model/board.ts';
import { MAX_TEXT_LENGTH, SCHEMA_VERSION } from '../shared/model/schema.ts';
import { connect, makeBoard, sync } from '../shared/model/test-helpers.ts';
import { createHistory } from './history.ts';
import { createShape, duplicateShapes, updateShape } from './ops.ts';
import { pasteShapes, serializeShapes } from './clipboard.ts';
import { importShapes } from './import.ts';
import { restoreShapes } from './restore.ts';
import { diffText, mergeText } from './text.ts';
import { TextBinding, mapThroughDelta } from './text-binding.ts';

function twoClients() {
	const docA = new Y.Doc();
	const docB = new Y.Doc();
	return { docA, docB, a: new Board(docA), b: new Board(docB) };
}

/** A shape as a version 2 client stored it: text as a plain string. */
function storeVersion2Sticky(board: Board, id: string, text: string): void {
	board.doc.transact(() => {
		board.meta.set('schemaVersion', 2);
		board.shapes.set(id, new Y.Map<unknown>(Object.entries({ type: 'sticky', index: 'a0', text })));
	});
}

const storedText = (board: Board, id: string) => (board.shapes.get(id) as Y.Map<unknown>).get('text');

describe('text as Y.Text', () => {
	it('concurrent typing into one note merges: both people keep every character', () => {
		const { docA, docB, a, b } = twoClients();
		const id = createShape(a, 'sticky', { text: 'Plan: ' });
		sync(docA, docB);
		const inA = TextBinding.open(a, id)!;
		const inB = TextBinding.open(b, id)!;
		// Both type at once, neither has seen the other's keystrokes.
		for (const value of ['Plan: e', 'Plan: ey', 'Plan: eyes']) inA.update(value);
		for (const value of ['Plan: b', 'Plan: be', 'Plan: bees']) inB.update(value);
		sync(docA, docB);
		const merged = getShape(a, id, 'sticky')!.text;
		expect(merged).toBe(getShape(b, id, 'sticky')!.text);
		expect(merged).toMatch(/^Plan: (eyesbees|beeseyes)$/);
		// The editors' values follow the merge too.
		expect(inA.value).toBe(merged);
		expect(inB.value).toBe(merged);
	});

	it('a peer typing before the caret moves the caret with its character', () => {
		const { docA, docB, a, b } = twoClients();
		connect(docA, docB);
		const id = createShape(a, 'text', { text: 'hello world' });
		const inA = TextBinding.open(a, id)!;
		const inB = TextBinding.open(b, id)!;
		let caret = 6; // before "world"
		const seen: string[] = [];
		inA.onRemote((text, map) => {
			seen.push(text);
			caret = map(caret);
		});
		inB.update('oh, hello world');
		expect([seen.at(-1), caret]).toEqual(['oh, hello world', 10]);
		inB.update('oh, hello');
		// Its character is gone: the caret lands where the deletion was.
		expect([seen.at(-1), caret]).toEqual(['oh, hello', 9]);
	});

	it('carets travel as relative positions and stay on their character', () => {
		const { docA, docB, a, b } = twoClients();
		connect(docA, docB);
		const id = createShape(a, 'sticky', { text: 'abcdef' });
		const inA = TextBinding.open(a, id)!;
		const inB = TextBinding.open(b, id)!;
		const caret = inB.encodeCaret(3);
		expect(caret.length).toBeLessThan(64);
		expect(inA.decodeCaret(caret)).toBe(3);
		inA.update('XYabcdef');
		expect(inA.decodeCaret(caret)).toBe(5);
		expect(inA.decodeCaret('not base64!')).toBeNull();
		const other = TextBinding.open(a, createShape(a, 'sticky', { text: 'zz' }))!;
		expect(other.decodeCaret(caret)).toBeNull();
	});

	it('Board.read returns a plain string whether the text is stored as a string (version 2) or a Y.Text', () => {
		const { board } = makeBoard();
		storeVersion2Sticky(board, 'old', 'from version 2');
		const id = createShape(board, 'sticky', { text: 'from version 3' });
		expect(storedText(board, 'old')).toBe('from version 2');
		expect(storedText(board, id)).toBeInstanceOf(Y.Text);
		expect(getShape(board, 'old', 'sticky')!.text).toBe('from version 2');
		expect(getShape(board, id, 'sticky')!.text).toBe('from version 3');
		expect(listShapes(board).map((s) => (s as { text: string }).text)).toEqual(['from version 2', 'from version 3']);
	});

	it('a new empty note already holds a Y.Text, so two people typing into it find the same one', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'sticky');
		expect(storedText(board, id)).toBeInstanceOf(Y.Text);
		expect(getShape(board, id, 'sticky')!.text).toBe('');
	});

	it('a Y.Text longer than MAX_TEXT_LENGTH is read as malformed, like a string that long', () => {
		const { board, warnings } = makeBoard();
		const id = createShape(board, 'text', { text: 'x'.repeat(MAX_TEXT_LENGTH) });
		const text = storedText(board, id) as Y.Text;
		board.doc.transact(() => text.insert(0, 'y'));
		expect(getShape(board, id)).toBeNull();
		expect(warnings.join()).toMatch(/longer than 20000/);
	});

	it('only the text field may be a Y.Text: elsewhere a nested type is still malformed', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'sticky');
		board.doc.transact(() => (board.shapes.get(id) as Y.Map<unknown>).set('noteColor', new Y.Text('#fff')));
		expect(getShape(board, id)).toBeNull();
	});

	it('updateShape edits the Y.Text in place, so a peer typing elsewhere in it keeps their characters', () => {
		const { docA, docB, a, b } = twoClients();
		const id = createShape(a, 'text', { text: 'one two' });
		sync(docA, docB);
		const text = storedText(a, id);
		updateShape(a, id, { text: 'one two three' });
		TextBinding.open(b, id)!.update('zero one two');
		sync(docA, docB);
		expect(storedText(a, id)).toBe(text);
		expect(getShape(a, id, 'text')!.text).toBe('zero one two three');
		expect(getShape(b, id, 'text')!.text).toBe('zero one two three');
	});
});

describe('migration of version 2 text', () => {
	it('opening a string-text note for editing converts it to a Y.Text in one step and raises the version', () => {
		const { board } = makeBoard();
		storeVersion2Sticky(board, 'n1', 'old note');
		const history = createHistory(board);
		history.beginGesture();
		const binding = TextBinding.open(board, 'n1')!;
		expect(storedText(board, 'n1')).toBeInstanceOf(Y.Text);
		expect(board.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
		binding.update('old note!');
		binding.destroy();
		history.endGesture();
		history.undo();
		expect(storedText(board, 'n1')).toBe('old note');
		expect(getShape(board, 'n1', 'sticky')!.text).toBe('old note');
	});

	it('two clients converting the same string note at once lose nothing and double nothing', () => {
		const { docA, docB, a, b } = twoClients();
		storeVersion2Sticky(a, 'n1', 'groceries: ');
		sync(docA, docB);
		// Both open it before hearing of the other's conversion, and both type.
		const inA = TextBinding.open(a, 'n1')!;
		const inB = TextBinding.open(b, 'n1')!;
		expect(storedText(a, 'n1')).not.toBe(storedText(b, 'n1'));
		inA.update('groceries: milk');
		inB.update('groceries: eggs');
		inB.update('Groceries: eggs');
		sync(docA, docB);
		// The loser's Y.Text lost the key; it merged its typing into the winner's, which reaches the winner too.
		sync(docA, docB);
		const textA = getShape(a, 'n1', 'sticky')!.text;
		expect(textA).toBe(getShape(b, 'n1', 'sticky')!.text);
		expect(textA).toBe('Groceries: eggsmilk');
		expect(inA.value).toBe(textA);
		expect(inB.value).toBe(textA);
		// And both keep typing into the one Y.Text that won.
		expect(inA.ytext).toBe(storedText(a, 'n1'));
		expect(inB.ytext).toBe(storedText(b, 'n1'));
		inA.update(inA.value + '.');
		sync(docA, docB);
		expect(getShape(b, 'n1', 'sticky')!.text).toBe(textA + '.');
	});

	it('the same race over a live connection converges as well', () => {
		const { docA, docB, a, b } = twoClients();
		storeVersion2Sticky(a, 'n1', 'abc');
		sync(docA, docB);
		const inA = TextBinding.open(a, 'n1')!;
		const inB = TextBinding.open(b, 'n1')!;
		inA.update('abc1');
		inB.update('0abc');
		// Each side's updates so far, then a live link that relays whatever the merge writes.
		const fromA = Y.encodeStateAsUpdate(docA);
		const fromB = Y.encodeStateAsUpdate(docB);
		docA.on('update', (update, origin) => origin !== 'remote' && Y.applyUpdate(docB, update, 'remote'));
		docB.on('update', (update, origin) => origin !== 'remote' && Y.applyUpdate(docA, update, 'remote'));
		Y.applyUpdate(docB, fromA, 'remote');
		Y.applyUpdate(docA, fromB, 'remote');
		expect(getShape(a, 'n1', 'sticky')!.text).toBe('0abc1');
		expect(getShape(b, 'n1', 'sticky')!.text).toBe('0abc1');
		expect([inA.value, inB.value]).toEqual(['0abc1', '0abc1']);
	});
});

describe('every write stores Y.Text', () => {
	it('duplicate, paste, import and restore store text as a Y.Text', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'sticky', { text: 'copy me' });
		const shape = getShape(board, id)!;
		const written = [
			...duplicateShapes(board, [id]),
			...pasteShapes(board, serializeShapes(board, [id])),
			...importShapes(board, [shape])
		];
		const other = makeBoard().board;
		restoreShapes(other, [], [shape]);
		for (const [target, newId] of [...written.map((w) => [board, w] as const), [other, id] as const]) {
			expect(storedText(target, newId)).toBeInstanceOf(Y.Text);
			expect(getShape(target, newId, 'sticky')!.text).toBe('copy me');
		}
	});

	it('a restore that changes a text edits the Y.Text in place', () => {
		const { board } = makeBoard();
		const id = createShape(board, 'text', { text: 'now' });
		const before = getShape(board, id, 'text')!;
		const text = storedText(board, id);
		restoreShapes(board, [before], [{ ...before, text: 'then' }]);
		expect(storedText(board, id)).toBe(text);
		expect(getShape(board, id, 'text')!.text).toBe('then');
	});

	it('a restore over a version 2 string stores a Y.Text', () => {
		const { board } = makeBoard();
		storeVersion2Sticky(board, 'n1', 'old');
		const before = getShape(board, 'n1', 'sticky')!;
		restoreShapes(board, [before], [{ ...before, text: 'older' }]);
		expect(storedText(board, 'n1')).toBeInstanceOf(Y.Text);
		expect(getShape(board, 'n1', 'sticky')!.text).toBe('older');
	});
});

describe('undo of typing', () => {
	it('an editing session is one undo step, and a peer typing meanwhile is not undone', () => {
		const { docA, docB, a, b } = twoClients();
		connect(docA, docB);
		const id = createShape(a, 'sticky', { text: 'hi' });
		const history = createHistory(a);
		const inA = TextBinding.open(a, id)!;
		const inB = TextBinding.open(b, id)!;
		history.beginGesture();
		for (const value of ['hi ', 'hi t', 'hi th', 'hi the', 'hi ther', 'hi there']) inA.update(value);
		inB.update('oh hi there');
		history.endGesture();
		history.undo();
		expect(getShape(a, id, 'sticky')!.text).toBe('oh hi');
		expect(getShape(b, id, 'sticky')!.text).toBe('oh hi');
	});
});

describe('diffs and merges', () => {
	it.each([
		['abc', 'abXc', { index: 2, remove: 0, insert: 'X' }],
		['abc', 'ac', { index: 1, remove: 1, insert: '' }],
		['aaa', 'aaaa', { index: 3, remove: 0, insert: 'a' }],
		['a😀', 'a😃', { index: 1, remove: 2, insert: '😃' }]
	])('diffText(%j, %j)', (before, after, change) => {
		expect(diffText(before, after)).toEqual(change);
	});

	it.each([
		['Plan ', 'Plan  ', 5, { index: 4, remove: 0, insert: ' ' }],
		['Plan ', 'Plan  ', 6, { index: 5, remove: 0, insert: ' ' }],
		['aaa', 'aa', 1, { index: 1, remove: 1, insert: '' }],
		['abab', 'ababab', 4, { index: 2, remove: 0, insert: 'ab' }]
	])('diffText(%j, %j) with the caret at %i places the change there', (before, after, caret, change) => {
		expect(diffText(before, after, caret)).toEqual(change);
	});

	it.each([
		['base', 'base', 'base!', 'base!'],
		['base', 'my base', 'base', 'my base'],
		['one two', 'one 2 two', 'one two three', 'one 2 two three'],
		['abc', 'ac', 'abc', 'ac']
	])('mergeText(%j, ours %j, theirs %j) = %j', (base, ours, theirs, merged) => {
		expect(mergeText(base, ours, theirs)).toBe(merged);
	});

	it('maps an index through a delta', () => {
		expect(mapThroughDelta([{ retain: 2 }, { insert: 'xy' }], 5)).toBe(7);
		expect(mapThroughDelta([{ retain: 5 }, { insert: 'xy' }], 5)).toBe(5);
		expect(mapThroughDelta([{ retain: 1 }, { delete: 3 }], 2)).toBe(1);
	});
});
