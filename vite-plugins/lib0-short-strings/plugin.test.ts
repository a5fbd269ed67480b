import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { patchLib0Decoding } from './plugin.ts';
import { SHORT_STRING_MAX_BYTES } from './short-ascii.ts';

type Decoding = typeof decoding;

const lib0Dir = path.dirname(createRequire(import.meta.url).resolve('lib0/package.json'));
let dir: string;
let patched: Decoding;

/** The browser build's lib0/decoding.js: patched, with its relative imports pointed back at lib0. */
beforeAll(async () => {
	const source = fs.readFileSync(path.join(lib0Dir, 'decoding.js'), 'utf8');
	const shortStrings = fileURLToPath(new URL('./short-ascii.ts', import.meta.url));
	const code = patchLib0Decoding(source, shortStrings).replace(
		/from '\.\/([\w.-]+)'/g,
		(_, file: string) => `from ${JSON.stringify(pathToFileURL(path.join(lib0Dir, file)).href)}`
	);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lib0-patch-'));
	const file = path.join(dir, 'decoding.mjs');
	fs.writeFileSync(file, code);
	patched = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Decoding;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const samples = [
	'',
	'x',
	'strokeWidth',
	'#1e1e1e',
	'a0JQG',
	'a'.repeat(SHORT_STRING_MAX_BYTES),
	'b'.repeat(SHORT_STRING_MAX_BYTES + 1),
	'café',
	'Ünïcödé notes 🙂',
	'nul\u0000byte',
	'x'.repeat(5000)
];

describe('lib0 decoding patched for short ASCII strings', () => {
	it('is the patched module, not lib0 itself', () => {
		expect(patched.readVarString).not.toBe(decoding.readVarString);
	});

	it('reads every string exactly as lib0 does and leaves the decoder at the same position', () => {
		const encoder = encoding.createEncoder();
		for (const text of samples) {
			encoding.writeVarString(encoder, text);
			encoding.writeVarUint(encoder, 7); // a marker after each string proves the position
		}
		const buffer = encoding.toUint8Array(encoder);
		const ours = patched.createDecoder(buffer);
		for (const text of samples) {
			expect(patched.readVarString(ours)).toBe(text);
			expect(patched.readVarUint(ours)).toBe(7);
		}
		expect(patched.hasContent(ours)).toBe(false);
	});

	it('still throws when a string runs past the end of the buffer', () => {
		const encoder = encoding.createEncoder();
		encoding.writeVarString(encoder, 'shape-id-1234');
		const truncated = encoding.toUint8Array(encoder).subarray(0, 6);
		expect(() => decoding.readVarString(decoding.createDecoder(truncated))).toThrow();
		expect(() => patched.readVarString(patched.createDecoder(truncated))).toThrow();
	});

	it('reads JSON content (readAny, how Yjs stores shape fields) like lib0 does', () => {
		const value = { type: 'rect', fill: 'transparent', label: 'naïve 🙂', nested: ['a0V', 'z', ''], n: 2 };
		const encoder = encoding.createEncoder();
		encoding.writeAny(encoder, value);
		expect(patched.readAny(patched.createDecoder(encoding.toUint8Array(encoder)))).toEqual(value);
	});

	it('refuses to patch a lib0 whose string reader it does not recognise', () => {
		expect(() => patchLib0Decoding('export const readVarString = somethingElse')).toThrow(/no longer contains/);
	});
});
