/**
 * Version history over HTTP (docs/protocol.md, "History"): list a board's versions, read one, store one
 * now (named, or before a restore, import or deletion), name or delete one, and let viewers browse.
 * Rights come from the same `authorize` as sockets and the other APIs: editors always; viewers read
 * only when the board's access record allows it (historyForViewers); every write needs the edit right.
 */
import { Hono, type Context } from 'hono';
import { MAX_VERSION_NAME_LENGTH, VERSION_REASONS, type VersionContent, type VersionReason } from '../../src/lib/shared/history.ts';
import { isValidRoomName } from '../../src/lib/shared/wire.ts';
import type { AccessRecords } from '../auth/access.ts';
import type { AccessRequest, Authorizer, Grant } from '../auth/authorize.ts';
import { decodeVersionContent } from '../history/content.ts';
import { RateLimitedError, retryAfterSeconds } from '../limits/limits.ts';
import type { Logger } from '../log.ts';
import { ShuttingDownError, type RoomRegistry } from '../rooms/registry.ts';
import type { VersionStorage } from '../storage/types.ts';

export interface HistoryApiDeps {
	auth: Pick<Authorizer, 'authorize'>;
	/** The boards' access records (historyForViewers), through their cache. */
	access: Pick<AccessRecords, 'get' | 'setHistoryForViewers'>;
	storage: VersionStorage;
	/** Stores versions from the loaded board (RoomRegistry.recordVersion). */
	registry: Pick<RoomRegistry, 'recordVersion'>;
	/** The request's `AccessRequest` (address behind TRUST_PROXY), as the app builds it. */
	requestOf(c: Context): AccessRequest;
	log: Logger;
}

type ErrorStatus = 400 | 403 | 404 | 409 | 429 | 503;

const fail = (c: Context, status: ErrorStatus, error: string, message: string, headers: Record<string, string> = {}) =>
	c.json({ error, message }, status, headers);

