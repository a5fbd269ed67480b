/**
 * The .boardwalk file: a board's shapes and the images they use, as one JSON document with a format
 * version. Built by the server's `GET /export/<board>.boardwalk` and by the browser's "Save"; parsed by
 * the browser's import. A file is untrusted input: parsing refuses anything malformed or hostile with a
 * sentence a person can read, and never returns half a file.
 */

import { sha256Hex, sniffImage } from './image-bytes.ts';
import {
	IMAGE_HASH_PATTERN,
	IMAGE_MIME_TYPES,
	type ImageMimeType,
	MAX_IMAGE_PIXELS_SIDE,
	type Shape,
	readStoredShape
} from './model/schema.ts';
import { ValidationError } from './model/validate.ts';

export const BOARDWALK_FILE_FORMAT = 'boardwalk';
/** Bump it (and add a step to MIGRATIONS) when the meaning of a field of the file changes. */
export const BOARDWALK_FILE_VERSION = 1;
export const BOARDWALK_FILE_EXTENSION = '.boardwalk';
export const BOARDWALK_FILE_MIME = 'application/vnd.boardwalk+json';
/** Largest file parsed, in characters of its text (a 10k-shape board with a few photos is a few MiB). */
export const MAX_BOARDWALK_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_BOARDWALK_FILE_SHAPES = 100_000;

export interface BoardwalkImage {
	mime: ImageMimeType;
	/** The file's bytes, base64. */
	data: string;
}

export interface BoardwalkFile {
	format: typeof BOARDWALK_FILE_FORMAT;
	/** The version the file was written in; parse returns files migrated to BOARDWALK_FILE_VERSION. */
	version: number;
	/** ISO date of the export. */
	exportedAt: string;
	title?: string;
	/** Validated shapes, with id and index. */
	shapes: Shape[];
	/** By hash (SHA-256 hex of the bytes): the images the shapes use, and only those. */
	images: Record<string, BoardwalkImage>;
}

/** A file refused by parseBoardwalkFile; `message` is written for the person who picked the file. */
export class BoardwalkFileError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BoardwalkFileError';
	}
}

/** Builds the file for `shapes`; images no shape uses are left out, and an image shape whose bytes are missing keeps its shape (it shows as a placeholder). */
export function buildBoardwalkFile(input: {
	shapes: Shape[];
	images: Map<string, { mime: ImageMimeType; bytes: Uint8Array }>;
	title?: string;
}): BoardwalkFile {
	const images: Record<string, BoardwalkImage> = {};
	for (const hash of usedImageHashes(input.shapes)) {
		const image = input.images.get(hash);
		if (image) images[hash] = { mime: image.mime, data: bytesToBase64(image.bytes) };
	}
	const file: BoardwalkFile = {
		format: BOARDWALK_FILE_FORMAT,
		version: BOARDWALK_FILE_VERSION,
		exportedAt: new Date().toISOString(),
		shapes: input.shapes,
		images
	};
	if (input.title !== undefined) file.title = input.title;
	return file;
}

/** The hashes of the images `shapes` show, each once. */
export function usedImageHashes(shapes: Iterable<Shape>): Set<string> {
	const hashes = new Set<string>();
	for (const shape of shapes) if (shape.type === 'image') hashes.add(shape.hash);
	return hashes;
}

/**
 * Steps that bring a file of version v to v + 1, indexed by v. A file of any older version runs through
 * each step in turn; version 1 is the first, so there are none yet.
 */
const MIGRATIONS: Record<number, (file: Record<string, unknown>) => Record<string, unknown>> = {};

/** Parses untrusted text; throws BoardwalkFileError for anything malformed or hostile (see the module comment). */
export async function parseBoardwalkFile(text: string): Promise<BoardwalkFile> {
	if (text.length > MAX_BOARDWALK_FILE_BYTES) {
		throw new BoardwalkFileError(`This file is too large to open (more than ${MAX_BOARDWALK_FILE_BYTES / 1024 / 1024} MiB).`);
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new BoardwalkFileError('This is not a Boardwalk file: it is not JSON.');
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as Record<string, unknown>).format !== BOARDWALK_FILE_FORMAT) {
		throw new BoardwalkFileError('This is not a Boardwalk file: it does not say format "boardwalk".');
	}
	const migrated = migrate(raw as Record<string, unknown>);
	const shapes = readShapes(migrated.shapes);
	const images = await readImages(migrated.images, shapes);
	const file: BoardwalkFile = {
		format: BOARDWALK_FILE_FORMAT,
		version: BOARDWALK_FILE_VERSION,
		exportedAt: typeof migrated.exportedAt === 'string' ? migrated.exportedAt.slice(0, 64) : '',
		shapes,
		images
	};
	if (typeof migrated.title === 'string') file.title = migrated.title.slice(0, 200);
	return file;
}

