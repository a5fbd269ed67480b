/** The one place that decides who may open a board: every socket upgrade and every preview asks `authorize` first. */

/** What a grant allows. Only `edit` exists today; the next issue adds `view` and its check in Room's dispatch. */
export type Access = 'edit';

/** What `authorize` may look at: the request that asks for a board, and where it came from. */
export interface AccessRequest {
	/** The request's headers (Origin, cookies, Authorization, …). */
	headers: Headers;
	/** The full request URL (a token in the query, say). */
	url: string;
	/** The peer's address as the socket sees it (a proxy's, behind one). */
	remoteAddress: string | null;
}

/**
 * The decision for one connection, made before the upgrade and carried on its Connection for its
 * whole life: what it may do, and enough about who asked to log it or check it again later.
 * Kept small on purpose: every idle connection holds one.
 */
export interface Grant {
	readonly board: string;
	readonly access: Access;
	readonly remoteAddress: string | null;
	/** The page's origin for browser requests (absent for other clients). */
	readonly origin: string | null;
}

export type Decision = { grant: Grant } | { refused: { status: 401 | 403 | 404; message: string } };

/**
 * Today the board id is the secret (src/lib/board/ids.ts: whoever has the link may edit), so every request
 * gets `edit`. A refusal becomes an HTTP status before any upgrade.
 */
export async function authorize(request: AccessRequest, board: string): Promise<Decision> {
	return {
		grant: {
			board,
			access: 'edit',
			remoteAddress: request.remoteAddress,
			origin: request.headers.get('origin')
		}
	};
}
