/** The SVG export: each shape kind drawn as the canvas draws it, text as <text>, images embedded, bounds and background. */
import { describe, expect, it } from 'vitest';
import { SHAPE_DEFAULTS, validateShape, type Shape } from '$lib/board';
import { penOutline } from '$lib/board/stroke';
import { BOARD_BACKGROUND, EXPORT_PADDING, buildSvg, exportBounds, wrapText, type TextBox } from '$lib/view/export-svg';

let n = 0;
function shape(type: Shape['type'], props: Record<string, unknown> = {}): Shape {
	n++;
	return validateShape({ ...SHAPE_DEFAULTS[type], type, id: `s${n}`, index: `a${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[n % 36]}`, ...props });
}

/** Every character 0.5 em wide: predictable wrapping without a canvas. */
const layoutText = (box: TextBox) => wrapText(box, (text, fontSize) => text.length * fontSize * 0.5);
const svgOf = (shapes: Shape[], extra: Partial<Parameters<typeof buildSvg>[1]> = {}) =>
	buildSvg(shapes, { background: null, layoutText, ...extra })!;

describe('buildSvg', () => {
	it('is a standalone SVG document sized to the shapes plus padding', () => {
		const svg = svgOf([shape('rect', { x: 10, y: 20, w: 100, h: 50, strokeWidth: 0 })]);
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg).toContain(`viewBox="${10 - EXPORT_PADDING} ${20 - EXPORT_PADDING} ${100 + 2 * EXPORT_PADDING} ${50 + 2 * EXPORT_PADDING}"`);
		expect(svg).toContain(`width="${100 + 2 * EXPORT_PADDING}"`);
	});

	it('returns null with nothing to draw', () => {
		expect(buildSvg([], { background: null, layoutText })).toBeNull();
		expect(exportBounds([])).toBeNull();
	});

	it('fills the background only when asked', () => {
		const r = shape('rect');
		expect(svgOf([r])).not.toContain(BOARD_BACKGROUND);
		expect(svgOf([r], { background: BOARD_BACKGROUND })).toContain(`fill="${BOARD_BACKGROUND}"`);
	});

	it('draws a rectangle with the canvas corner radius, fill, outline and rotation', () => {
		const svg = svgOf([shape('rect', { x: 5, y: 6, w: 100, h: 20, fill: '#ff0000', stroke: '#0000ff', strokeWidth: 3, rotation: 30 })]);
		expect(svg).toContain('<g transform="translate(5 6) rotate(30)" data-type="rect">');
		// min(8, w / 4, h / 4) as canvas/shapes/rect.ts.
		expect(svg).toContain('<rect width="100" height="20" rx="5" fill="#ff0000" stroke="#0000ff" stroke-width="3"/>');
	});

	it('draws an ellipse inscribed in its box, with no fill when transparent', () => {
		const svg = svgOf([shape('ellipse', { w: 80, h: 40 })]);
		expect(svg).toContain('<ellipse cx="40" cy="20" rx="40" ry="20" fill="none" stroke="#1e1e1e" stroke-width="2"/>');
	});

	it('applies opacity to fill and outline separately, as Konva does', () => {
		const svg = svgOf([shape('rect', { fill: '#00ff00', opacity: 0.5 })]);
		expect(svg).toContain('fill-opacity="0.5"');
		expect(svg).toContain('stroke-opacity="0.5"');
	});

	it('draws a line as a round-capped polyline', () => {
		const svg = svgOf([shape('line', { points: [0, 0, 50, 10, 100, 0] })]);
		expect(svg).toContain('<polyline points="0,0 50,10 100,0" fill="none" stroke="#1e1e1e" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>');
	});

	it('adds an arrowhead at the end, sized by arrowHeadSize and aimed along the last segment', () => {
		const svg = svgOf([shape('arrow', { points: [0, 0, 0, 100, 0, 100] })]);
		// The repeated last point is skipped: the head points down (90°).
		expect(svg).toMatch(/<path d="M0 0L-[\d.]+ [\d.]+L-[\d.]+ -[\d.]+Z" transform="translate\(0 100\) rotate\(90\)" fill="#1e1e1e"/);
	});

	it('draws a pen stroke as its perfect-freehand outline, filled with the ink', () => {
		const pen = shape('pen', { points: [0, 0, 10, 5, 20, 0, 30, 8], stroke: '#123456' });
		const svg = svgOf([pen]);
		const outline = penOutline(pen as Extract<Shape, { type: 'pen' }>);
		const first = `M${Math.round(outline[0]! * 1000) / 1000},${Math.round(outline[1]! * 1000) / 1000}`;
		expect(svg).toContain(`<path d="${first}L`);
		expect(svg).toContain('fill="#123456"/>');
	});

	it('writes text as <text>, one <tspan> a wrapped line, escaped', () => {
		// 10 px a character at 20 px: 100 wide holds 10 characters.
		const svg = svgOf([shape('text', { text: 'hello world <&> again', w: 100, fontSize: 20, stroke: '#222222' })]);
		expect(svg).toContain('<text font-family=');
		expect(svg).toContain('font-size="20" fill="#222222" xml:space="preserve">');
		const spans = [...svg.matchAll(/<tspan x="0" y="[\d.]+">([^<]*)<\/tspan>/g)].map((m) => m[1]);
		expect(spans).toEqual(['hello', 'world &lt;&amp;&gt;', 'again']);
	});

	it('draws a sticky note: paper with shadow and corner 6, text centred in its padded box', () => {
		const svg = svgOf([shape('sticky', { w: 200, h: 200, text: 'Hi', fontSize: 20, noteColor: '#fef08a' })]);
		expect(svg).toContain('<rect width="200" height="200" rx="6" filter="url(#bw-shadow)" fill="#fef08a"/>');
		expect(svg).toContain('<feDropShadow');
		// "Hi" is 20 wide in a 168 box from x = 16: centred at 16 + 74.
		expect(svg).toMatch(/<tspan x="90" y="[\d.]+">Hi<\/tspan>/);
	});

	it('cuts a sticky note’s overflowing text with an ellipsis', () => {
		const box = { text: 'a '.repeat(200), fontSize: 20, width: 100, height: 60 };
		const layout = wrapText(box, (t, f) => t.length * f * 0.5);
		expect(layout.lines).toHaveLength(2);
		expect(layout.lines[1]!.text.endsWith('…')).toBe(true);
	});

	it('embeds an image as a data: URL, and draws a placeholder without its bytes', () => {
		const hash = 'a'.repeat(64);
		const img = shape('image', { w: 40, h: 30, hash, mime: 'image/png', naturalW: 4, naturalH: 3 });
		const url = 'data:image/png;base64,iVBORw0KGgo=';
		expect(svgOf([img], { images: new Map([[hash, url]]) })).toContain(`<image width="40" height="30" href="${url}" preserveAspectRatio="none"/>`);
		expect(svgOf([img])).toContain('stroke-dasharray="6 4"');
	});

	it('draws in stacking order whatever order it is given', () => {
		const a = shape('rect', { index: 'a1' });
		const b = shape('ellipse', { index: 'a2' });
		const svg = svgOf([b, a]);
		expect(svg.indexOf('data-type="rect"')).toBeLessThan(svg.indexOf('data-type="ellipse"'));
	});
});
