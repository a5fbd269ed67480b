/** The selection's resize/rotate handles: a Konva Transformer styled like the rest of the app. */
import Konva from '$lib/canvas/konva';

const ACCENT = '#6965db';
/** Distance of the rotation handle above the selection box, in screen pixels. */
const ROTATE_HANDLE_OFFSET_PX = 24;
/** Side of a resize handle as drawn, in screen pixels, for a mouse or pen and for a finger. */
export const ANCHOR_SIZE_PX = 9;
export const TOUCH_ANCHOR_SIZE_PX = 14;
/** Extra width around a finger's handle that still takes the press: a target of TOUCH_ANCHOR_TARGET_PX. */
export const TOUCH_ANCHOR_TARGET_PX = 28;
const TOUCH_ROTATE_HANDLE_OFFSET_PX = 36;

export function createTransformer(): Konva.Transformer {
	return new Konva.Transformer({
		visible: false,
		borderStroke: ACCENT,
		borderStrokeWidth: 1,
		anchorStroke: ACCENT,
		anchorFill: '#ffffff',
		anchorSize: ANCHOR_SIZE_PX,
		anchorCornerRadius: 2,
		anchorStrokeWidth: 1,
		rotateAnchorOffset: ROTATE_HANDLE_OFFSET_PX,
		rotationSnaps: [0, 45, 90, 135, 180, 225, 270, 315],
		rotationSnapTolerance: 4,
		// Shapes never store negative sizes; a flip would have to become one.
		flipEnabled: false,
		ignoreStroke: true,
		padding: 4,
		// Free resize; Shift keeps the aspect ratio (Konva's default shift behaviour), as in Excalidraw and tldraw.
		keepRatio: false
	});
}

/**
 * Finger-sized handles (a press by touch last, or a touch-only screen): bigger anchors whose hit area
 * (their stroke's hit width) spans TOUCH_ANCHOR_TARGET_PX, and the rotation handle further out so it
 * does not crowd the top one.
 */
export function sizeTransformerFor(transformer: Konva.Transformer, coarse: boolean): void {
	transformer.anchorSize(coarse ? TOUCH_ANCHOR_SIZE_PX : ANCHOR_SIZE_PX);
	transformer.rotateAnchorOffset(coarse ? TOUCH_ROTATE_HANDLE_OFFSET_PX : ROTATE_HANDLE_OFFSET_PX);
	const hitWidth = coarse ? TOUCH_ANCHOR_TARGET_PX - TOUCH_ANCHOR_SIZE_PX : 'auto';
	transformer.anchorStyleFunc((anchor) => anchor.hitStrokeWidth(hitWidth));
}

/** True for the Transformer itself or any of its anchors. */
export function isTransformerPart(node: Konva.Node, transformer: Konva.Transformer): boolean {
	for (let current: Konva.Node | null = node; current; current = current.getParent()) {
		if (current === transformer) return true;
	}
	return false;
}
