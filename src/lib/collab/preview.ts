/**
 * The board in view as the server has it stored (GET /preview/<room>?view=…), fetched as the page
 * starts and drawn until the Yjs sync arrives: a first visit sees the board while the sync is still
 * being decoded.
 */
import { parseJsonObject, readStoredShape, type Box, type Shape } from '$lib/board';
import { PREVIEW_PATH_PREFIX } from '$lib/shared/wire';

export interface Preview {
	/** Shapes on the board. */
	total: number;
	/** Those whose bounds meet the view asked for, bottom to top. */
	shapes: Shape[];
}

/**
 * The preview's body for the shapes meeting `view` (board units), or null when there is none (an empty
 * answer, an error, no network, a link the server refuses). `token` is the page's link token, if any.
 */
export async function requestPreview(roomId: string, view: Box, fetcher: typeof fetch = fetch, token: string | null = null): Promise<string | null> {
	// Whole units, rounded outwards: the view asked for covers the view drawn.
	const x = Math.floor(view.x);
	const y = Math.floor(view.y);
	const box = [x, y, Math.ceil(view.x + view.w) - x, Math.ceil(view.y + view.h) - y].join(',');
	const auth = token === null ? '' : `&token=${encodeURIComponent(token)}`;
	try {
		const response = await fetcher(`${PREVIEW_PATH_PREFIX}${encodeURIComponent(roomId)}?view=${box}${auth}`, { cache: 'no-store' });
		// Unparsed: a returning visit that finds the board in its local copy never needs it.
		return response.status === 200 ? await response.text() : null;
	} catch {
		return null;
	}
}

/**
 * A preview body (`{"total": n, "shapes": [stored fields with id, …]}`, fields at their default left
 * out, as the doc stores them), each shape validated as the board model validates a stored shape; null
 * if the body is not a preview. Invalid entries are left out, as every reader of the board leaves them out.
 */
export function parsePreview(body: string): Preview | null {
	const parsed = parseJsonObject(body);
	if (!parsed) return null;
	const { total, shapes: entries } = parsed;
	if (!Array.isArray(entries) || typeof total !== 'number' || !Number.isInteger(total) || total < entries.length) return null;
	const shapes: Shape[] = [];
	for (const entry of entries) {
		if (typeof entry !== 'object' || entry === null || typeof (entry as { id?: unknown }).id !== 'string') continue;
		const record = entry as Record<string, unknown>;
		try {
			shapes.push(readStoredShape(record.id as string, (key) => record[key]));
		} catch {
			// Not a valid shape: left out.
		}
	}
	return { total, shapes };
}
