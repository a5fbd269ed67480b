/** The access API: claim a board, ask what a token allows (with the links to share), reset a link (docs/protocol.md, "Access"). */
import { Hono, type Context } from 'hono';
import { CloseCode, isValidRoomName } from '../../src/lib/shared/wire.ts';
import type { Access, AccessRequest, Authorizer, Grant, Refusal } from '../auth/authorize.ts';
import { linkToken } from '../auth/link-tokens.ts';
import { requestOrigin } from '../auth/origin.ts';
import type { SocketServer } from '../sockets/server.ts';

export interface AccessApiDeps {
	auth: Authorizer;
	sockets: Pick<SocketServer, 'closeWhere'>;
	/** The request's `AccessRequest` (address behind TRUST_PROXY), as the app builds it. */
	requestOf(c: Context): AccessRequest;
	/** ORIGIN as the operator set it; null: links carry the origin each request was made to. */
	publicOrigin: string | null;
	trustProxy: number;
}

type Links = { edit?: string; view?: string };

const refusal = (c: Context, refused: Refusal) => c.json({ error: refused.error, message: refused.message }, refused.status);

/** Routes under `/api/boards`. */
export function accessApi(deps: AccessApiDeps): Hono {
	const { auth, sockets } = deps;
	const { access, secret, mode, origins } = auth.options;
	const api = new Hono();

	const linkFor = (c: Context, board: string, right: Access, generation: number) => {
		const origin = deps.publicOrigin ?? requestOrigin(deps.requestOf(c), deps.trustProxy);
		return `${origin}/b/${board}#t=${linkToken(secret, board, right, generation)}`;
	};
	const bothLinks = (c: Context, board: string, record: { editGeneration: number; viewGeneration: number }): Required<Links> => ({
		edit: linkFor(c, board, 'edit', record.editGeneration),
		view: linkFor(c, board, 'view', record.viewGeneration)
	});

	// The board name is checked once for every route.
	api.use('/:board/*', async (c, next) => {
		if (!isValidRoomName(c.req.param('board') ?? '')) return c.json({ error: 'bad-board', message: 'Board names are 1 to 64 characters from A-Z, a-z, 0-9, _ and -.' }, 400);
		await next();
	});

	/** Refused, or the grant of the request's token (none: unclaimed boards only). */
	const grantOf = async (c: Context, board: string): Promise<{ grant: Grant } | { response: Response }> => {
		const decision = await auth.authorize(deps.requestOf(c), board);
		return 'refused' in decision ? { response: refusal(c, decision.refused) } : decision;
	};

	api.post('/:board/claim', async (c) => {
		const board = c.req.param('board');
		if (!origins.allows(deps.requestOf(c))) return c.json({ error: 'origin-refused', message: 'Pages of this origin may not claim boards here.' }, 403);
		if (mode === 'jwt') return c.json({ error: 'links-disabled', message: 'Links are turned off on this server (AUTH=jwt).' }, 403);
		const record = await access.claim(board);
		if (record === null) return c.json({ error: 'claimed', message: 'This board already has links: ask someone who has one.' }, 409);
		// Sockets that came in without a token while the board was open to all must now show a link.
		sockets.closeWhere((grant) => grant.board === board && grant.tokenKind === 'open', CloseCode.LinkRevoked, 'link required');
		const links = bothLinks(c, board, record);
		return c.json({ access: 'edit', token: linkToken(secret, board, 'edit', record.editGeneration), links }, 201);
	});

	api.get('/:board/access', async (c) => {
		const board = c.req.param('board');
		const decided = await grantOf(c, board);
		if ('response' in decided) return decided.response;
		const { grant } = decided;
		const record = await access.get(board);
		let links: Links = {};
		// Link holders see the links their right may share; a host application manages its own (JWT).
		if (grant.tokenKind === 'link' && record) {
			links = grant.access === 'edit' ? bothLinks(c, board, record) : { view: linkFor(c, board, 'view', record.viewGeneration) };
		}
		return c.json({
			access: grant.access,
			claimed: record !== null,
			...(grant.name !== undefined && { name: grant.name }),
			...(grant.color !== undefined && { color: grant.color }),
			...(grant.expiresAt !== undefined && { expiresAt: grant.expiresAt }),
			links
		});
	});

	api.post('/:board/links/reset', async (c) => {
		const board = c.req.param('board');
		const decided = await grantOf(c, board);
		if ('response' in decided) return decided.response;
		const { grant } = decided;
		if (grant.access !== 'edit') return c.json({ error: 'edit-required', message: 'Only editors can reset links.' }, 403);
		let right: unknown;
		try {
			right = ((await c.req.json()) as { right?: unknown }).right;
		} catch {
			right = undefined;
		}
		if (right !== 'edit' && right !== 'view') return c.json({ error: 'bad-request', message: 'Send {"right":"edit"} or {"right":"view"}.' }, 400);
		const record = await access.reset(board, right);
		if (record === null) return c.json({ error: 'unclaimed', message: 'This board has no links to reset yet: claim it first.' }, 409);
		// Every socket opened with the old link goes now; the records in memory already say it is old.
		sockets.closeWhere((open) => open.board === board && auth.revokedReason(open) === 'link reset', CloseCode.LinkRevoked, 'link reset');
		const token = right === 'edit' && grant.tokenKind === 'link' ? { token: linkToken(secret, board, 'edit', record.editGeneration) } : {};
		return c.json({ ...token, links: bothLinks(c, board, record) });
	});

	return api;
}
