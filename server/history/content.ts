/** A version's stored content: its shapes as gzip'd JSON, and back, each shape validated again on the way out. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { validateShape, type Shape } from '../../src/lib/shared/model/index.ts';

export function encodeVersionContent(shapes: readonly Shape[]): Uint8Array {
	return gzipSync(JSON.stringify(shapes));
}

/** The version's shapes; throws on content that is not gzip'd JSON of valid shapes. */
export function decodeVersionContent(content: Uint8Array): Shape[] {
	const parsed: unknown = JSON.parse(gunzipSync(content).toString('utf8'));
	if (!Array.isArray(parsed)) throw new Error('version content is not a list of shapes');
	return parsed.map((raw) => validateShape(raw));
}
