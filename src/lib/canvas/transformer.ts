/** The selection's resize/rotate handles: a Konva Transformer styled like the rest of the app. */
import Konva from '$lib/canvas/konva';

const ACCENT = '#6965db';
/** Distance of the rotation handle above the selection box, in screen pixels. */
const ROTATE_HANDLE_OFFSET_PX = 24;

export function createTransformer(): Konva.Transformer {
	return new Konva.Transformer({
		visible: false,
		borderStroke: ACCENT,
		borderStrokeWidth: 1,
		anchorStroke: ACCENT,
		anchorFill: '#ffffff',
		anchorSize: 9,
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

/** True for the Transformer itself or any of its anchors. */
export function isTransformerPart(node: Konva.Node, transformer: Konva.Transformer): boolean {
	for (let current: Konva.Node | null = node; current; current = current.getParent()) {
		if (current === transformer) return true;
	}
	return false;
}
