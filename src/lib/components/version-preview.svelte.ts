/**
 * The History panel's preview and restore, where the editor, the canvas and collab's history API meet:
 * a version on show instead of the live board (read-only, its differences from the live board
 * outlined, shapes picked for "Restore selected"), and the restore itself (a `before-restore` version
 * first, then one transaction through board ops: one Ctrl+Z undoes it).
 */
import { diffShapes, restoreShapes, topShapeAt, versionBoard, type Board, type Shape } from '$lib/board';
import type { BoardCanvas } from '$lib/canvas/board-canvas';
import type { VersionMarks } from '$lib/canvas/version-view';
import type { HistoryApi } from '$lib/collab/history';
import type { Editor } from '$lib/editor/editor.svelte';
import type { ToolId } from '$lib/editor/tools/tool';
import type { VersionContent } from '$lib/shared/history';
import type { Point } from '$lib/view/camera';

/** How many of each difference the legend shows. */
export interface DiffCounts {
	onlyInVersion: number;
	onlyOnBoard: number;
	changed: number;
}

/** Hit tolerance of a click on a preview shape, screen px. */
const PICK_TOLERANCE_PX = 4;

export class VersionPreview {
	/** The version on show, or null when the live board is. */
	content = $state.raw<VersionContent | null>(null);
	/** Shapes of the version picked for "Restore selected". */
	picked = $state.raw<string[]>([]);
	counts = $state.raw<DiffCounts>({ onlyInVersion: 0, onlyOnBoard: 0, changed: 0 });
	/** A restore is under way (its `before-restore` version is being stored). */
	restoring = $state(false);
	/** Why the last restore did not happen, or null. */
	error = $state<string | null>(null);
	#board: Board | null = null;
	#toolBefore: ToolId | null = null;

	constructor(
		private readonly editor: Editor,
		private readonly api: HistoryApi,
		private readonly canvas: () => BoardCanvas | null
	) {}

	get active(): boolean {
		return this.content !== null;
	}

	/** Shows a version instead of the live board: the hand tool, so a drag pans and a click picks. */
	show(content: VersionContent): void {
		this.#board?.doc.destroy();
		this.#board = versionBoard(content.shapes);
		this.content = content;
		this.picked = [];
		this.error = null;
		if (this.#toolBefore === null) this.#toolBefore = this.editor.tool;
		this.editor.select([]);
		this.editor.setTool('hand');
		this.canvas()?.showVersion(this.#board, this.marks());
	}

	/** The live board changed: the outlines follow it. */
	refresh(): void {
		if (this.content) this.canvas()?.setVersionMarks(this.marks());
	}

	/** Back to the live board as it is now. */
	close(): void {
		if (!this.content) return;
		this.canvas()?.endVersion();
		this.#board?.doc.destroy();
		this.#board = null;
		this.content = null;
		this.picked = [];
		const tool = this.#toolBefore;
		this.#toolBefore = null;
		// After the editor can write again (the page's effect), so a drawing tool is allowed back.
		setTimeout(() => tool && !this.content && this.editor.setTool(tool));
	}

	/** A click on the preview (board point): picks or unpicks the version's shape there; `add` keeps the others. */
	pick(point: Point, add: boolean): void {
		if (!this.content) return;
		const hit = topShapeAt(this.content.shapes, point, PICK_TOLERANCE_PX / this.editor.camera.zoom);
		if (!hit) {
			if (!add) this.picked = [];
		} else if (this.picked.includes(hit.id)) this.picked = this.picked.filter((id) => id !== hit.id);
		else this.picked = add ? [...this.picked, hit.id] : [hit.id];
		this.refresh();
	}

	/**
	 * Makes the live board equal the version (or brings back the picked shapes only): stores a
	 * `before-restore` version first and restores nothing if that fails; then one transaction with the
	 * editor's origin. Leaves the preview. Returns whether it restored.
	 */
	async restore(onlyPicked: boolean): Promise<boolean> {
		const content = this.content;
		if (!content || this.restoring) return false;
		const only = onlyPicked ? [...this.picked] : undefined;
		this.restoring = true;
		this.error = null;
		try {
			await this.api.save({ reason: 'before-restore' });
		} catch (error) {
			this.error = `Not restored: the board could not be saved first. ${(error as Error).message}`;
			return false;
		} finally {
			this.restoring = false;
		}
		this.close();
		this.editor.activeTool.cancel();
		restoreShapes(this.editor.board, this.editor.shapes(), content.shapes, only);
		if (only) this.editor.select(only.filter((id) => this.editor.shape(id) !== null));
		return true;
	}

	marks(): VersionMarks {
		const content = this.content;
		if (!content) return { onlyInVersion: [], onlyOnBoard: [], changed: [], selected: [] };
		const live = this.editor.shapes();
		const diff = diffShapes(live, content.shapes);
		const inVersion = new Map(content.shapes.map((shape) => [shape.id, shape]));
		const onBoard = new Map(live.map((shape) => [shape.id, shape]));
		const of = (ids: string[], from: Map<string, Shape>) => ids.map((id) => from.get(id)).filter((s): s is Shape => s !== undefined);
		this.counts = { onlyInVersion: diff.onlyInVersion.length, onlyOnBoard: diff.onlyOnBoard.length, changed: diff.changed.length };
		return {
			onlyInVersion: of(diff.onlyInVersion, inVersion),
			onlyOnBoard: of(diff.onlyOnBoard, onBoard),
			changed: of(diff.changed, inVersion),
			selected: of(this.picked, inVersion)
		};
	}
}
