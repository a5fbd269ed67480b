/** Vite plugin: lib0's string reader (used by every Yjs and y-protocols decode in the browser) tries readShortAscii before TextDecoder. */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const LIB0_DECODING = /[\\/]node_modules[\\/]lib0[\\/]decoding\.js(?:\?.*)?$/;
/** The line of lib0/decoding.js (0.2.x) that picks its string reader; replaced below. */
const READER_CHOICE = 'export const readVarString = string.utf8TextDecoder ? _readVarStringNative : _readVarStringPolyfill';
const SHORT_STRINGS = fileURLToPath(new URL('./short-ascii.ts', import.meta.url));

/**
 * lib0/decoding.js with readVarString trying `readShortAscii` first. Same results for every input
 * (non-ASCII, long and out-of-range strings take lib0's own path); throws when lib0 no longer has
 * the line this replaces, so an upgrade cannot silently drop the patch.
 */
export function patchLib0Decoding(source: string, shortStringsModule = SHORT_STRINGS): string {
	if (!source.includes(READER_CHOICE)) {
		throw new Error(`lib0/decoding.js no longer contains "${READER_CHOICE}": update vite-plugins/lib0-short-strings/plugin.ts for this lib0 version`);
	}
	return (
		`import { readShortAscii as __readShortAscii } from ${JSON.stringify(shortStringsModule)};\n` +
		source.replace(
			READER_CHOICE,
			`const _readVarStringShortAscii = (decoder) => {
  const len = readVarUint(decoder)
  const short = __readShortAscii(decoder.arr, decoder.pos, len)
  if (short !== null) {
    decoder.pos += len
    return short
  }
  return /** @type {any} */ (string.utf8TextDecoder).decode(readUint8Array(decoder, len))
}
export const readVarString = string.utf8TextDecoder ? _readVarStringShortAscii : _readVarStringPolyfill`
		)
	);
}

/**
 * Why: applying a 10,000-shape board in Chromium spent ~35 % of Yjs's time in one TextDecoder call
 * per key and value; with this reader `Y.applyUpdate` of that board went from 435 to 281 ms median
 * (bench/JOURNAL.md, 2026-11-26, "Short strings are decoded in plain JS"). lib0 has no upstream issue
 * for it that we know of; protobuf readers made the same choice (mapbox/pbf#109, whose crossover
 * mapbox/pbf#150 measures at 32–48 bytes). The browser build must contain the patch: a client bundle
 * with lib0/decoding.js left unpatched fails the build.
 */
export function lib0ShortStrings(): Plugin {
	let patched = false;
	return {
		name: 'boardwalk-lib0-short-strings',
		enforce: 'pre',
		transform(code, id) {
			if (!LIB0_DECODING.test(id)) return null;
			patched = true;
			return { code: patchLib0Decoding(code), map: null };
		},
		buildEnd(error) {
			if (error || this.environment?.name !== 'client') return;
			const bundled = [...this.getModuleIds()].some((id) => LIB0_DECODING.test(id));
			if (bundled && !patched) this.error('lib0/decoding.js was bundled without the short-string reader');
		}
	};
}
