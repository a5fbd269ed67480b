/** Text and sticky-note renderers: word-wrapped text; a sticky adds a coloured paper behind it. */
import Konva from '$lib/canvas/konva';
import type { StickyShape, TextShape } from '$lib/board';
import { FONT_FAMILY, LINE_HEIGHT, STICKY_PADDING } from '$lib/view/text-metrics';
import { applyBase, createGroup, firstChild } from '$lib/canvas/shapes/common';

function textAttrs(shape: TextShape) {
	return {
		text: shape.text,
		width: Math.max(1, shape.w),
		fontSize: shape.fontSize,
		fontFamily: FONT_FAMILY,
		lineHeight: LINE_HEIGHT,
		wrap: 'word',
		fill: shape.stroke
	};
}

export const textRenderer = {
	create(shape: TextShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Text(textAttrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: TextShape): void {
		applyBase(group, shape);
		firstChild<Konva.Text>(group).setAttrs(textAttrs(shape));
	}
};

function paperAttrs(shape: StickyShape) {
	return {
		width: shape.w,
		height: shape.h,
		fill: shape.noteColor,
		cornerRadius: 6,
		stroke: shape.stroke,
		strokeWidth: shape.strokeWidth,
		strokeEnabled: shape.strokeWidth > 0,
		strokeScaleEnabled: false,
		shadowColor: '#000',
		shadowOpacity: 0.18,
		shadowBlur: 10,
		shadowOffsetY: 3,
		shadowForStrokeEnabled: false
	};
}

function noteTextAttrs(shape: StickyShape) {
	return {
		x: STICKY_PADDING,
		y: STICKY_PADDING,
		width: Math.max(1, shape.w - STICKY_PADDING * 2),
		height: Math.max(1, shape.h - STICKY_PADDING * 2),
		text: shape.text,
		fontSize: shape.fontSize,
		fontFamily: FONT_FAMILY,
		lineHeight: LINE_HEIGHT,
		align: 'center',
		verticalAlign: 'middle',
		wrap: 'word',
		ellipsis: true,
		fill: shape.stroke
	};
}

export const stickyRenderer = {
	create(shape: StickyShape): Konva.Group {
		const group = createGroup(shape);
		group.add(new Konva.Rect(paperAttrs(shape)), new Konva.Text(noteTextAttrs(shape)));
		return group;
	},
	update(group: Konva.Group, shape: StickyShape): void {
		applyBase(group, shape);
		firstChild<Konva.Rect>(group, 0).setAttrs(paperAttrs(shape));
		firstChild<Konva.Text>(group, 1).setAttrs(noteTextAttrs(shape));
	}
};

/** Height of `text` wrapped at `width`, as the renderer would draw it (the model cannot measure text). */
export function measureText(text: string, width: number | null, fontSize: number): { width: number; height: number } {
	const probe = new Konva.Text({
		text: text || ' ',
		fontSize,
		fontFamily: FONT_FAMILY,
		lineHeight: LINE_HEIGHT,
		wrap: 'word',
		...(width === null ? {} : { width })
	});
	const size = { width: probe.width(), height: probe.height() };
	probe.destroy();
	return size;
}
