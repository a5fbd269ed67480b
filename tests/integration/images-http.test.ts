// Images over HTTP against a real server: each accepted type uploads (201, then 200), is served with caching and
// security headers to its board only, and every limit answers with its status and a readable message.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/shared/image-bytes.ts';
import {
	GIF_1X1,
	JPEG_1X1,
	PNG_1X1,
	WEBP_EXTENDED_1X1,
	WEBP_LOSSLESS_1X1,
	WEBP_LOSSY_1X1,
	concat,
	gifOfSize,
	pngOfSize
} from '../../src/lib/shared/image-fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
afterEach(async () => {
	await server?.stop();
});

const text = (s: string) => new TextEncoder().encode(s);

function upload(board: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${server.url}/api/boards/${board}/images`, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/octet-stream', ...headers } });
}

const read = (board: string, hash: string, headers: Record<string, string> = {}) => fetch(`${server.url}/api/boards/${board}/images/${hash}`, { headers });

async function claim(board: string): Promise<{ edit: string; view: string }> {
	const response = await fetch(`${server.url}/api/boards/${board}/claim`, { method: 'POST' });
	expect(response.status).toBe(201);
	const { links } = (await response.json()) as { links: { edit: string; view: string } };
	const token = (link: string) => new URL(link).hash.slice('#t='.length);
	return { edit: token(links.edit), view: token(links.view) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('uploading and reading images', () => {
	it('accepts PNG, JPEG, GIF and WebP by their bytes, answers what it stored, and serves them back with their sniffed type', async () => {
		server = await startTestServer();
		const files = [
			[PNG_1X1, 'image/png'],
			[JPEG_1X1, 'image/jpeg'],
			[GIF_1X1, 'image/gif'],
			[WEBP_LOSSY_1X1, 'image/webp'],
			[WEBP_LOSSLESS_1X1, 'image/webp'],
			[WEBP_EXTENDED_1X1, 'image/webp']
		] as const;
		for (const [bytes, mime] of files) {
			// The claimed type is ignored: only the bytes count.
			const response = await upload('imgs', bytes, { 'content-type': 'text/plain' });
			expect(response.status).toBe(201);
			const hash = await sha256Hex(bytes);
			expect(await response.json()).toEqual({ hash, mime, width: 1, height: 1, bytes: bytes.byteLength });
			const served = await read('imgs', hash);
			expect(served.status).toBe(200);
			expect(served.headers.get('content-type')).toBe(mime);
			expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
		}
	});

	it('stores a file once: the second upload to the same board answers 200 with the same hash', async () => {
		server = await startTestServer();
		const first = await upload('dedup', PNG_1X1);
		const second = await upload('dedup', PNG_1X1);
		expect([first.status, second.status]).toEqual([201, 200]);
		expect(await second.json()).toEqual(await first.json());
		expect(await server.storage.boardImageBytes('dedup')).toBe(PNG_1X1.byteLength);
	});

	it('serves an image cached for good, never sniffed, never run, and answers 304 to its ETag', async () => {
		server = await startTestServer();
		const hash = await sha256Hex(GIF_1X1);
		await upload('headers', GIF_1X1);
		const served = await read('headers', hash);
		expect(Object.fromEntries([...served.headers].filter(([name]) => name !== 'date' && name !== 'content-length' && name !== 'connection' && name !== 'keep-alive'))).toEqual({
			'content-type': 'image/gif',
			'cache-control': 'private, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'content-disposition': `inline; filename="${hash}.gif"`,
			etag: `"${hash}"`
		});
		expect((await read('headers', hash, { 'if-none-match': `"${hash}"` })).status).toBe(304);
	});

	it('lets a board read only the images uploaded to it: another board gets 404, as does an unknown or malformed hash', async () => {
		server = await startTestServer();
		const hash = await sha256Hex(PNG_1X1);
		await upload('mine', PNG_1X1);
		const elsewhere = await read('theirs', hash);
		expect(elsewhere.status).toBe(404);
		expect(await elsewhere.json()).toEqual({ error: 'not-found', message: 'This board has no such image.' });
		expect((await read('mine', 'f'.repeat(64))).status).toBe(404);
		expect((await read('mine', '..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
	});

	it('follows the board\'s links: a view link reads but may not upload, no link gets nothing of a claimed board, an edit link uploads', async () => {
		server = await startTestServer();
		const hash = await sha256Hex(PNG_1X1);
		expect((await upload('linked', PNG_1X1)).status).toBe(201);
		const { edit, view } = await claim('linked');
		expect((await read('linked', hash, bearer(view))).status).toBe(200);
		const refused = await upload('linked', GIF_1X1, bearer(view));
		expect(refused.status).toBe(403);
		expect(await refused.json()).toEqual({ error: 'edit-required', message: 'Only editors can add images to this board.' });
		expect((await read('linked', hash)).status).toBe(403);
		expect((await upload('linked', GIF_1X1)).status).toBe(403);
		expect((await upload('linked', GIF_1X1, bearer(edit))).status).toBe(201);
	});

	it("refuses uploads and reads from a page of another origin, so a stranger's site cannot upload", async () => {
		server = await startTestServer({ env: { ORIGIN: 'https://board.example.com' } });
		const response = await upload('cross', PNG_1X1, { origin: 'https://evil.example' });
		expect(response.status).toBe(403);
		expect((await response.json()).error).toBe('origin-refused');
		expect((await upload('cross', PNG_1X1, { origin: 'https://board.example.com' })).status).toBe(201);
		expect((await read('cross', await sha256Hex(PNG_1X1), { origin: 'https://evil.example' })).status).toBe(403);
		expect(response.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('hostile files', () => {
	it('stores a polyglot (a GIF header followed by HTML and script) as a GIF, served as image/gif that no browser runs', async () => {
		server = await startTestServer();
		const polyglot = gifOfSize(1, 1, text('<html><body><script>alert(document.domain)</script></body></html>'));
		const response = await upload('poly', polyglot, { 'content-type': 'text/html' });
		expect(response.status).toBe(201);
		const { hash, mime } = (await response.json()) as { hash: string; mime: string };
		expect(mime).toBe('image/gif');
		const served = await read('poly', hash);
		expect(served.headers.get('content-type')).toBe('image/gif');
		expect(served.headers.get('x-content-type-options')).toBe('nosniff');
		expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
	});

	it('refuses an HTML file named .png and claiming image/png with 415, and an SVG too', async () => {
		server = await startTestServer();
		for (const body of ['<!doctype html><script>alert(1)</script>', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>']) {
			const response = await upload('html', text(body), { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="cat.png"' });
			expect(response.status).toBe(415);
			expect(await response.json()).toEqual({ error: 'unsupported-type', message: 'Only PNG, JPEG, GIF and WebP images can be added: this file is none of them.' });
		}
		expect(await server.storage.boardImageBytes('html')).toBe(0);
	});

	it('refuses an empty file with 400', async () => {
		server = await startTestServer();
		const response = await upload('empty', new Uint8Array());
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ error: 'empty', message: 'The file is empty.' });
	});

	it('refuses an image of 0 pixels or more than 16384 a side with 422', async () => {
		server = await startTestServer();
		const sizes: Array<[number, number]> = [
			[16_385, 1],
			[1, 20_000],
			[0, 10]
		];
		for (const [w, h] of sizes) {
			const response = await upload('dims', pngOfSize(w, h));
			expect(response.status).toBe(422);
			expect((await response.json()).message).toBe(`This image is ${w}×${h} pixels; images may be 1 to 16384 pixels a side.`);
		}
		expect((await upload('dims', pngOfSize(16_384, 16_384))).status).toBe(201);
	});
});

/** POSTs `total` bytes in 64 KiB chunks (no Content-Length), stopping as soon as an answer arrives: how much was sent by then. */
function streamUpload(url: string, total: number): Promise<{ status: number; body: string; sent: number }> {
	const chunk = new Uint8Array(64 * 1024);
	chunk.set(PNG_1X1.subarray(0, 24));
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers: { 'content-type': 'image/png' } });
		let sent = 0;
		let answered = false;
		request.on('response', (response) => {
			answered = true;
			let body = '';
			response.on('data', (data: Buffer) => (body += data.toString()));
			response.on('end', () => {
				resolve({ status: response.statusCode!, body, sent });
				request.destroy();
			});
		});
		// Writing into a connection the server closed: expected once it answered.
		request.on('error', (error) => {
			if (!answered) reject(error);
		});
		const pump = () => {
			while (!answered && sent < total) {
				sent += chunk.byteLength;
				if (!request.write(chunk)) {
					request.once('drain', pump);
					return;
				}
			}
			if (!answered) request.end();
		};
		pump();
	});
}

describe('limits', () => {
	it('answers 413 to an image over MAX_IMAGE_BYTES as soon as it passes the limit, without reading the rest', async () => {
		server = await startTestServer({ limits: { maxImageBytes: 1024 * 1024 } });
		const total = 512 * 1024 * 1024;
		const { status, body, sent } = await streamUpload(`${server.url}/api/boards/big/images`, total);
		expect(status).toBe(413);
		expect(JSON.parse(body)).toEqual({ error: 'image-too-large', message: 'This image is larger than 1 MiB: make it smaller and try again.' });
		expect(sent).toBeLessThan(64 * 1024 * 1024);
		// A declared length over the limit is refused before any of it is read.
		const declared = await upload('big', concat(PNG_1X1, new Uint8Array(1024 * 1024)));
		expect(declared.status).toBe(413);
		// One byte under the limit is fine.
		expect((await upload('big', concat(PNG_1X1, new Uint8Array(1024 * 1024 - PNG_1X1.byteLength)))).status).toBe(201);
	});

	it('answers 429 with Retry-After past IMAGE_UPLOADS_PER_MINUTE from one address', async () => {
		server = await startTestServer({ limits: { imageUploadsPerMinute: 2 } });
		expect((await upload('rate', PNG_1X1)).status).toBe(201);
		expect((await upload('rate', GIF_1X1)).status).toBe(201);
		const refused = await upload('rate', JPEG_1X1);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect((await refused.json()).error).toBe('too-many-uploads');
	});

	it("answers 413 when a board's images would pass MAX_BOARD_IMAGE_BYTES; an image it has already, or another board, is fine", async () => {
		server = await startTestServer({ limits: { maxBoardImageBytes: 150 } });
		const a = pngOfSize(1, 1, new Uint8Array(60));
		const b = pngOfSize(2, 2, new Uint8Array(60));
		expect((await upload('quota', a)).status).toBe(201);
		const refused = await upload('quota', b);
		expect(refused.status).toBe(413);
		expect(await refused.json()).toEqual({
			error: 'board-images-full',
			message: `This board already holds ${a.byteLength} bytes of images, its limit is 150 bytes: no more can be added.`
		});
		expect((await upload('quota', a)).status).toBe(200);
		expect((await upload('other', b)).status).toBe(201);
	});
});
