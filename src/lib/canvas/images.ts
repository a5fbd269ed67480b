/**
 * What the canvas needs of an image's bytes: its state by hash, and word when that changes. The canvas
 * never fetches: the components layer hands it a source (collab's `BoardImages` behind this interface).
 */

/** Where one image stands for drawing. */
export type ImageState =
	| { state: 'loading' }
	| { state: 'ready'; image: CanvasImageSource }
	/** Not on the server (yet) or not readable: drawn as a labelled placeholder, and tried again later. */
	| { state: 'missing' };

export interface ImageSource {
	/** The image's state; asking starts loading it when it is not loaded or loading. */
	image(hash: string): ImageState;
	/** Calls `listener` with the hash of each image whose state changed; returns the unsubscribe. */
	onChange(listener: (hash: string) => void): () => void;
}

/** A source that never has anything: every image stays a placeholder (tests, and the canvas before wiring). */
export const NO_IMAGES: ImageSource = {
	image: () => ({ state: 'loading' }),
	onChange: () => () => {}
};

/** What renderers may use besides the shape itself. */
export interface RenderContext {
	readonly images: ImageSource;
}
