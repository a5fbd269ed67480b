import { describe, expect, it } from 'vitest';
import { SHAPE_DEFAULTS, type Shape } from '$lib/board';
import { LINE_HEIGHT } from '$lib/view/text-metrics';
import {
	OVERVIEW_LEAVE_SHAPES,
	OVERVIEW_LEAVE_ZOOM,
	OVERVIEW_MAX_ZOOM,
	OVERVIEW_MIN_SHAPES,
	paintOverview,
	textBars,
	wantsOverview,
	type OverviewContext
} from '$lib/canvas/overview';

/** A 2D context that records what is drawn: the painter's output without a browser. */
class RecordingContext implements OverviewContext {
	readonly ops: string[] = [];
	fillStyle: string | CanvasGradient | CanvasPattern = '';
	strokeStyle: string | CanvasGradient | CanvasPattern = '';
	lineWidth = 1;
	globalAlpha = 1;
	lineCap: CanvasLineCap = 'butt';
	lineJoin: CanvasLineJoin = 'miter';
	beginPath(): void {
		this.ops.push('begin');
	}
	moveTo(x: number, y: number): void {
		this.ops.push(`M ${round(x)} ${round(y)}`);
	}
	lineTo(x: number, y: number): void {
		this.ops.push(`L ${round(x)} ${round(y)}`);
	}
	closePath(): void {
		this.ops.push('close');
	}
	ellipse(x: number, y: number, rx: number, ry: number, rotation: number): void {
		this.ops.push(`ellipse ${round(x)} ${round(y)} ${rx} ${ry} ${round(rotation)}`);
	}
	fillRect(x: number, y: number, w: number, h: number): void {
		this.ops.push(`fillRect ${x} ${y} ${w} ${h} ${String(this.fillStyle)} α${round(this.globalAlpha)}`);
	}
	strokeRect(x: number, y: number, w: number, h: number): void {
		this.ops.push(`strokeRect ${x} ${y} ${w} ${h} ${String(this.strokeStyle)} w${round(this.lineWidth)} α${round(this.globalAlpha)}`);
	}
	fill(): void {
		this.ops.push(`fill ${String(this.fillStyle)} α${round(this.globalAlpha)}`);
	}
	stroke(): void {
		this.ops.push(`stroke ${String(this.strokeStyle)} w${round(this.lineWidth)} α${round(this.globalAlpha)}`);
	}
}

const round = (n: number) => Math.round(n * 100) / 100;

function paint(shapes: Shape[], zoom = 0.25): string[] {
	const context = new RecordingContext();
	paintOverview(context, shapes, zoom);
	return context.ops;
}

const base = { id: 's', index: 'a0' } as const;

describe('wantsOverview', () => {
	it('switches on for a dense view at low zoom only', () => {
		expect(wantsOverview(false, OVERVIEW_MAX_ZOOM, OVERVIEW_MIN_SHAPES)).toBe(true);
		expect(wantsOverview(false, OVERVIEW_MAX_ZOOM + 0.01, 10_000)).toBe(false);
		expect(wantsOverview(false, 0.1, OVERVIEW_MIN_SHAPES - 1)).toBe(false);
	});

	it('switches back only past the leave thresholds, so a view at the edge does not flap', () => {
		const between = (OVERVIEW_MAX_ZOOM + OVERVIEW_LEAVE_ZOOM) / 2;
		expect(wantsOverview(true, between, OVERVIEW_MIN_SHAPES)).toBe(true);
		expect(wantsOverview(false, between, OVERVIEW_MIN_SHAPES)).toBe(false);
		expect(wantsOverview(true, 0.1, OVERVIEW_LEAVE_SHAPES)).toBe(true);
		expect(wantsOverview(true, 0.1, OVERVIEW_LEAVE_SHAPES - 1)).toBe(false);
		expect(wantsOverview(true, OVERVIEW_LEAVE_ZOOM + 0.01, 10_000)).toBe(false);
	});
});

