/** Decoding and validating y-websocket frames (y-protocols sync + awareness), and encoding the server's replies. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import {
	CloseCode,
	MESSAGE_AUTH,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP1,
	SYNC_STEP2,
	SYNC_UPDATE
} from '../src/lib/shared/wire.ts';

export type Frame =
	| { kind: 'sync-step1'; stateVector: Uint8Array }
	| { kind: 'sync-step2'; update: Uint8Array }
	| { kind: 'update'; update: Uint8Array }
	| { kind: 'awareness'; update: Uint8Array }
	| { kind: 'query-awareness' };

/** A frame the server refuses; `code` is the close code the connection gets. */
export class ProtocolError extends Error {
	constructor(
		readonly code: CloseCode,
		message: string
	) {
		super(message);
		this.name = 'ProtocolError';
	}
}

const invalid = (message: string) => new ProtocolError(CloseCode.InvalidPayload, message);

function readPayload(decoder: decoding.Decoder, what: string): Uint8Array {
	const length = readCount(decoder, what);
	if (length > decoder.arr.length - decoder.pos) throw invalid(`${what} length ${length} runs past the end of the frame`);
	return decoding.readUint8Array(decoder, length);
}

function readCount(decoder: decoding.Decoder, what: string): number {
	try {
		return decoding.readVarUint(decoder);
	} catch {
		throw invalid(`truncated ${what}`);
	}
}

function expectEnd(decoder: decoding.Decoder, what: string): void {
	if (decoder.pos > decoder.arr.length) throw invalid(`truncated ${what}`);
	if (decoding.hasContent(decoder)) throw invalid(`${decoder.arr.length - decoder.pos} stray bytes after ${what}`);
}

/** Parses one binary frame; throws ProtocolError for anything that is not exactly one well-formed message. */
export function decodeFrame(data: Uint8Array): Frame {
	if (data.length === 0) throw invalid('empty frame');
	const decoder = decoding.createDecoder(data);
	const type = readCount(decoder, 'message type');
	switch (type) {
		case MESSAGE_SYNC: {
			const subtype = readCount(decoder, 'sync message type');
			const payload = readPayload(decoder, 'sync payload');
			expectEnd(decoder, 'sync message');
			if (subtype === SYNC_STEP1) return { kind: 'sync-step1', stateVector: payload };
			if (subtype === SYNC_STEP2) return { kind: 'sync-step2', update: payload };
			if (subtype === SYNC_UPDATE) return { kind: 'update', update: payload };
			throw invalid(`unknown sync message type ${subtype}`);
		}
		case MESSAGE_AWARENESS: {
			const update = readPayload(decoder, 'awareness payload');
			expectEnd(decoder, 'awareness message');
			return { kind: 'awareness', update };
		}
		case MESSAGE_QUERY_AWARENESS:
			expectEnd(decoder, 'awareness query');
			return { kind: 'query-awareness' };
		default:
			throw invalid(`unknown message type ${type}`);
	}
}

function encodeSync(subtype: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, subtype);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => encodeSync(SYNC_STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => encodeSync(SYNC_STEP2, update);
export const encodeUpdate = (update: Uint8Array) => encodeSync(SYNC_UPDATE, update);

export function encodeAwareness(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** y-protocols' auth message saying a write was refused; a stock y-websocket client logs `reason`. */
export function encodePermissionDenied(reason: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AUTH);
	authProtocol.writePermissionDenied(encoder, reason);
	return encoding.toUint8Array(encoder);
}

/** An update that holds nothing (no structs, no deletions): what a client with nothing to add sends as its step 2. */
export const isEmptyUpdate = (update: Uint8Array) => update.byteLength === 2 && update[0] === 0 && update[1] === 0;

/** One entry of an awareness update: a client's presence state at a logical clock (state null = gone). */
export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** The state as the JSON text the client sent ('null' when the client left). */
	stateJson: string;
}

/** Parses an awareness update, checking that every state is valid JSON. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = readCount(decoder, 'awareness entry count');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = readCount(decoder, 'awareness client id');
		const clock = readCount(decoder, 'awareness clock');
		let stateJson: string;
		try {
			stateJson = decoding.readVarString(decoder);
			JSON.parse(stateJson);
		} catch {
			throw invalid('awareness state is not valid JSON');
		}
		entries.push({ clientId, clock, stateJson });
	}
	expectEnd(decoder, 'awareness update');
	return entries;
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.stateJson);
	}
	return encoding.toUint8Array(encoder);
}