/** Version ids are url-safe (server/history/recorder.ts); anything else names no version. */
const VERSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The request's JSON object body, or null when it is none. */
async function jsonBody(c: Context): Promise<Record<string, unknown> | null> {
	try {
		const body: unknown = await c.req.json();
		return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

/** A version name as given: trimmed, 1 to MAX_VERSION_NAME_LENGTH characters; `null` unnames; anything else is refused (undefined). */
function versionName(value: unknown): string | null | undefined {
	if (value === null) return null;
	if (typeof value !== 'string') return undefined;
	const name = value.trim();
	return name.length > 0 && name.length <= MAX_VERSION_NAME_LENGTH ? name : undefined;
}

/** Routes under `/api/boards`: `/:board/versions[/:id]` and `/:board/history-access`. */
export function historyApi(deps: HistoryApiDeps): Hono {
	const { storage, access, log } = deps;
	const api = new Hono();

	const checkBoard = async (c: Context, next: () => Promise<void>) => {
		if (!isValidRoomName(c.req.param('board') ?? '')) return fail(c, 400, 'bad-board', 'Board names are 1 to 64 characters from A-Z, a-z, 0-9, _ and -.');
		await next();
	};
	api.use('/:board/versions', checkBoard);
	api.use('/:board/versions/*', checkBoard);
	api.use('/:board/history-access', checkBoard);

	/** The grant, or the refusal (as the access API's): `read` lets viewers through when the board allows it. */
	const grantFor = async (c: Context, board: string, need: 'read' | 'edit'): Promise<{ grant: Grant } | { response: Response }> => {
		const decision = await deps.auth.authorize(deps.requestOf(c), board);
		if (!('grant' in decision)) return { response: fail(c, decision.refused.status as ErrorStatus, decision.refused.error, decision.refused.message) };
		if (decision.grant.access === 'edit') return decision;
		if (need === 'edit') return { response: fail(c, 403, 'edit-required', 'Only editors can change the board\'s history.') };
		if ((await access.get(board))?.historyForViewers) return decision;
		return { response: fail(c, 403, 'history-hidden', 'The board\'s editors have not shared its history with viewers.') };
	};

	api.get('/:board/versions', async (c) => {
		const board = c.req.param('board');
		const decided = await grantFor(c, board, 'read');
		if ('response' in decided) return decided.response;
		// Whether viewers may browse it too, so an editor's panel shows the setting as it is.
		const historyForViewers = (await access.get(board))?.historyForViewers ?? false;
		return c.json({ versions: await storage.listVersions(board), historyForViewers }, 200, { 'Cache-Control': 'no-store' });
	});

	api.get('/:board/versions/:id', async (c) => {
		const board = c.req.param('board');
		const id = c.req.param('id');
		const decided = await grantFor(c, board, 'read');
		if ('response' in decided) return decided.response;
		const stored = VERSION_ID_PATTERN.test(id) ? await storage.getVersion(board, id) : null;
		if (stored === null) return fail(c, 404, 'no-version', 'The board has no such version (it may have been thinned out or deleted).');
		let content: VersionContent;
		try {
			content = { info: stored.info, shapes: decodeVersionContent(stored.content) };
		} catch (error) {
			log.error({ err: error, room: board, version: id }, 'a stored version cannot be read');
			return fail(c, 503, 'unreadable', 'This version cannot be read.');
		}
		// A version's content never changes (a rename changes only its info, which the list gives).
		return c.json(content, 200, { 'Cache-Control': 'private, max-age=31536000, immutable' });
	});

	api.post('/:board/versions', async (c) => {
		const board = c.req.param('board');
		const decided = await grantFor(c, board, 'edit');
		if ('response' in decided) return decided.response;
		const body = (await jsonBody(c)) ?? {};
		const name = body.name === undefined ? null : versionName(body.name);
		const reason = body.reason;
		if (name === undefined) return fail(c, 400, 'bad-name', `A version's name is 1 to ${MAX_VERSION_NAME_LENGTH} characters.`);
		if (reason !== undefined && !(VERSION_REASONS as readonly unknown[]).includes(reason)) {
			return fail(c, 400, 'bad-reason', `reason is one of ${VERSION_REASONS.join(', ')}.`);
		}
		const kind = name !== null ? 'named' : ((reason as VersionReason | undefined) ?? 'named');
		let info;
		try {
			info = await deps.registry.recordVersion(board, kind, name, decided.grant.remoteAddress);
		} catch (error) {
			if (error instanceof RateLimitedError) {
				return fail(c, 429, 'too-many-boards', 'Too many new boards from your address.', { 'Retry-After': retryAfterSeconds(error.retryAfterMs) });
			}
			if (!(error instanceof ShuttingDownError)) log.error({ err: error, room: board }, 'storing a version failed');
			return fail(c, 503, 'unavailable', 'The version could not be stored: try again shortly.');
		}
		if (info === null) return fail(c, 503, 'busy', 'The board is changing too fast to store a version: try again shortly.', { 'Retry-After': '1' });
		return c.json(info, 201);
	});

	api.patch('/:board/versions/:id', async (c) => {
		const board = c.req.param('board');
		const decided = await grantFor(c, board, 'edit');
		if ('response' in decided) return decided.response;
		const name = versionName((await jsonBody(c))?.name);
		if (name === undefined) return fail(c, 400, 'bad-name', `Send {"name": "…"} (1 to ${MAX_VERSION_NAME_LENGTH} characters) or {"name": null}.`);
		const id = c.req.param('id');
		const info = VERSION_ID_PATTERN.test(id) ? await storage.renameVersion(board, id, name) : null;
		if (info === null) return fail(c, 404, 'no-version', 'The board has no such version.');
		return c.json(info);
	});

	api.delete('/:board/versions/:id', async (c) => {
		const board = c.req.param('board');
		const decided = await grantFor(c, board, 'edit');
		if ('response' in decided) return decided.response;
		const id = c.req.param('id');
		const info = VERSION_ID_PATTERN.test(id) ? (await storage.listVersions(board)).find((v) => v.id === id) : undefined;
		if (info === undefined) return fail(c, 404, 'no-version', 'The board has no such version.');
		if (info.name === null) return fail(c, 409, 'automatic-version', 'Only named versions can be deleted: automatic ones are thinned out by the retention rule.');
		await storage.deleteVersion(board, id);
		return c.body(null, 204);
	});

	api.post('/:board/history-access', async (c) => {
		const board = c.req.param('board');
		const decided = await grantFor(c, board, 'edit');
		if ('response' in decided) return decided.response;
		const viewers = (await jsonBody(c))?.viewers;
		if (typeof viewers !== 'boolean') return fail(c, 400, 'bad-request', 'Send {"viewers": true} or {"viewers": false}.');
		const record = await access.setHistoryForViewers(board, viewers);
		if (record === null) return fail(c, 409, 'unclaimed', 'Anyone with the address edits this board and sees its history: claim it first.');
		return c.json({ viewers: record.historyForViewers });
	});

	return api;
}
