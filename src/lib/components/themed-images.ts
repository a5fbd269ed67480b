/**
 * Images in the dark theme. The dark canvas is the light drawing through one CSS filter (CANVAS_DARK_FILTER,
 * on CanvasHost's stage), as Excalidraw does: every shape, the overview, a version on show and others'
 * selections turn dark alike while the stored colours stay as they are. A photo must not be inverted, so
 * in the dark theme the canvas gets each image through the filter that undoes the stage's: the two
 * together leave the picture as it is (within 1 % for most colours; light saturated ones, which the hue
 * rotation clips half-way, within a few %).
 */
import type { ImageSource, ImageState } from '$lib/canvas/images';
import { THEME_ATTRIBUTE } from '$lib/components/theme';

/** The stage's filter in the dark theme (theme.css's --bw-canvas-filter says the same). */
export const CANVAS_DARK_FILTER = 'invert(100%) hue-rotate(180deg)';
/** Its inverse: the stage maps x to H(1 − x) (H: the hue rotation, H·H = 1, greys unchanged); this maps x to 1 − H(x). */
export const IMAGE_COUNTER_FILTER = 'hue-rotate(180deg) invert(100%)';

function sizeOf(image: CanvasImageSource): { width: number; height: number } {
	if (image instanceof HTMLImageElement) return { width: image.naturalWidth, height: image.naturalHeight };
	if (image instanceof HTMLVideoElement) return { width: image.videoWidth, height: image.videoHeight };
	if (image instanceof SVGImageElement) return { width: image.width.baseVal.value, height: image.height.baseVal.value };
	if ('displayWidth' in image) return { width: image.displayWidth, height: image.displayHeight };
	return { width: image.width, height: image.height };
}

/** An ImageSource that, in the dark theme, hands out counter-filtered copies of the source's images. */
export class ThemedImages implements ImageSource {
	#dark = false;
	readonly #copies = new WeakMap<object, CanvasImageSource>();
	readonly #asked = new Set<string>();
	readonly #listeners = new Set<(hash: string) => void>();

	constructor(private readonly source: ImageSource) {}

	image(hash: string): ImageState {
		this.#asked.add(hash);
		const state = this.source.image(hash);
		if (!this.#dark || state.state !== 'ready') return state;
		return { state: 'ready', image: this.#counter(state.image) };
	}

	onChange(listener: (hash: string) => void): () => void {
		this.#listeners.add(listener);
		const off = this.source.onChange(listener);
		return () => {
			this.#listeners.delete(listener);
			off();
		};
	}

	/** Follows <html data-theme> until the returned function is called. */
	follow(root: HTMLElement = document.documentElement): () => void {
		const read = () => this.setDark(root.getAttribute(THEME_ATTRIBUTE) === 'dark');
		read();
		const observer = new MutationObserver(read);
		observer.observe(root, { attributeFilter: [THEME_ATTRIBUTE] });
		return () => observer.disconnect();
	}

	setDark(dark: boolean): void {
		if (dark === this.#dark) return;
		this.#dark = dark;
		// Every image drawn so far is drawn again, in the other form.
		for (const hash of this.#asked) for (const listener of this.#listeners) listener(hash);
	}

	#counter(image: CanvasImageSource): CanvasImageSource {
		const known = this.#copies.get(image);
		if (known) return known;
		const { width, height } = sizeOf(image);
		const copy = document.createElement('canvas');
		copy.width = Math.max(1, width);
		copy.height = Math.max(1, height);
		const ctx = copy.getContext('2d');
		// Without canvas filters (older Safari) the picture is left as it is: shown inverted rather than not at all.
		if (!ctx || !('filter' in ctx)) return image;
		ctx.filter = IMAGE_COUNTER_FILTER;
		ctx.drawImage(image, 0, 0, copy.width, copy.height);
		this.#copies.set(image, copy);
		return copy;
	}
}
