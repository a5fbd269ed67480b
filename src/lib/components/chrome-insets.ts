/**
 * Measures the fixed chrome over the canvas (the elements `selector` finds under `root`, the element the
 * canvas fills) and reports the safe area it leaves (editor/safe-area.ts), again whenever the canvas or a
 * piece of chrome changes size or a piece comes or goes (a style panel shown for a selection, the phone's
 * style sheet opened).
 */
import { chromeInsets, type Insets } from '$lib/editor/safe-area';

export function watchChrome(root: HTMLElement, selector: string, report: (insets: Insets) => void): () => void {
	const observed = new Set<Element>();
	const measure = (): void => {
		const pieces = [...root.querySelectorAll(selector)];
		for (const el of observed) {
			if (pieces.includes(el)) continue;
			resize.unobserve(el);
			observed.delete(el);
		}
		for (const el of pieces) {
			if (observed.has(el)) continue;
			resize.observe(el);
			observed.add(el);
		}
		const area = root.getBoundingClientRect();
		const boxes = pieces.map((el) => {
			const r = el.getBoundingClientRect();
			return { x: r.left - area.left, y: r.top - area.top, w: r.width, h: r.height };
		});
		report(chromeInsets(boxes, { width: area.width, height: area.height }));
	};
	const resize = new ResizeObserver(measure);
	resize.observe(root);
	// Pieces shown or hidden by their own components ({#if}, a class): measured again once the change is made,
	// at most once a frame, however many elements of the board (peers' cursors coming into view) changed.
	let frame = 0;
	const measureSoon = (): void => {
		if (frame === 0) frame = requestAnimationFrame(() => ((frame = 0), measure()));
	};
	const mutation = new MutationObserver(measureSoon);
	mutation.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
	measure();
	return () => {
		cancelAnimationFrame(frame);
		resize.disconnect();
		mutation.disconnect();
	};
}
