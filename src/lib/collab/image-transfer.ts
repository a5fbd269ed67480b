/**
 * Image bytes to and from the board's image API (docs/protocol.md, "Images"), for export and import:
 * `GET /api/boards/:board/images/:hash` and `POST /api/boards/:board/images`, with the page's token.
 * `BoardImageStore` is what export and import need of a board's images; `session.images` provides the
 * same calls once images are loaded and uploaded by the session.
 */
import { API_BOARDS_PREFIX } from '$lib/collab/access';

/** What export and import ask of a board's images. */
export interface BoardImageStore {
	/** The image's bytes, or null when the board does not have them (yet). */
	bytes(hash: string): Promise<Blob | null>;
	/** Stores the bytes for this board; resolves to their hash, or rejects with a readable message. */
	upload(bytes: Blob): Promise<{ hash: string }>;
}

function imagesUrl(board: string, hash?: string): string {
	const base = `${API_BOARDS_PREFIX}${encodeURIComponent(board)}/images`;
	return hash === undefined ? base : `${base}/${encodeURIComponent(hash)}`;
}

/** The image API of one board, authorised with the token `token()` returns at each call. */
export function imageApi(board: string, token: () => string | null, fetcher: typeof fetch = (...args) => fetch(...args)): BoardImageStore {
	const headers = (): Record<string, string> => {
		const t = token();
		return t ? { Authorization: `Bearer ${t}` } : {};
	};
	return {
		async bytes(hash) {
			try {
				const response = await fetcher(imagesUrl(board, hash), { headers: headers() });
				return response.ok ? await response.blob() : null;
			} catch {
				return null;
			}
		},
		async upload(bytes) {
			let response: Response;
			try {
				response = await fetcher(imagesUrl(board), { method: 'POST', headers: headers(), body: bytes });
			} catch {
				throw new Error('The server could not be reached to store an image.');
			}
			const body: unknown = await response.json().catch(() => null);
			const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
			if (!response.ok) {
				throw new Error(typeof record.message === 'string' ? record.message : `The server refused an image (HTTP ${response.status}).`);
			}
			if (typeof record.hash !== 'string') throw new Error('The server answered an image upload without its hash.');
			return { hash: record.hash };
		}
	};
}
