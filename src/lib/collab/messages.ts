/** The y-websocket messages this client writes (docs/protocol.md "Messages"): one per frame, built with y-protocols' encoders. */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from '$lib/shared/wire';

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** A sync message: step 1 carries a state vector, step 2 and update a Yjs update. */
export const syncMessage = (subtype: number, payload: Uint8Array): Uint8Array =>
	message((e) => {
		encoding.writeVarUint(e, MESSAGE_SYNC);
		encoding.writeVarUint(e, subtype);
		encoding.writeVarUint8Array(e, payload);
	});

export const queryAwarenessMessage = (): Uint8Array => message((e) => encoding.writeVarUint(e, MESSAGE_QUERY_AWARENESS));

/** This client's own awareness entry; with `removed`, the entry as gone (its clock unchanged), whatever the local state. */
export const presenceMessage = (awareness: awarenessProtocol.Awareness, removed = false): Uint8Array =>
	message((e) => {
		encoding.writeVarUint(e, MESSAGE_AWARENESS);
		const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID], removed ? new Map() : undefined);
		encoding.writeVarUint8Array(e, update);
	});
