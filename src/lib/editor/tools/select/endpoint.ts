/** Dragging one end of a selected line or arrow: the other end stays put, whatever the shape's rotation. */
import { updateShape, type ArrowShape, type LineShape } from '$lib/board';
import { endpoints, isLineLike, toLocal, toWorld } from '$lib/shared/model/geometry';
import type { Editor } from '$lib/editor/editor.svelte';
import type { Point } from '$lib/view/camera';

/** Screen pixels around an endpoint that grab it; a finger gets a 24 px target. */
export const ENDPOINT_HIT_PX = 8;
export const TOUCH_ENDPOINT_HIT_PX = 12;

export interface EndpointDrag {
	original: LineShape | ArrowShape;
	/** Which end: the first point (the shape's origin) or the last. */
	end: 'start' | 'end';
}

/** The end of the single selected line/arrow under the pointer, if any. */
export function endpointAt(editor: Editor, point: Point): EndpointDrag | null {
	if (editor.selection.length !== 1) return null;
	const shape = editor.shape(editor.selection[0]!);
	if (!isLineLike(shape)) return null;
	const reach = (editor.coarsePointer ? TOUCH_ENDPOINT_HIT_PX : ENDPOINT_HIT_PX) / editor.camera.zoom;
	const { start, end } = endpoints(shape);
	// The end wins a tie: on a short line it is the one people reach for.
	if (Math.hypot(point.x - end.x, point.y - end.y) <= reach) return { original: shape, end: 'end' };
	if (Math.hypot(point.x - start.x, point.y - start.y) <= reach) return { original: shape, end: 'start' };
	return null;
}

/** The shape with one end moved to `to` (board units). */
export function movedEndpoint(drag: EndpointDrag, to: Point): LineShape | ArrowShape {
	const shape = drag.original;
	const points = [...shape.points];
	if (drag.end === 'end') {
		const local = toLocal(shape, to);
		points[points.length - 2] = local.x;
		points[points.length - 1] = local.y;
		return { ...shape, points };
	}
	// The origin is the first point: move it, and re-express every other point from there.
	const moved = { ...shape, x: to.x, y: to.y };
	for (let i = 2; i < points.length; i += 2) {
		const local = toLocal(moved, toWorld(shape, { x: points[i]!, y: points[i + 1]! }));
		points[i] = local.x;
		points[i + 1] = local.y;
	}
	points[0] = 0;
	points[1] = 0;
	return { ...moved, points };
}

export function updateEndpoint(editor: Editor, drag: EndpointDrag, to: Point, final: boolean): void {
	const next = movedEndpoint(drag, to);
	editor.view?.draft(next);
	const write = () => updateShape(editor.board, next.id, { x: next.x, y: next.y, points: next.points });
	if (final) {
		editor.live.cancel();
		write();
	} else editor.live.run(write);
}
