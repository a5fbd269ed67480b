// The safe area (the canvas less the chrome over it) and the camera follow's decision within it.
import { describe, expect, it } from 'vitest';
import { NO_INSETS, chromeInsets, revealPan } from '$lib/editor/safe-area';

/** A phone (390×844): a top row, a column of buttons at the right edge, the dock, the zoom row above it. */
const PHONE = { width: 390, height: 844 };

describe('chromeInsets', () => {
	it('counts each piece against the edge it covers least', () => {
		const insets = chromeInsets(
			[
				{ x: 8, y: 8, w: 374, h: 44 }, // top row
				{ x: 338, y: 60, w: 44, h: 144 }, // buttons down the right edge
				{ x: 8, y: 782, w: 320, h: 54 }, // dock
				{ x: 8, y: 730, w: 140, h: 44 } // zoom row above it
			],
			PHONE
		);
		expect(insets).toEqual({ top: 52, right: 52, bottom: 114, left: 0 });
	});

	it('puts a desktop side panel on its side and a phone sheet at the bottom', () => {
		expect(chromeInsets([{ x: 12, y: 72, w: 220, h: 420 }], { width: 1280, height: 800 })).toEqual({ ...NO_INSETS, left: 232 });
		expect(chromeInsets([{ x: 8, y: 380, w: 374, h: 380 }], PHONE)).toEqual({ ...NO_INSETS, bottom: 464 });
	});

	it('ignores hidden and off-canvas pieces, and never covers a whole axis', () => {
		expect(chromeInsets([{ x: 0, y: 0, w: 0, h: 0 }, { x: 500, y: 100, w: 50, h: 50 }], PHONE)).toEqual(NO_INSETS);
		expect(chromeInsets([{ x: 0, y: 0, w: 390, h: 500 }, { x: 0, y: 400, w: 390, h: 444 }], PHONE)).toEqual(NO_INSETS);
	});
});

describe('revealPan', () => {
	const insets = { top: 100, right: 50, bottom: 120, left: 0 };

	it('leaves a shape wholly inside the safe area where it is', () => {
		expect(revealPan({ x: 30, y: 130, w: 100, h: 100 }, PHONE, insets, 24)).toBeNull();
	});

	it('centres a shape under the chrome within the safe area, not the window', () => {
		// Under the dock, though inside the window.
		const pan = revealPan({ x: 100, y: 740, w: 100, h: 60 }, PHONE, insets, 24);
		expect(pan).toEqual({ dx: 170 - 150, dy: 412 - 770 });
		// Without insets, the old rule: anything inside the window's margin stays.
		expect(revealPan({ x: 100, y: 740, w: 100, h: 60 }, PHONE, NO_INSETS, 24)).toBeNull();
	});
});
