/** The .boardwalk file: a board round-trips with its images; every malformed or hostile file is refused with a readable message. */

import { describe, expect, it } from 'vitest';
import {
	BOARDWALK_FILE_VERSION,
	BoardwalkFileError,
	MAX_BOARDWALK_FILE_BYTES,
	MAX_BOARDWALK_FILE_SHAPES,
	base64ToBytes,
	buildBoardwalkFile,
	bytesToBase64,
	parseBoardwalkFile
} from './boardwalk-file.ts';
import { sha256Hex } from './image-bytes.ts';
import { GIF_1X1, PNG_1X1, concat, pngOfSize } from './image-fixtures.ts';
import { SHAPE_DEFAULTS, type Shape, validateShape } from './model/schema.ts';

const rect = validateShape({ ...SHAPE_DEFAULTS.rect, type: 'rect', id: 'r1', index: 'a0', x: 10 });

async function imageShape(bytes: Uint8Array, mime: 'image/png' | 'image/gif' = 'image/png', id = 'i1'): Promise<Shape> {
	return validateShape({ ...SHAPE_DEFAULTS.image, type: 'image', id, index: 'a1', hash: await sha256Hex(bytes), mime, naturalW: 1, naturalH: 1 });
}

async function validFile(): Promise<{ text: string; hash: string; json: Record<string, any> }> {
	const image = await imageShape(PNG_1X1);
	const hash = (image as { hash: string }).hash;
	const file = buildBoardwalkFile({ shapes: [rect, image], images: new Map([[hash, { mime: 'image/png', bytes: PNG_1X1 }]]), title: 'Plan' });
	return { text: JSON.stringify(file), hash, json: JSON.parse(JSON.stringify(file)) };
}

async function refusal(text: string): Promise<string> {
	const error = await parseBoardwalkFile(text).then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(BoardwalkFileError);
	return (error as Error).message;
}

describe('buildBoardwalkFile and parseBoardwalkFile', () => {
	it('round-trips shapes, title and image bytes', async () => {
		const { text, hash } = await validFile();
		const file = await parseBoardwalkFile(text);
		expect(file.version).toBe(BOARDWALK_FILE_VERSION);
		expect(file.title).toBe('Plan');
		expect(file.shapes.map((shape) => shape.id)).toEqual(['r1', 'i1']);
		expect(file.shapes[0]).toEqual(rect);
		expect(base64ToBytes(file.images[hash]!.data)).toEqual(PNG_1X1);
		expect(new Date(file.exportedAt).getTime()).not.toBeNaN();
	});

	it('leaves out images no shape uses, and keeps an image shape whose bytes are missing', async () => {
		const image = await imageShape(PNG_1X1);
		const gifHash = await sha256Hex(GIF_1X1);
		const file = buildBoardwalkFile({ shapes: [image], images: new Map([[gifHash, { mime: 'image/gif', bytes: GIF_1X1 }]]) });
		expect(file.images).toEqual({});
		expect((await parseBoardwalkFile(JSON.stringify(file))).shapes).toHaveLength(1);
	});

	it('loads files of every version up to the current one, with defaults filled in for left-out fields', async () => {
		for (let version = 1; version <= BOARDWALK_FILE_VERSION; version++) {
			const { json } = await validFile();
			json.version = version;
			const { x: _x, stroke: _stroke, ...sparseRect } = json.shapes[0];
			json.shapes[0] = sparseRect;
			const file = await parseBoardwalkFile(JSON.stringify(json));
			expect(file.version).toBe(BOARDWALK_FILE_VERSION);
			expect(file.shapes[0]).toMatchObject({ id: 'r1', stroke: SHAPE_DEFAULTS.rect.stroke, x: 0 });
		}
	});

	it('base64 survives large buffers', () => {
		const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff);
		expect(Buffer.from(base64ToBytes(bytesToBase64(bytes))!).equals(Buffer.from(bytes))).toBe(true);
		expect(base64ToBytes('not base64!')).toBeNull();
	});
});

