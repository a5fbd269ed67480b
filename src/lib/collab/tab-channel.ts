/**
 * This browser's other tabs of the same board, over a BroadcastChannel: they exchange the socket's
 * messages, so they stay in step even offline. Their messages pass the hold, never count as the
 * server's reply, and are not sent on to the server (the tab that made a change sends it itself).
 */
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2 } from '$lib/shared/wire';
import { presenceMessage, queryAwarenessMessage, syncMessage } from '$lib/collab/messages';

export class TabChannel {
	/** The transaction and awareness origin of what another tab sent. */
	readonly origin = { from: 'another tab' };
	readonly #channel: BroadcastChannel | null;

	/** `name` is the board's socket URL, as y-websocket names the channel, so every tab of one board shares it. */
	constructor(
		name: string,
		private readonly doc: Y.Doc,
		private readonly awareness: awarenessProtocol.Awareness
	) {
		this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
		if (!this.#channel) return;
		this.#channel.onmessage = (event: MessageEvent) => {
			const data: unknown = event.data;
			if (data instanceof Uint8Array || data instanceof ArrayBuffer) this.#receive(new Uint8Array(data));
		};
		// Say what this tab holds and ask for the rest, as y-websocket's tabs do.
		this.publish(syncMessage(SYNC_STEP1, Y.encodeStateVector(doc)));
		this.publish(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(doc)));
		this.publish(queryAwarenessMessage());
		if (awareness.getLocalState() !== null) this.publish(presenceMessage(awareness));
	}

	publish(message: Uint8Array): void {
		this.#channel?.postMessage(message);
	}

	close(): void {
		this.#channel?.close();
	}

	#receive(message: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			if (type === MESSAGE_AWARENESS) {
				awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this.origin);
			} else if (type === MESSAGE_QUERY_AWARENESS) {
				if (this.awareness.getLocalState() !== null) this.publish(presenceMessage(this.awareness));
			} else if (type === MESSAGE_SYNC) {
				const subtype = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (subtype === SYNC_STEP1) this.publish(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, payload)));
				else Y.applyUpdate(this.doc, payload, this.origin);
			}
		} catch (error) {
			console.error('boardwalk: a message from another tab could not be handled', error);
		}
	}
}
