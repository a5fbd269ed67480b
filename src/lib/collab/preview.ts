/**
 * The board as the server has it stored (GET /preview/<room>), fetched as the page starts and drawn
 * until the Yjs sync arrives: a first visit sees the board while the sync is still being decoded.
 */
import { readStoredShape, type Shape } from '../board/index.ts';
import { PREVIEW_PATH_PREFIX } from './protocol.ts';

/** The preview's body, or null when there is none (an empty answer, an error, no network). */
export async function requestPreview(roomId: string, fetcher: typeof fetch = fetch): Promise<string | null> {
	try {
		const response = await fetcher(`${PREVIEW_PATH_PREFIX}${encodeURIComponent(roomId)}`, { cache: 'no-store' });
		// Unparsed: a returning visit that finds the board in its local copy never needs it.
		return response.status === 200 ? await response.text() : null;
	} catch {
		return null;
	}
}

/**
 * The shapes of a preview body (`{"shapes": [stored fields with id, …]}`, fields at their default left
 * out, as the doc stores them), each validated as the board model validates a stored shape; null if
 * the body is not a preview. Invalid entries are left out, as every reader of the board leaves them out.
 */
export function parsePreview(body: string): Shape[] | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return null;
	}
	const entries = typeof parsed === 'object' && parsed !== null ? (parsed as { shapes?: unknown }).shapes : undefined;
	if (!Array.isArray(entries)) return null;
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
	return shapes;
}
