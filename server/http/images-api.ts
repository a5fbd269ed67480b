/**
 * Images over HTTP (docs/protocol.md, "Images"): upload to a board, read a board's image, and export a
 * board as a .boardwalk file. Rights come from the same `authorize` as sockets and the access API: an
 * edit right to upload, a view right to read. An image's type is found by its bytes, and it is served
 * so that no browser runs it as anything but an image.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { buildBoardwalkFile, usedImageHashes } from '../../src/lib/shared/boardwalk-file.ts';
import { imageExtension, sniffImage } from '../../src/lib/shared/image-bytes.ts';
import { IMAGE_HASH_PATTERN, MAX_IMAGE_PIXELS_SIDE, type ImageMimeType } from '../../src/lib/shared/model/index.ts';
import { EXPORT_PATH_PREFIX, isValidRoomName } from '../../src/lib/shared/wire.ts';
import type { AccessRequest, Authorizer, Grant } from '../auth/authorize.ts';
import { RateLimitedError, retryAfterSeconds, type Limits } from '../limits/limits.ts';
import { KeyedTokenBuckets } from '../limits/token-bucket.ts';
import type { Logger } from '../log.ts';
import { ShuttingDownError, type RoomRegistry } from '../rooms/registry.ts';
import type { ImageStorage, StoredImage } from '../storage/types.ts';

export interface ImagesApiDeps {
	auth: Pick<Authorizer, 'authorize'>;
	storage: ImageStorage;
	/** Loads boards for an export (RoomRegistry.shapes). */
	registry: Pick<RoomRegistry, 'shapes'>;
	limits: Pick<Limits, 'maxImageBytes' | 'maxBoardImageBytes' | 'imageUploadsPerMinute'>;
	/** The request's `AccessRequest` (address behind TRUST_PROXY), as the app builds it. */
	requestOf(c: Context): AccessRequest;
	log: Logger;
}

/** How a stored image is served: cached for good (its address is its hash), never sniffed, never run. */
export function imageHeaders(hash: string, mime: ImageMimeType): Record<string, string> {
	return {
		'Content-Type': mime,
		'Cache-Control': 'private, max-age=31536000, immutable',
		'X-Content-Type-Options': 'nosniff',
		'Content-Security-Policy': "default-src 'none'; sandbox",
		'Content-Disposition': `inline; filename="${hash}.${imageExtension(mime)}"`,
		ETag: `"${hash}"`
	};
}

type ErrorStatus = 400 | 403 | 404 | 413 | 415 | 422 | 429 | 503;

const fail = (c: Context, status: ErrorStatus, error: string, message: string, headers: Record<string, string> = {}) =>
	c.json({ error, message }, status, headers);

/** A size for a person: bytes, KiB or MiB, one decimal at most. */
function sizeText(bytes: number): string {
	const [value, unit] = bytes < 1024 ? [bytes, 'bytes'] : bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB'];
	return `${Math.round(value * 10) / 10} ${unit}`;
}

