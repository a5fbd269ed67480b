/**
 * The split stage: keeps outgoing sync frames under the server's frame limit by splitting a large sync step 2
 * or update into one update per client id (a tab that was offline across several page loads carries several).
 * A single client's part can still be too large; the server then closes with 1009 and the UI explains it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MESSAGE_SYNC, SYNC_STEP2, SYNC_UPDATE } from '$lib/shared/wire';

/** Split frames above this size: below the smallest MAX_FRAME_BYTES a server accepts (64 KiB). */
export const SPLIT_FRAME_BYTES = 60 * 1024;

/** The update as one part per client id (each with the delete set, which is idempotent), or as is if it has one client. */
export function splitUpdateByClient(update: Uint8Array): Uint8Array[] {
	const { from, to } = Y.parseUpdateMeta(update);
	if (to.size <= 1) return [update];
	return [...to.keys()].map((client) => {
		// Everything of the other clients counts as known, so only this client's structs remain.
		const known = new Map([...to].map(([c, end]) => [c, c === client ? (from.get(c) ?? 0) : end]));
		return Y.diffUpdate(update, Y.encodeStateVector(known));
	});
}

/** A sync frame over `maxBytes` as several frames of the same sync subtype; any other frame unchanged. */
export function splitSyncFrame(frame: Uint8Array, maxBytes = SPLIT_FRAME_BYTES): Uint8Array[] {
	if (frame.byteLength <= maxBytes) return [frame];
	const decoder = decoding.createDecoder(frame);
	if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return [frame];
	const subtype = decoding.readVarUint(decoder);
	if (subtype !== SYNC_STEP2 && subtype !== SYNC_UPDATE) return [frame];
	const parts = splitUpdateByClient(decoding.readVarUint8Array(decoder));
	if (parts.length === 1) return [frame];
	return parts.map((part) => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		encoding.writeVarUint(encoder, subtype);
		encoding.writeVarUint8Array(encoder, part);
		return encoding.toUint8Array(encoder);
	});
}