describe('paintOverview', () => {
	it('draws an unrotated rect as a filled box outlined at its screen width', () => {
		const rect: Shape = { ...base, type: 'rect', ...SHAPE_DEFAULTS.rect, x: 10, y: 20, w: 100, h: 50, fill: '#ff0000', stroke: '#0000ff', opacity: 0.5 };
		expect(paint([rect], 0.25)).toEqual(['fillRect 10 20 100 50 #ff0000 α0.5', 'strokeRect 10 20 100 50 #0000ff w8 α0.5']);
	});

	it('leaves out the fill of a transparent shape and the outline of a zero-width one', () => {
		const rect: Shape = { ...base, type: 'rect', ...SHAPE_DEFAULTS.rect, w: 100, h: 100, strokeWidth: 0, fill: '#ff0000' };
		const hollow: Shape = { ...rect, fill: 'transparent', strokeWidth: 2 };
		expect(paint([rect])).toEqual(['fillRect 0 0 100 100 #ff0000 α1']);
		expect(paint([hollow])).toEqual(['strokeRect 0 0 100 100 #1e1e1e w8 α1']);
		const ring: Shape = { ...base, type: 'ellipse', ...SHAPE_DEFAULTS.ellipse, fill: 'transparent' };
		expect(paint([ring]).filter((op) => op.startsWith('fill'))).toEqual([]);
	});

	it('draws a sticky note as its paper with its text as bars', () => {
		const note: Shape = { ...base, type: 'sticky', ...SHAPE_DEFAULTS.sticky, x: 0, y: 0, text: 'hi' };
		const ops = paint([note]);
		expect(ops[0]).toBe(`fillRect 0 0 200 200 ${SHAPE_DEFAULTS.sticky.noteColor} α1`);
		expect(ops.at(-1)).toBe('fill #1e1e1e α0.45');
	});

	it('rotates boxes about the shape origin, as Konva rotates the node', () => {
		const rect: Shape = { ...base, type: 'rect', ...SHAPE_DEFAULTS.rect, x: 100, y: 100, w: 10, h: 20, rotation: 90 };
		expect(paint([rect]).slice(0, 6)).toEqual(['begin', 'M 100 100', 'L 100 110', 'L 80 110', 'L 80 100', 'close']);
	});

	it('draws an ellipse inscribed in its box, rotated with it', () => {
		const ellipse: Shape = { ...base, type: 'ellipse', ...SHAPE_DEFAULTS.ellipse, x: 0, y: 0, w: 40, h: 20, rotation: 180 };
		expect(paint([ellipse])[1]).toBe(`ellipse -20 -10 20 10 ${round(Math.PI)}`);
	});

	it('draws lines through their points, skipping points closer than a screen pixel but never the last', () => {
		const line: Shape = { ...base, type: 'line', ...SHAPE_DEFAULTS.line, x: 5, y: 5, points: [0, 0, 1, 0, 2, 0, 40, 0, 41, 1] };
		// At 25 %, a pixel is 4 units: (1, 0) and (2, 0) are skipped, (41, 1) is kept as the end.
		expect(paint([line], 0.25)).toEqual(['begin', 'M 5 5', 'L 45 5', 'L 46 6', 'stroke #1e1e1e w8 α1']);
	});

	it('draws a one-point pen stroke as a dot, at the pen width in board units', () => {
		const dot: Shape = { ...base, type: 'pen', ...SHAPE_DEFAULTS.pen, x: 3, y: 4, points: [0, 0], strokeWidth: 6 };
		expect(paint([dot])).toEqual(['begin', 'M 3 4', 'L 3 4', 'stroke #1e1e1e w6 α1']);
	});

	it('gives an arrow its head at the last point, outlined like the line', () => {
		const arrow: Shape = { ...base, type: 'arrow', ...SHAPE_DEFAULTS.arrow, x: 0, y: 0, points: [0, 0, 100, 0], strokeWidth: 2 };
		const ops = paint([arrow], 0.5);
		// arrowHeadSize(2): 10 long, 8 wide.
		expect(ops.slice(4)).toEqual(['begin', 'M 100 0', 'L 90 4', 'L 90 -4', 'close', 'fill #1e1e1e α1', 'stroke #1e1e1e w4 α1']);
	});

	it('shows text as translucent bars, one per line, and nothing for empty text', () => {
		const text: Shape = { ...base, type: 'text', ...SHAPE_DEFAULTS.text, text: 'one\ntwo', w: 200, fontSize: 20 };
		const ops = paint([text]);
		expect(ops.filter((op) => op === 'close')).toHaveLength(2);
		expect(ops.at(-1)).toBe('fill #1e1e1e α0.45');
		expect(paint([{ ...text, text: '  ' }])).toEqual([]);
	});

	it('paints shapes in the order given (bottom to top)', () => {
		const a: Shape = { ...base, id: 'a', type: 'rect', ...SHAPE_DEFAULTS.rect, fill: '#aaaaaa' };
		const b: Shape = { ...base, id: 'b', type: 'rect', ...SHAPE_DEFAULTS.rect, fill: '#bbbbbb' };
		const fills = (ops: string[]) => ops.filter((op) => op.startsWith('fillRect')).map((op) => op.split(' ')[5]);
		expect(fills(paint([a, b]))).toEqual(['#aaaaaa', '#bbbbbb']);
		expect(fills(paint([b, a]))).toEqual(['#bbbbbb', '#aaaaaa']);
	});
});

describe('textBars', () => {
	it('wraps paragraphs at the estimated glyph width and keeps blank lines as gaps', () => {
		// 100 / (10 × 0.55) = 18 characters a line.
		const bars = textBars(`${'x'.repeat(20)}\n\nshort`, 100, 10, false);
		expect(bars.map((bar) => Math.round(bar.w))).toEqual([99, 11, 28]);
		expect(bars.map((bar) => bar.y / (10 * LINE_HEIGHT))).toEqual([0.3, 1.3, 3.3].map((line) => expect.closeTo(line, 5)));
	});

	it('centres the lines of a note and keeps only those that fit its height', () => {
		const bars = textBars('a\nb\nc\nd', 100, 10, true, 25);
		expect(bars).toHaveLength(2);
		expect(bars[0]!.x).toBeCloseTo((100 - 5.5) / 2);
		expect(bars[0]!.y).toBeCloseTo(3.75);
	});
});
