/** Shared fixtures for the board model's unit tests: boards on fresh docs and doc-to-doc sync. */

import * as Y from 'yjs';
import { Board, type BoardOptions } from './board.ts';

export interface TestBoard {
	doc: Y.Doc;
	board: Board;
	warnings: string[];
}

/** A board on a fresh doc, recording warnings instead of printing them. */
export function makeBoard(options: BoardOptions = {}): TestBoard {
	const doc = new Y.Doc();
	const warnings: string[] = [];
	const board = new Board(doc, { warn: (message) => warnings.push(message), ...options });
	return { doc, board, warnings };
}

/** Brings two docs to the same state, as a provider would after reconnecting. */
export function sync(a: Y.Doc, b: Y.Doc): void {
	const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, toB, 'remote');
	Y.applyUpdate(a, toA, 'remote');
}

/** Relays every update of either doc to the other from now on (a live connection). */
export function connect(a: Y.Doc, b: Y.Doc): () => void {
	const relayAB = (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') Y.applyUpdate(b, update, 'remote');
	};
	const relayBA = (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') Y.applyUpdate(a, update, 'remote');
	};
	sync(a, b);
	a.on('update', relayAB);
	b.on('update', relayBA);
	return () => {
		a.off('update', relayAB);
		b.off('update', relayBA);
	};
}
