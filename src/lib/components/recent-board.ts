/**
 * Keeps this board's entry in the recent-boards list (src/lib/collab/recent-boards.ts) while its page is
 * open: recorded on opening, its title and link (the token arrives after the page opened) kept current,
 * and its thumbnail refreshed when the page is left or hidden and every THUMBNAIL_REFRESH_MS while it changes.
 */
import { on } from 'svelte/events';
import { MAX_THUMBNAIL_CHARS, recordVisit, updateRecentBoard, type RecentBoard } from '$lib/collab/recent-boards';

export const THUMBNAIL_REFRESH_MS = 30_000;
/** Thumbnail box, CSS px: twice the home page's card, for sharp cards on high-DPI screens. */
export const THUMBNAIL_WIDTH_PX = 320;
export const THUMBNAIL_HEIGHT_PX = 200;

export interface RecentBoardDeps {
	id: string;
	title: () => string;
	/** A thumbnail of the board as shown, or null when there is none yet (no canvas). */
	thumbnail: (maxWidth: number, maxHeight: number, maxChars: number) => string | null;
	/** A number that changes whenever the board does (the editor's doc version). */
	version: () => number;
}

/** localStorage, or null where it is unavailable (storage disabled, a sandboxed frame): the list is a convenience. */
function store(): Storage | null {
	try {
		return window.localStorage;
	} catch {
		return null;
	}
}

const currentLink = () => location.pathname + location.hash;

export class RecentBoardRecorder {
	readonly #deps: RecentBoardDeps;
	#drawnVersion = -1;

	constructor(deps: RecentBoardDeps) {
		this.#deps = deps;
	}

	/** Records the visit and starts refreshing; returns the function that stops (taking a last thumbnail). */
	start(): () => void {
		const s = store();
		if (s) recordVisit(s, { id: this.#deps.id, title: this.#deps.title(), link: currentLink(), at: Date.now() });
		const timer = setInterval(() => this.#refreshThumbnail(false), THUMBNAIL_REFRESH_MS);
		const offHide = on(window, 'pagehide', () => this.#refreshThumbnail(true));
		const offVisibility = on(document, 'visibilitychange', () => {
			if (document.visibilityState === 'hidden') this.#refreshThumbnail(true);
		});
		return () => {
			clearInterval(timer);
			offHide();
			offVisibility();
			this.snapshot();
		};
	}

	/** The title or the link changed. */
	update(patch: Partial<Pick<RecentBoard, 'thumbnail'>> = {}): void {
		const s = store();
		if (s) updateRecentBoard(s, this.#deps.id, { title: this.#deps.title(), link: currentLink(), ...patch });
	}

	/** Takes a thumbnail now (the page is about to be left). */
	snapshot(): void {
		this.#refreshThumbnail(true);
	}

	#refreshThumbnail(force: boolean): void {
		const version = this.#deps.version();
		if (!force && version === this.#drawnVersion) return;
		const thumbnail = this.#deps.thumbnail(THUMBNAIL_WIDTH_PX, THUMBNAIL_HEIGHT_PX, MAX_THUMBNAIL_CHARS);
		if (thumbnail === null) return;
		this.#drawnVersion = version;
		this.update({ thumbnail });
	}
}
