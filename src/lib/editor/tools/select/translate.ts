/** Moving the selection by dragging: draft every moved shape at once, write them to the doc throttled, one undo step. */
import { updateShapes, type Shape } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';

export interface Translation {
	origin: Point;
	/** The shapes as they were when the drag began. */
	starts: Shape[];
}

export function beginTranslation(editor: Editor, origin: Point): Translation {
	editor.history.beginGesture();
	return { origin, starts: editor.selectedShapes() };
}

/** Shift locks the move to the axis the pointer has travelled furthest along. */
export function translationDelta(origin: Point, current: Point, axisLock: boolean): Point {
	const dx = current.x - origin.x;
	const dy = current.y - origin.y;
	if (!axisLock) return { x: dx, y: dy };
	return Math.abs(dx) >= Math.abs(dy) ? { x: dx, y: 0 } : { x: 0, y: dy };
}

function moved(t: Translation, delta: Point) {
	return t.starts.map((shape) => ({ ...shape, x: shape.x + delta.x, y: shape.y + delta.y }));
}

export function updateTranslation(editor: Editor, t: Translation, current: Point, axisLock: boolean): void {
	const shapes = moved(t, translationDelta(t.origin, current, axisLock));
	editor.draftShapes(shapes);
	editor.live.run(() =>
		updateShapes(
			editor.board,
			shapes.map((s) => ({ id: s.id, patch: { x: s.x, y: s.y } }))
		)
	);
}

export function endTranslation(editor: Editor, t: Translation, current: Point, axisLock: boolean): void {
	editor.live.cancel();
	const shapes = moved(t, translationDelta(t.origin, current, axisLock));
	updateShapes(
		editor.board,
		shapes.map((s) => ({ id: s.id, patch: { x: s.x, y: s.y } }))
	);
	editor.history.endGesture();
}

export function cancelTranslation(editor: Editor, t: Translation): void {
	editor.live.cancel();
	editor.history.cancelGesture();
	for (const shape of t.starts) editor.view?.resetDraft(shape.id);
}
