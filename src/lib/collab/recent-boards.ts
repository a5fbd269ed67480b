/**
 * The boards this browser has opened, for the home page: kept in localStorage by the board page, most
 * recent first, bounded (MAX_RECENT_BOARDS entries, thumbnails of at most MAX_THUMBNAIL_CHARS). Every
 * entry is validated when read; anything malformed (bad JSON, a foreign link) is dropped, never shown.
 */
import { isValidRoomName } from '$lib/shared/wire';
import { MAX_TITLE_LENGTH } from '$lib/board';

export const RECENT_BOARDS_KEY = 'boardwalk:recent-boards';
export const MAX_RECENT_BOARDS = 50;
/** Largest thumbnail data URL kept, in characters (~30 KB): 50 of them stay far below localStorage's quota. */
export const MAX_THUMBNAIL_CHARS = 30_000;
const THUMBNAIL_PREFIX = /^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

export interface RecentBoard {
	id: string;
	/** The board's title when this browser last saw it; '' for none. */
	title: string;
	/** When this browser last opened the board (epoch ms). */
	openedAt: number;
	/** Where to open it: `/b/<id>` with its token fragment, so the right it was opened with comes back. */
	link: string;
	/** A small picture of the board (a data URL), or null before the first one. */
	thumbnail: string | null;
}

/** The part of `Storage` this module uses, so tests can hand it a map. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The recorded boards, most recent first: malformed entries and bad JSON are ignored. */
export function listRecentBoards(store: KeyValueStore): RecentBoard[] {
	let raw: unknown;
	try {
		raw = JSON.parse(store.getItem(RECENT_BOARDS_KEY) ?? '[]');
	} catch {
		return [];
	}
	if (!Array.isArray(raw)) return [];
	const seen = new Set<string>();
	const boards: RecentBoard[] = [];
	for (const entry of raw) {
		const board = parseEntry(entry);
		if (board && !seen.has(board.id)) {
			seen.add(board.id);
			boards.push(board);
		}
	}
	return boards.sort((a, b) => b.openedAt - a.openedAt).slice(0, MAX_RECENT_BOARDS);
}

/** Records that the board was opened now (it moves to the top), keeping its thumbnail until a new one comes. */
export function recordVisit(store: KeyValueStore, visit: { id: string; title: string; link: string; at: number }): void {
	const boards = listRecentBoards(store);
	const previous = boards.find((b) => b.id === visit.id);
	const entry = { ...visit, openedAt: visit.at, thumbnail: previous?.thumbnail ?? null };
	write(store, [entry, ...boards.filter((b) => b.id !== visit.id)]);
}

/**
 * Refreshes what is known of a board already recorded (its title, link or thumbnail) without moving it:
 * its place is when it was opened. A thumbnail over MAX_THUMBNAIL_CHARS is left out. No-op for a board
 * not recorded (removed from the list meanwhile: it stays removed until opened again).
 */
export function updateRecentBoard(store: KeyValueStore, id: string, patch: Partial<Pick<RecentBoard, 'title' | 'link' | 'thumbnail'>>): void {
	const boards = listRecentBoards(store);
	const board = boards.find((b) => b.id === id);
	if (!board) return;
	if (patch.thumbnail !== undefined && patch.thumbnail !== null && !isThumbnail(patch.thumbnail)) delete patch.thumbnail;
	const updated = parseEntry({ ...board, ...patch });
	if (updated) write(store, boards.map((b) => (b.id === id ? updated : b)));
}

/** Takes a board off the list (the board itself is untouched). */
export function forgetBoard(store: KeyValueStore, id: string): void {
	write(store, listRecentBoards(store).filter((b) => b.id !== id));
}

function write(store: KeyValueStore, boards: RecentBoard[]): void {
	let kept = boards.slice(0, MAX_RECENT_BOARDS);
	// Over the quota (other data of this origin may be large): drop the oldest thumbnails until it fits.
	for (;;) {
		try {
			store.setItem(RECENT_BOARDS_KEY, JSON.stringify(kept));
			return;
		} catch {
			const last = kept.findLastIndex((b) => b.thumbnail !== null);
			if (last < 0) return;
			kept = kept.map((b, i) => (i === last ? { ...b, thumbnail: null } : b));
		}
	}
}

function parseEntry(value: unknown): RecentBoard | null {
	if (typeof value !== 'object' || value === null) return null;
	const { id, title, openedAt, link, thumbnail } = value as Record<string, unknown>;
	if (typeof id !== 'string' || !isValidRoomName(id)) return null;
	if (typeof openedAt !== 'number' || !Number.isFinite(openedAt)) return null;
	// Only this board's own page: a tampered entry cannot send the home page anywhere else.
	if (typeof link !== 'string' || !(link === `/b/${id}` || link.startsWith(`/b/${id}#`))) return null;
	return {
		id,
		title: typeof title === 'string' ? title.slice(0, MAX_TITLE_LENGTH) : '',
		openedAt,
		link,
		thumbnail: typeof thumbnail === 'string' && isThumbnail(thumbnail) ? thumbnail : null
	};
}

function isThumbnail(value: string): boolean {
	return value.length <= MAX_THUMBNAIL_CHARS && THUMBNAIL_PREFIX.test(value);
}
