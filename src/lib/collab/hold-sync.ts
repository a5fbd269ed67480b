/**
 * Holds the server's sync messages until this browser's copy of the board has loaded, so the copy loads
 * into an empty doc. y-indexeddb starts its load by encoding the whole doc to store it: after a first sync
 * of a 10,000-shape board that is ~110 ms, in a task that comes before the board's first paint.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_SYNC } from './protocol.ts';
import { getSyncHandler, setSyncHandler } from './sync-handler.ts';

/**
 * Until `ready` settles, or `maxMs` has passed (a local store that never opens must not keep the board
 * from the server), the server's sync messages are queued unread, then handled in order as they would have been,
 * replies included. Install it after anything else that wraps the provider's sync handler: those see
 * the messages when they are handled. Returns a function that stops holding and drops the queue (for
 * a connection being torn down).
 */
export function holdSyncUntil(provider: WebsocketProvider, ready: Promise<unknown>, maxMs: number): () => void {
	const handle = getSyncHandler(provider);
	let held: { socket: WebSocket | null; message: Uint8Array }[] | null = [];
	setSyncHandler(provider, (encoder, decoder, p, emitSynced, messageType) => {
		// emitSynced is false for messages from other tabs (BroadcastChannel): their replies go back there, so they pass.
		if (!held || !emitSynced) return handle(encoder, decoder, p, emitSynced, messageType);
		// The encoder stays empty, so the provider sends no reply now; the reply goes out when it is handled.
		held.push({ socket: provider.ws, message: decoding.readTailAsUint8Array(decoder) });
	});
	const release = () => {
		if (!held) return;
		const queue = held;
		held = null;
		clearTimeout(timer);
		setSyncHandler(provider, handle);
		for (const { socket, message } of queue) {
			// A message from a socket since closed belongs to a conversation that is over, as it would have been.
			if (socket !== provider.ws) continue;
			const encoder = encoding.createEncoder();
			handle(encoder, decoding.createDecoder(message), provider, true, MESSAGE_SYNC);
			if (encoding.length(encoder) > 1 && provider.wsconnected) provider.ws?.send(encoding.toUint8Array(encoder));
		}
	};
	const timer = setTimeout(release, maxMs);
	ready.then(release, release);
	return () => {
		held = [];
		release();
	};
}
