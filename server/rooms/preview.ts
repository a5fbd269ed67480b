/** A room's preview: its shapes read once per state of the doc and served as JSON, filtered to a view. */
import type * as Y from 'yjs';
import { Board, boxesOverlap, listShapes, shapeBounds, storedFields, type Box, type Shape } from '../../src/lib/shared/model/index.ts';
import type { Logger } from '../log.ts';

/**
 * The board's valid shapes in stacking order, each with its bounds, read once per state of the doc
 * (many open a shared link at about the same time) and dropped whenever the doc changes.
 */
export class PreviewCache {
	/** The board model over the current doc. */
	private board: Board | null = null;
	private shapes: Array<{ bounds: Box; shape: Shape }> | null = null;

	constructor(private readonly log: Logger) {}

	/** The doc changed: what was read from it is stale. */
	invalidate(): void {
		this.shapes = null;
	}

	/** A new doc replaced the old one (a load or a rebuild). */
	reset(): void {
		this.board = null;
		this.shapes = null;
	}

	/**
	 * `{"total":<shapes on the board>,"shapes":[…]}`: the shapes whose bounds meet `view` (all of them
	 * without one), each its id and the fields the doc stores (those at their default are left out).
	 */
	render(doc: Y.Doc, view: Box | null): string {
		const all = (this.shapes ??= this.read(doc));
		const shown = view ? all.filter(({ bounds }) => boxesOverlap(bounds, view)) : all;
		return JSON.stringify({ total: all.length, shapes: shown.map(({ shape }) => storedFields(shape)) });
	}

	private read(doc: Y.Doc): Array<{ bounds: Box; shape: Shape }> {
		this.board ??= new Board(doc, { warn: (message) => this.log.warn(message) });
		return listShapes(this.board).map((shape) => ({ bounds: shapeBounds(shape), shape }));
	}
}
