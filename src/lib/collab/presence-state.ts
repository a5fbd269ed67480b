/**
 * The awareness (presence) state each client publishes, and the validator every peer's state
 * goes through before the UI sees it. Pure: no Svelte, no DOM; see docs/schema.md "Awareness".
 */
import type { Box, Point } from '$lib/shared/model/geometry';
import { COLOR_PATTERN, MAX_ABS_COORD, SHAPE_ID_PATTERN } from '$lib/shared/model/schema';

/** Cursor moves are droppable presence traffic: at most this often per client (~30/s). */
export const CURSOR_INTERVAL_MS = 33;
/** Viewport (pan/zoom) updates, for people following this client: at most this often. */
export const VIEWPORT_INTERVAL_MS = 50;
/** Longest name kept; longer names (from this client or a peer) are cut. */
export const MAX_NAME_LENGTH = 40;
/**
 * A selection of up to this many shapes is shared as their ids; a bigger one as one box around them all
 * (`selectionBox`), so presence stays a few KiB whatever is selected (the server refuses awareness
 * frames over MAX_AWARENESS_FRAME_BYTES, 32 KiB).
 */
export const MAX_SHARED_SELECTION_IDS = 100;
/** At most this many of a peer's selected ids are outlined (older clients shared every id). */
export const MAX_PEER_SELECTION = 5_000;
/** Longest shared caret: a Yjs relative position, base64 (a few dozen characters in practice). */
export const MAX_CARET_LENGTH = 64;
const CARET_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
/** A peer's zoom outside these is not one any client shows (wider than the camera's own bounds, which may change). */
const MIN_PEER_ZOOM = 0.01;
const MAX_PEER_ZOOM = 100;

export interface Identity {
	name: string;
	color: string;
}

/** What a peer is looking at: the board point at the centre of their view, and their zoom. */
export interface Viewport {
	x: number;
	y: number;
	zoom: number;
}

/** A selection too big to share by ids: the axis-aligned box around all of it (board units), and how many shapes it holds. */
export interface SelectionBox extends Box {
	count: number;
}

/** The whole state one client publishes. */
export interface AwarenessState {
	user: Identity;
	/** Board coordinates, or null when their pointer is off the board. */
	cursor: Point | null;
	/** Ids of the shapes they have selected, when there are at most MAX_SHARED_SELECTION_IDS; else empty. */
	selection: string[];
	/** A bigger selection: the box around it; null otherwise. */
	selectionBox: SelectionBox | null;
	/** Null until their canvas has a size. */
	viewport: Viewport | null;
	/** The shape they are typing into; null when they are not typing. */
	editing: Editing | null;
}

/**
 * The text or note someone is typing into, and their caret in it: a Yjs relative position of its
 * Y.Text (`TextBinding.encodeCaret`), so it stays on its character while others type; null before
 * they have one.
 */
export interface Editing {
	id: string;
	caret: string | null;
}

export interface Peer extends AwarenessState {
	clientId: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCoord = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_ABS_COORD;

/** A display name: one line, trimmed, at most MAX_NAME_LENGTH characters; '' if nothing is left. */
export function cleanName(name: string): string {
	return name.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH).trim();
}

export function parseIdentity(value: unknown): Identity | null {
	if (!isRecord(value) || typeof value.name !== 'string' || typeof value.color !== 'string') return null;
	const name = cleanName(value.name);
	if (!name || !COLOR_PATTERN.test(value.color)) return null;
	return { name, color: value.color };
}

function parsePoint(value: unknown): Point | null {
	if (!isRecord(value) || !isCoord(value.x) || !isCoord(value.y)) return null;
	return { x: value.x, y: value.y };
}

function parseViewport(value: unknown): Viewport | null {
	const at = parsePoint(value);
	if (!at || !isRecord(value)) return null;
	const zoom = value.zoom;
	if (typeof zoom !== 'number' || !(zoom >= MIN_PEER_ZOOM && zoom <= MAX_PEER_ZOOM)) return null;
	return { ...at, zoom };
}

function parseSelectionBox(value: unknown): SelectionBox | null {
	if (!isRecord(value) || !isCoord(value.x) || !isCoord(value.y)) return null;
	const { w, h, count } = value;
	const isSize = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 2 * MAX_ABS_COORD;
	if (!isSize(w) || !isSize(h) || typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return null;
	return { x: value.x, y: value.y, w, h, count };
}

function parseEditing(value: unknown): Editing | null {
	if (!isRecord(value) || typeof value.id !== 'string' || !SHAPE_ID_PATTERN.test(value.id)) return null;
	const caret = value.caret;
	const valid = typeof caret === 'string' && caret.length <= MAX_CARET_LENGTH && CARET_PATTERN.test(caret);
	return { id: value.id, caret: valid ? caret : null };
}

/**
 * What a client shares of its selection: the ids themselves up to MAX_SHARED_SELECTION_IDS, else
 * the box around the whole selection (`boundsOf` gives it, from the shapes still on the board) and
 * the count. Either way the shared part is bounded, whatever is selected.
 */
export function shareSelection(
	ids: readonly string[],
	boundsOf: (ids: readonly string[]) => Box | null
): Pick<AwarenessState, 'selection' | 'selectionBox'> {
	if (ids.length <= MAX_SHARED_SELECTION_IDS) return { selection: [...ids], selectionBox: null };
	const box = boundsOf(ids);
	if (!box) return { selection: [], selectionBox: null };
	// Kept where peers accept it: a stroke's padding may reach a little past the board's edge.
	const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
	const x = clamp(box.x, -MAX_ABS_COORD, MAX_ABS_COORD);
	const y = clamp(box.y, -MAX_ABS_COORD, MAX_ABS_COORD);
	const w = clamp(box.w, 0, 2 * MAX_ABS_COORD);
	const h = clamp(box.h, 0, 2 * MAX_ABS_COORD);
	return { selection: [], selectionBox: { x, y, w, h, count: ids.length } };
}

function parseSelection(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	const ids = new Set<string>();
	for (const id of value.slice(0, MAX_PEER_SELECTION)) if (typeof id === 'string' && SHAPE_ID_PATTERN.test(id)) ids.add(id);
	return [...ids];
}

/**
 * A peer's awareness state as the UI may use it, or null if it cannot be shown at all.
 * A state without a valid `user` is ignored (it is not a Boardwalk client, or it is broken);
 * any other field that is missing or malformed falls back to "nothing": no cursor, no
 * selection, no viewport. Never throws, whatever the peer sent.
 */
export function parsePeerState(clientId: number, state: unknown): Peer | null {
	try {
		if (!isRecord(state)) return null;
		const user = parseIdentity(state.user);
		if (!user) return null;
		return {
			clientId,
			user,
			cursor: parsePoint(state.cursor),
			selection: parseSelection(state.selection),
			selectionBox: parseSelectionBox(state.selectionBox),
			viewport: parseViewport(state.viewport),
			editing: parseEditing(state.editing)
		};
	} catch {
		// Only reachable through objects that did not come from JSON (getters, proxies): still not our problem to crash on.
		return null;
	}
}