/** The request body, reading no more than `max` bytes: 'too-large' as soon as it passes them (or says it will). */
async function readCapped(request: Request, max: number): Promise<Uint8Array | 'too-large'> {
	const declared = Number(request.headers.get('content-length') ?? Number.NaN);
	if (declared > max) return 'too-large';
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > max) {
			// Not cancelled: that would destroy the socket before the answer is written. The answer closes the connection.
			reader.releaseLock();
			return 'too-large';
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(total);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

/** Decides for `board`: the grant, or the refusal as the JSON response (as the access API's grantOf). */
async function grantOf(deps: ImagesApiDeps, c: Context, board: string): Promise<{ grant: Grant } | { response: Response }> {
	const decision = await deps.auth.authorize(deps.requestOf(c), board);
	if ('grant' in decision) return decision;
	const { refused } = decision;
	return { response: c.json({ error: refused.error, message: refused.message }, refused.status) };
}

/** Routes under `/api/boards`: `POST /:board/images` and `GET /:board/images/:hash`. */
export function imagesApi(deps: ImagesApiDeps): Hono {
	const { storage, limits, log } = deps;
	const uploads = new KeyedTokenBuckets(limits.imageUploadsPerMinute / 60, limits.imageUploadsPerMinute);
	const api = new Hono();

	api.use('/:board/images/*', async (c, next) => {
		if (!isValidRoomName(c.req.param('board') ?? '')) return fail(c, 400, 'bad-board', 'Board names are 1 to 64 characters from A-Z, a-z, 0-9, _ and -.');
		await next();
	});
	api.onError((error, c) => {
		log.error({ err: error, path: c.req.path }, 'image request failed');
		return fail(c, 503, 'unavailable', 'Images cannot be stored or read right now: try again shortly.');
	});

	api.post('/:board/images', async (c) => {
		const board = c.req.param('board');
		const decided = await grantOf(deps, c, board);
		if ('response' in decided) return decided.response;
		if (decided.grant.access !== 'edit') return fail(c, 403, 'edit-required', 'Only editors can add images to this board.');
		const waitMs = uploads.take(decided.grant.remoteAddress ?? 'unknown');
		if (waitMs > 0) {
			return fail(c, 429, 'too-many-uploads', 'Too many images were uploaded from your address: wait a moment and try again.', {
				'Retry-After': retryAfterSeconds(waitMs)
			});
		}
		const bytes = await readCapped(c.req.raw, limits.maxImageBytes);
		if (bytes === 'too-large') {
			// The rest of the body is not read: the connection closes after this answer.
			return fail(c, 413, 'image-too-large', `This image is larger than ${sizeText(limits.maxImageBytes)}: make it smaller and try again.`, {
				Connection: 'close'
			});
		}
		if (bytes.byteLength === 0) return fail(c, 400, 'empty', 'The file is empty.');
		const sniffed = sniffImage(bytes);
		if (!sniffed) return fail(c, 415, 'unsupported-type', 'Only PNG, JPEG, GIF and WebP images can be added: this file is none of them.');
		const { mime, width, height } = sniffed;
		if (width < 1 || height < 1 || width > MAX_IMAGE_PIXELS_SIDE || height > MAX_IMAGE_PIXELS_SIDE) {
			return fail(c, 422, 'bad-dimensions', `This image is ${width}×${height} pixels; images may be 1 to ${MAX_IMAGE_PIXELS_SIDE} pixels a side.`);
		}
		const hash = createHash('sha256').update(bytes).digest('hex');
		const used = await storage.boardImageBytes(board);
		if (used + bytes.byteLength > limits.maxBoardImageBytes && (await storage.getImage(board, hash)) === null) {
			return fail(c, 413, 'board-images-full', `This board already holds ${sizeText(used)} of images, its limit is ${sizeText(limits.maxBoardImageBytes)}: no more can be added.`);
		}
		const image: StoredImage = { mime, bytes };
		const stored = await storage.putImage(board, hash, image, Date.now());
		return c.json({ hash, mime, width, height, bytes: bytes.byteLength }, stored === 'created' ? 201 : 200);
	});

	api.get('/:board/images/:hash', async (c) => {
		const board = c.req.param('board');
		const hash = c.req.param('hash');
		const decided = await grantOf(deps, c, board);
		if ('response' in decided) return decided.response;
		const image = IMAGE_HASH_PATTERN.test(hash) ? await storage.getImage(board, hash) : null;
		if (!image) return fail(c, 404, 'not-found', 'This board has no such image.');
		const headers = imageHeaders(hash, image.mime);
		if (c.req.header('if-none-match') === headers.ETag) return c.body(null, 304, headers);
		return c.body(image.bytes as Uint8Array<ArrayBuffer>, 200, headers);
	});

	return api;
}

/** `GET /export/<board>.boardwalk` (view right): the board's stored shapes and their images as a .boardwalk file. */
export function exportRoute(deps: ImagesApiDeps): Hono {
	const route = new Hono();
	route.get('/*', async (c) => {
		const file = c.req.path.slice(EXPORT_PATH_PREFIX.length);
		let board = '';
		try {
			board = decodeURIComponent(file.replace(/\.boardwalk$/, ''));
		} catch {
			// an invalid name, refused below
		}
		if (!file.endsWith('.boardwalk') || !isValidRoomName(board)) {
			return fail(c, 400, 'bad-board', 'Export a board as /export/<board>.boardwalk; board names are 1 to 64 characters from A-Z, a-z, 0-9, _ and -.');
		}
		const decided = await grantOf(deps, c, board);
		if ('response' in decided) return decided.response;
		let shapes;
		try {
			shapes = await deps.registry.shapes(board, decided.grant.remoteAddress);
		} catch (error) {
			if (error instanceof RateLimitedError) {
				return fail(c, 429, 'too-many-boards', 'Too many new boards from your address.', { 'Retry-After': retryAfterSeconds(error.retryAfterMs) });
			}
			if (!(error instanceof ShuttingDownError)) deps.log.error({ err: error, room: board }, 'export failed');
			return fail(c, 503, 'unavailable', 'The board could not be loaded: try again shortly.');
		}
		if (shapes === null) return fail(c, 503, 'busy', 'The board is changing too fast to export: try again shortly.', { 'Retry-After': '1' });
		const images = new Map<string, { mime: ImageMimeType; bytes: Uint8Array }>();
		for (const hash of usedImageHashes(shapes)) {
			const image = await deps.storage.getImage(board, hash);
			if (image) images.set(hash, image);
		}
		const body = JSON.stringify(buildBoardwalkFile({ shapes, images }));
		return c.body(body, 200, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${board}.boardwalk"`,
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff'
		});
	});
	return route;
}