describe('hostile and malformed files are refused', () => {
	it('not JSON', async () => {
		expect(await refusal('<html>')).toMatch(/not JSON/);
	});

	it('JSON of another format', async () => {
		expect(await refusal('{"type":"excalidraw","elements":[]}')).toMatch(/not a Boardwalk file/);
		expect(await refusal('[1,2]')).toMatch(/not a Boardwalk file/);
		expect(await refusal('null')).toMatch(/not a Boardwalk file/);
	});

	it('a newer version, or no version', async () => {
		const { json } = await validFile();
		expect(await refusal(JSON.stringify({ ...json, version: BOARDWALK_FILE_VERSION + 1 }))).toMatch(/newer Boardwalk/);
		expect(await refusal(JSON.stringify({ ...json, version: '1' }))).toMatch(/no valid version/);
	});

	it('a file over the size limit, before parsing it', async () => {
		expect(await refusal(' '.repeat(MAX_BOARDWALK_FILE_BYTES + 1))).toMatch(/too large/);
	});

	it('too many shapes', async () => {
		const { json } = await validFile();
		json.shapes = Array.from({ length: MAX_BOARDWALK_FILE_SHAPES + 1 }, () => 0);
		expect(await refusal(JSON.stringify(json))).toMatch(/at most 100000/);
	});

	it('a shape of a bad shape', async () => {
		const { json } = await validFile();
		expect(await refusal(JSON.stringify({ ...json, shapes: 'all of them' }))).toMatch(/no list of shapes/);
		expect(await refusal(JSON.stringify({ ...json, shapes: [{ ...json.shapes[0], w: 'wide' }] }))).toMatch(/shape 1 is invalid \(w: /);
		expect(await refusal(JSON.stringify({ ...json, shapes: [{ ...json.shapes[0], type: 'iframe' }] }))).toMatch(/unknown shape type/);
		expect(await refusal(JSON.stringify({ ...json, shapes: [json.shapes[0], json.shapes[0]] }))).toMatch(/share the id "r1"/);
		expect(await refusal(JSON.stringify({ ...json, shapes: [null] }))).toMatch(/shape 1 is not an object/);
	});

	it('an image whose bytes do not match its hash', async () => {
		const { json, hash } = await validFile();
		json.images[hash].data = bytesToBase64(pngOfSize(1, 1));
		expect(await refusal(JSON.stringify(json))).toMatch(/do not match their hash/);
	});

	it('an image whose bytes are HTML with an image name', async () => {
		const html = new TextEncoder().encode('<html><script>alert(document.cookie)</script></html>');
		const shape = await imageShape(html);
		const hash = (shape as { hash: string }).hash;
		const json = { format: 'boardwalk', version: 1, exportedAt: '', shapes: [shape], images: { [hash]: { mime: 'image/png', data: bytesToBase64(html) } } };
		expect(await refusal(JSON.stringify(json))).toMatch(/not the image\/png file it claims to be/);
	});

	it('an image of another type than declared, or than its shape says', async () => {
		const { json, hash } = await validFile();
		json.images[hash].mime = 'image/gif';
		expect(await refusal(JSON.stringify(json))).toMatch(/not the image\/gif file/);
		const gif = await imageShape(GIF_1X1, 'image/png');
		const gifHash = (gif as { hash: string }).hash;
		const mismatched = { ...json, shapes: [gif], images: { [gifHash]: { mime: 'image/gif', data: bytesToBase64(GIF_1X1) } } };
		expect(await refusal(JSON.stringify(mismatched))).toMatch(/its shape says image\/png/);
	});

	it('an image too large in pixels', async () => {
		const big = pngOfSize(20_000, 10);
		const shape = await imageShape(big);
		const hash = (shape as { hash: string }).hash;
		const json = { format: 'boardwalk', version: 1, shapes: [shape], images: { [hash]: { mime: 'image/png', data: bytesToBase64(big) } } };
		expect(await refusal(JSON.stringify(json))).toMatch(/20000×10 pixels/);
	});

	it('images no shape uses, bad hashes and bad data', async () => {
		const { json, hash } = await validFile();
		const unused = await sha256Hex(GIF_1X1);
		expect(await refusal(JSON.stringify({ ...json, images: { ...json.images, [unused]: { mime: 'image/gif', data: bytesToBase64(GIF_1X1) } } }))).toMatch(
			/no shape uses/
		);
		expect(await refusal(JSON.stringify({ ...json, images: { '../etc/passwd': json.images[hash] } }))).toMatch(/not an image hash/);
		expect(await refusal(JSON.stringify({ ...json, images: { [hash]: { mime: 'image/png', data: '***' } } }))).toMatch(/not base64/);
		expect(await refusal(JSON.stringify({ ...json, images: { [hash]: { mime: 'image/svg+xml', data: '' } } }))).toMatch(/needs a type/);
		expect(await refusal(JSON.stringify({ ...json, images: [] }))).toMatch(/not a table/);
	});

	it('a polyglot (image header, script after) is accepted only as the image it declares', async () => {
		const polyglot = concat(PNG_1X1, new TextEncoder().encode('<script>alert(1)</script>'));
		const shape = await imageShape(polyglot);
		const hash = (shape as { hash: string }).hash;
		const json = { format: 'boardwalk', version: 1, shapes: [shape], images: { [hash]: { mime: 'image/png', data: bytesToBase64(polyglot) } } };
		expect((await parseBoardwalkFile(JSON.stringify(json))).images[hash]!.mime).toBe('image/png');
	});
});
