/** A room's preview: its shapes read once per state of the doc and served as JSON, filtered to a view. */
import type * as Y from 'yjs';
import { Board, boxesOverlap, listShapes, shapeBounds, storedFields, type Box, type Shape } from '../../src/lib/shared/model/index.ts';
import type { Logger } from '../log.ts';

/** Serialised previews kept per state of the doc (the whole board and recent views). */
const MAX_CACHED_ANSWERS = 8;

/**
 * The board's valid shapes in stacking order, each with its bounds, read once per state of the doc
 * (many open a shared link at about the same time) and dropped whenever the doc changes.
 */
export class PreviewCache {
	/** The board model over the current doc. */
	private board: Board | null = null;
	private entries: Array<{ bounds: Box; shape: Shape }> | null = null;
	/**
	 * Serialised answers for this state of the doc, by view ('' for the whole board): serialising a
	 * 10k-shape board is ~856 kB of JSON, and 200 requests at once each paid it (issue 15).
	 */
	private readonly answers = new Map<string, string>();

	constructor(private readonly log: Logger) {}

	/** The doc changed: what was read from it is stale. */
	invalidate(): void {
		this.entries = null;
		this.answers.clear();
	}

	/** A new doc replaced the old one (a load or a rebuild). */
	reset(): void {
		this.board = null;
		this.entries = null;
		this.answers.clear();
	}

	/**
	 * `{"total":<shapes on the board>,"shapes":[…]}`: the shapes whose bounds meet `view` (all of them
	 * without one), each its id and the fields the doc stores (those at their default are left out).
	 */
	render(doc: Y.Doc, view: Box | null): string {
		const key = view ? `${view.x},${view.y},${view.w},${view.h}` : '';
		const cached = this.answers.get(key);
		if (cached !== undefined) return cached;
		const all = (this.entries ??= this.read(doc));
		const shown = view ? all.filter(({ bounds }) => boxesOverlap(bounds, view)) : all;
		const answer = JSON.stringify({ total: all.length, shapes: shown.map(({ shape }) => storedFields(shape)) });
		// Views differ from page to page: only the most recent few are kept.
		if (this.answers.size >= MAX_CACHED_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
		this.answers.set(key, answer);
		return answer;
	}

	/** The board's valid shapes in stacking order (the same read, cached per state of the doc). */
	shapes(doc: Y.Doc): Shape[] {
		return (this.entries ??= this.read(doc)).map(({ shape }) => shape);
	}

	private read(doc: Y.Doc): Array<{ bounds: Box; shape: Shape }> {
		this.board ??= new Board(doc, { warn: (message) => this.log.warn(message) });
		return listShapes(this.board).map((shape) => ({ bounds: shapeBounds(shape), shape }));
	}
}
