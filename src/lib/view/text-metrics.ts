/** Text layout constants shared by the Konva text renderer and the in-place textarea, so both wrap the same way. */

export const FONT_FAMILY =
	'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
/** Line height as a multiple of the font size. */
export const LINE_HEIGHT = 1.25;
/** Inner padding of a sticky note, in board units. */
export const STICKY_PADDING = 16;
/** Width given to a text shape before it has any content, in board units. */
export const MIN_TEXT_WIDTH = 20;
