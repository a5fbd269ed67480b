import { describe, expect, it } from 'vitest';
import type { ImageSource } from '$lib/canvas/images';
import { CANVAS_DARK_FILTER, IMAGE_COUNTER_FILTER, ThemedImages } from '$lib/components/themed-images';

type Rgb = [number, number, number];
const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** The CSS filter functions the two filters use, as the Filter Effects spec defines them. */
function apply(filter: string, rgb: Rgb): Rgb {
	let c = rgb;
	for (const [, name, arg] of filter.matchAll(/([a-z-]+)\(([^)]+)\)/g)) {
		const n = parseFloat(arg!);
		if (name === 'invert') {
			const p = n / 100;
			c = c.map((v) => clamp(p + (1 - 2 * p) * v)) as Rgb;
		} else if (name === 'contrast') {
			const k = n / 100;
			c = c.map((v) => clamp(k * (v - 0.5) + 0.5)) as Rgb;
		} else if (name === 'hue-rotate') {
			const a = (n * Math.PI) / 180;
			const cos = Math.cos(a);
			const sin = Math.sin(a);
			const m = [
				[0.213 + cos * 0.787 - sin * 0.213, 0.715 - cos * 0.715 - sin * 0.715, 0.072 - cos * 0.072 + sin * 0.928],
				[0.213 - cos * 0.213 + sin * 0.143, 0.715 + cos * 0.285 + sin * 0.14, 0.072 - cos * 0.072 - sin * 0.283],
				[0.213 - cos * 0.213 - sin * 0.787, 0.715 - cos * 0.715 + sin * 0.715, 0.072 + cos * 0.928 + sin * 0.072]
			];
			c = m.map((row) => clamp(row[0]! * c[0] + row[1]! * c[1] + row[2]! * c[2])) as Rgb;
		} else throw new Error(`unknown filter ${name}`);
	}
	return c;
}

describe('the dark canvas filter', () => {
	it('turns the light board dark and the default ink light', () => {
		const [bg] = apply(CANVAS_DARK_FILTER, [0.98, 0.98, 0.99]);
		const [ink] = apply(CANVAS_DARK_FILTER, [0x1e / 255, 0x1e / 255, 0x1e / 255]);
		expect(bg).toBeLessThan(0.1);
		expect(ink).toBeGreaterThan(0.8);
	});

	it('leaves an image as it is once counter-filtered: greys and mid tones within 1 %, light saturated ones within 8 %', () => {
		const roundTrip = (colour: Rgb) => {
			const seen = apply(CANVAS_DARK_FILTER, apply(IMAGE_COUNTER_FILTER, colour));
			return Math.max(...seen.map((v, i) => Math.abs(v - colour[i]!)));
		};
		const midTones: Rgb[] = [
			[0, 0, 0],
			[1, 1, 1],
			[0.5, 0.5, 0.5],
			[0.8, 0.3, 0.2],
			[0.2, 0.6, 0.4],
			[0.3, 0.4, 0.75]
		];
		for (const colour of midTones) expect(roundTrip(colour)).toBeLessThan(0.01);
		// The hue rotation clips what leaves the gamut half-way.
		expect(roundTrip([0.9, 0.85, 0.6])).toBeLessThan(0.08);
	});
});

describe('ThemedImages', () => {
	it('asks the canvas to draw every image it was asked for again when the theme changes', () => {
		const source: ImageSource = { image: () => ({ state: 'loading' }), onChange: () => () => {} };
		const images = new ThemedImages(source);
		const redrawn: string[] = [];
		const off = images.onChange((hash) => redrawn.push(hash));
		images.image('a');
		images.image('b');
		images.setDark(false);
		expect(redrawn).toEqual([]);
		images.setDark(true);
		expect(redrawn).toEqual(['a', 'b']);
		off();
		images.setDark(false);
		expect(redrawn).toEqual(['a', 'b']);
	});

	it('hands out images that are not ready as they are, in either theme', () => {
		const source: ImageSource = { image: () => ({ state: 'missing' }), onChange: () => () => {} };
		const images = new ThemedImages(source);
		images.setDark(true);
		expect(images.image('a')).toEqual({ state: 'missing' });
	});
});