function migrate(file: Record<string, unknown>): Record<string, unknown> {
	const version = file.version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		throw new BoardwalkFileError('This Boardwalk file has no valid version number.');
	}
	if (version > BOARDWALK_FILE_VERSION) {
		throw new BoardwalkFileError(
			`This file was saved by a newer Boardwalk (file version ${version}; this one reads up to ${BOARDWALK_FILE_VERSION}). Update Boardwalk to open it.`
		);
	}
	let current = file;
	for (let v = version; v < BOARDWALK_FILE_VERSION; v++) {
		const step = MIGRATIONS[v];
		if (!step) throw new BoardwalkFileError(`Boardwalk cannot read files of version ${version} any more.`);
		current = step(current);
	}
	return current;
}

function readShapes(raw: unknown): Shape[] {
	if (!Array.isArray(raw)) throw new BoardwalkFileError('This Boardwalk file is damaged: it has no list of shapes.');
	if (raw.length > MAX_BOARDWALK_FILE_SHAPES) {
		throw new BoardwalkFileError(`This file has ${raw.length} shapes; a board holds at most ${MAX_BOARDWALK_FILE_SHAPES}.`);
	}
	const ids = new Set<string>();
	return raw.map((entry, i) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw new BoardwalkFileError(`This Boardwalk file is damaged: shape ${i + 1} is not an object.`);
		}
		const record = entry as Record<string, unknown>;
		let shape: Shape;
		try {
			if (typeof record.id !== 'string') throw new ValidationError('id', 'missing');
			// Read as stored shapes are: a field left out takes its kind's default.
			shape = readStoredShape(record.id, (key) => (Object.hasOwn(record, key) ? record[key] : undefined));
		} catch (error) {
			const why = error instanceof ValidationError ? error.message : String(error);
			throw new BoardwalkFileError(`This Boardwalk file is damaged: shape ${i + 1} is invalid (${why.slice(0, 200)}).`);
		}
		if (ids.has(shape.id)) throw new BoardwalkFileError(`This Boardwalk file is damaged: two shapes share the id "${shape.id}".`);
		ids.add(shape.id);
		return shape;
	});
}

async function readImages(raw: unknown, shapes: Shape[]): Promise<Record<string, BoardwalkImage>> {
	if (raw === undefined) raw = {};
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw new BoardwalkFileError('This Boardwalk file is damaged: its images are not a table by hash.');
	}
	const mimeOfShapes = new Map<string, ImageMimeType>();
	for (const shape of shapes) if (shape.type === 'image') mimeOfShapes.set(shape.hash, shape.mime);
	const images: Record<string, BoardwalkImage> = {};
	for (const [hash, entry] of Object.entries(raw as Record<string, unknown>)) {
		const label = `image ${hash.slice(0, 12)}`;
		if (!IMAGE_HASH_PATTERN.test(hash)) throw new BoardwalkFileError(`This Boardwalk file is damaged: "${hash.slice(0, 20)}" is not an image hash.`);
		if (!mimeOfShapes.has(hash)) throw new BoardwalkFileError(`This Boardwalk file carries an ${label} that no shape uses.`);
		const { mime, data } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
		if (!IMAGE_MIME_TYPES.includes(mime as ImageMimeType) || typeof data !== 'string') {
			throw new BoardwalkFileError(`This Boardwalk file is damaged: ${label} needs a type (PNG, JPEG, GIF or WebP) and its data.`);
		}
		const bytes = base64ToBytes(data);
		if (!bytes) throw new BoardwalkFileError(`This Boardwalk file is damaged: the data of ${label} is not base64.`);
		const sniffed = sniffImage(bytes);
		if (!sniffed || sniffed.mime !== mime) {
			throw new BoardwalkFileError(`This Boardwalk file is damaged: ${label} is not the ${mime} file it claims to be.`);
		}
		if (sniffed.width < 1 || sniffed.height < 1 || sniffed.width > MAX_IMAGE_PIXELS_SIDE || sniffed.height > MAX_IMAGE_PIXELS_SIDE) {
			throw new BoardwalkFileError(`This Boardwalk file has an image of ${sniffed.width}×${sniffed.height} pixels; at most ${MAX_IMAGE_PIXELS_SIDE} a side.`);
		}
		if (mimeOfShapes.get(hash) !== mime) {
			throw new BoardwalkFileError(`This Boardwalk file is damaged: ${label} is ${mime} but its shape says ${mimeOfShapes.get(hash)}.`);
		}
		if ((await sha256Hex(bytes)) !== hash) {
			throw new BoardwalkFileError(`This Boardwalk file is damaged: the bytes of ${label} do not match their hash.`);
		}
		images[hash] = { mime: mime as ImageMimeType, data };
	}
	return images;
}

const BASE64_CHUNK = 0x8000;

/** Base64 of `bytes` (in chunks: a spread of megabytes would overflow the call stack). */
export function bytesToBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let at = 0; at < bytes.length; at += BASE64_CHUNK) binary += String.fromCharCode(...bytes.subarray(at, at + BASE64_CHUNK));
	return btoa(binary);
}

/** The bytes of a base64 string, or null when it is not base64. */
export function base64ToBytes(base64: string): Uint8Array | null {
	let binary: string;
	try {
		binary = atob(base64);
	} catch {
		return null;
	}
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
