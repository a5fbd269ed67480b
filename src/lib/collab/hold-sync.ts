/**
 * Holds the server's sync messages until this browser's copy of the board has loaded, so the copy loads
 * into an empty doc. y-indexeddb starts its load by encoding the whole doc to store it: after a first sync
 * of a 10,000-shape board that is ~110 ms, in a task that comes before the board's first paint. When the
 * copy did hold the board (a returning visit), the server is asked again for only what it lacks.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_SYNC } from '$lib/shared/wire';
import { getSyncHandler, setSyncHandler } from '$lib/collab/sync-handler';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export interface SyncHold {
	/**
	 * True until the held messages are handled. While it is, no sync message of the server has been
	 * answered: a change made to the doc now still reaches the server in the reply to its step 1.
	 */
	readonly holding: boolean;
	/** Stops holding and drops the queue (for a connection being torn down). */
	stop(): void;
}

/**
 * Until `ready` settles, or `maxMs` has passed (a local store that never opens must not keep the board
 * from the server), the server's sync messages are queued unread, then handled in order as they would have been,
 * replies included. Install it after anything else that wraps the provider's sync handler: those see
 * the messages when they are handled.
 */
export function holdSyncUntil(provider: WebsocketProvider, ready: Promise<unknown>, maxMs: number): SyncHold {
	const handle = getSyncHandler(provider);
	let held: { socket: WebSocket | null; message: Uint8Array }[] | null = [];
	/** The doc's state vector when the provider sent its step 1 on this socket (it does so right after 'connected'). */
	let asked: { socket: WebSocket | null; vector: Uint8Array } | null = null;
	const onStatus = ({ status }: { status: string }) => {
		if (held && status === 'connected') asked = { socket: provider.ws, vector: Y.encodeStateVector(provider.doc) };
	};
	provider.on('status', onStatus);
	setSyncHandler(provider, (encoder, decoder, p, emitSynced, messageType) => {
		// emitSynced is false for messages from other tabs (BroadcastChannel): their replies go back there, so they pass.
		if (!held || !emitSynced) return handle(encoder, decoder, p, emitSynced, messageType);
		// The encoder stays empty, so the provider sends no reply now; the reply goes out when it is handled.
		held.push({ socket: provider.ws, message: decoding.readTailAsUint8Array(decoder) });
	});
	const send = (encoder: encoding.Encoder) => {
		if (encoding.length(encoder) > 1 && provider.wsconnected) provider.ws?.send(encoding.toUint8Array(encoder));
	};
	/**
	 * The provider asked before the local copy loaded, so the server's first step 2 on this socket (its
	 * replies come in order) is the whole board again: 2.5 MB for 10,000 shapes, as long to apply as it was
	 * to load. When the doc has grown since, that reply is dropped unread, held or still to come, and the
	 * question asked again with what the doc now holds: the answer is only what this browser lacks.
	 * Updates handled before it wait in Yjs for what they build on.
	 */
	const askAgain = (): WebSocket | null => {
		if (!asked || asked.socket !== provider.ws || !provider.wsconnected) return null;
		if (sameBytes(asked.vector, Y.encodeStateVector(provider.doc))) return null;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(encoder, provider.doc);
		send(encoder);
		return provider.ws;
	};
	let stopped = false;
	const release = () => {
		if (!held) return;
		const queue = held;
		held = null;
		clearTimeout(timer);
		provider.off('status', onStatus);
		let staleReplyOn = stopped ? null : askAgain();
		const isStaleReply = (socket: WebSocket | null, subtype: number | undefined) => {
			if (staleReplyOn === null || socket !== staleReplyOn || subtype !== syncProtocol.messageYjsSyncStep2) return false;
			staleReplyOn = null;
			setSyncHandler(provider, handle);
			return true;
		};
		setSyncHandler(
			provider,
			staleReplyOn === null
				? handle
				: (encoder, decoder, p, emitSynced, messageType) => {
						if (!emitSynced || !isStaleReply(provider.ws, decoder.arr[decoder.pos])) handle(encoder, decoder, p, emitSynced, messageType);
					}
		);
		for (const { socket, message } of queue) {
			// A message from a socket since closed belongs to a conversation that is over, as it would have been.
			if (socket !== provider.ws || isStaleReply(socket, message[0])) continue;
			const encoder = encoding.createEncoder();
			handle(encoder, decoding.createDecoder(message), provider, true, MESSAGE_SYNC);
			send(encoder);
		}
	};
	const timer = setTimeout(release, maxMs);
	ready.then(release, release);
	return {
		get holding() {
			return held !== null;
		},
		stop() {
			stopped = true;
			held = [];
			release();
		}
	};
}
