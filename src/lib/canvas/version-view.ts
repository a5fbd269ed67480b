/**
 * A version of the board on show instead of the live shapes (issue 18's preview): its own layer with
 * the dot grid and a scene over the version's board (a Y.Doc of its own, never synced), and a layer
 * of outlines marking what differs from the live board. The live layer stays as it is, hidden, and
 * keeps applying remote changes: leaving the preview shows the board as it is by then.
 */
import Konva from '$lib/canvas/konva';
import { shapeBounds, type Board, type Box, type Shape } from '$lib/board';
import type { Camera } from '$lib/view/camera';
import { DotGrid } from '$lib/canvas/dot-grid';
import { ShapeScene } from '$lib/canvas/scene';
import type { ImageSource } from '$lib/canvas/images';

/** Outline colours of the preview's marks (the legend in the components uses the same). */
export const VERSION_MARK_COLOURS = {
	/** In the version, gone from the board now: a restore brings it back. */
	onlyInVersion: '#16a34a',
	/** On the board now, not in the version: a restore removes it (drawn as a dashed ghost outline). */
	onlyOnBoard: '#dc2626',
	/** In both, different now. */
	changed: '#d97706',
	/** Picked in the preview for "Restore selected". */
	selected: '#6965db'
} as const;

export interface VersionMarks {
	onlyInVersion: readonly Shape[];
	onlyOnBoard: readonly Shape[];
	changed: readonly Shape[];
	selected: readonly Shape[];
}

/** Space between a shape and its mark, screen px. */
const MARK_PADDING_PX = 6;

export class VersionView {
	readonly layer: Konva.Layer;
	readonly scene: ShapeScene;
	readonly #grid: DotGrid;
	readonly #marks = new Konva.Layer({ listening: false });
	#marked: { shape: Shape; colour: string; dashed: boolean; width: number }[] = [];
	#zoom: number;

	constructor(stage: Konva.Stage, board: Board, camera: Camera, view: Box, images: ImageSource) {
		this.layer = new Konva.Layer({ listening: false });
		this.#grid = new DotGrid(this.layer, camera);
		this.#zoom = camera.zoom;
		this.scene = new ShapeScene(this.layer, board, () => {}, view, camera.zoom, { images });
		stage.add(this.layer, this.#marks);
	}

	setCamera(camera: Camera, view: Box): void {
		this.#grid.setCamera(camera);
		this.#zoom = camera.zoom;
		this.scene.setView(view, camera.zoom);
		this.#drawMarks();
	}

	setView(view: Box): void {
		this.scene.setView(view);
	}

	setMarks(marks: VersionMarks): void {
		const { onlyInVersion, onlyOnBoard, changed, selected } = VERSION_MARK_COLOURS;
		this.#marked = [
			...marks.onlyInVersion.map((shape) => ({ shape, colour: onlyInVersion, dashed: false, width: 2 })),
			...marks.changed.map((shape) => ({ shape, colour: changed, dashed: false, width: 2 })),
			...marks.onlyOnBoard.map((shape) => ({ shape, colour: onlyOnBoard, dashed: true, width: 2 })),
			...marks.selected.map((shape) => ({ shape, colour: selected, dashed: false, width: 3 }))
		];
		this.#drawMarks();
	}

	/** How many marks are drawn, by colour (for tests). */
	marksDrawn(): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const { colour } of this.#marked) counts[colour] = (counts[colour] ?? 0) + 1;
		return counts;
	}

	#drawMarks(): void {
		this.#marks.destroyChildren();
		const pad = MARK_PADDING_PX / this.#zoom;
		for (const { shape, colour, dashed, width } of this.#marked) {
			const box = shapeBounds(shape);
			this.#marks.add(
				new Konva.Rect({
					x: box.x - pad,
					y: box.y - pad,
					width: box.w + 2 * pad,
					height: box.h + 2 * pad,
					stroke: colour,
					strokeWidth: width,
					strokeScaleEnabled: false,
					dash: dashed ? [6, 4] : undefined,
					fill: dashed ? 'rgba(220, 38, 38, 0.05)' : undefined,
					cornerRadius: 4 / this.#zoom,
					listening: false
				})
			);
		}
		this.#marks.batchDraw();
	}

	destroy(): void {
		this.scene.destroy();
		this.layer.destroy();
		this.#marks.destroy();
	}
}
