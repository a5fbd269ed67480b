/** Tracks whether every local change is confirmed stored by the server, so people know when it is safe to close the tab. */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_SYNC } from '$lib/shared/wire';
import { getSyncHandler, setSyncHandler, type SyncHandler } from '$lib/collab/sync-handler';

export type SaveState = 'saved' | 'saving' | 'unsaved';

/** Wait this long after the last local change before asking for a confirmation, so a stroke costs one round trip, not one per point. */
export const SAVE_CONFIRM_DELAY_MS = 250;

/**
 * The acknowledgement comes from the standard protocol: our server answers a sync step 1 only after
 * every update it received before it is stored (docs/protocol.md). So we count local changes, send a
 * step 1 tagged with the count at that moment, and the matching step 2 confirms every change up to it.
 * Replies come back in the order of the requests, including the step 1 the provider sends on connect.
 */
export class SaveTracker {
	private localChanges = 0;
	private confirmed = 0;
	/** Change counts of requests awaiting their reply, oldest first; null for the provider's own step 1. */
	private awaiting: Array<number | null> = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	private readonly listeners = new Set<() => void>();
	private readonly originalSyncHandler: SyncHandler;

	constructor(
		private readonly provider: WebsocketProvider,
		private readonly doc: Y.Doc
	) {
		doc.on('update', this.onUpdate);
		provider.on('status', this.onStatus);
		provider.on('sync', this.onSync);
		this.originalSyncHandler = getSyncHandler(provider);
		setSyncHandler(provider, (encoder, decoder, ...rest) => {
			const subtype = decoder.arr[decoder.pos];
			this.originalSyncHandler(encoder, decoder, ...rest);
			if (subtype === syncProtocol.messageYjsSyncStep2) this.onReply();
		});
		if (provider.wsconnected) this.awaiting.push(null);
	}

	get state(): SaveState {
		if (this.confirmed >= this.localChanges) return 'saved';
		return this.provider.wsconnected ? 'saving' : 'unsaved';
	}

	/** Local changes not yet confirmed stored. */
	get unconfirmed(): number {
		return this.localChanges - this.confirmed;
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	destroy(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.doc.off('update', this.onUpdate);
		this.provider.off('status', this.onStatus);
		this.provider.off('sync', this.onSync);
		setSyncHandler(this.provider, this.originalSyncHandler);
		this.listeners.clear();
	}

	/**
	 * Counts a change the server may not have, as the doc's 'update' event does; for a change whose event
	 * was withheld (bulk-sync.ts), such as this browser's stored copy loading.
	 */
	noteLocalChange(): void {
		const wasSaved = this.state === 'saved';
		this.localChanges++;
		this.scheduleConfirm();
		if (wasSaved) this.notify();
	}

	private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin === this.provider) return; // came from the server: already stored there
		this.noteLocalChange();
	};

	private readonly onStatus = ({ status }: { status: string }) => {
		// A new socket starts a new conversation: replies owed on the old one will never come.
		this.awaiting = status === 'connected' ? [null] : [];
		this.notify();
	};

	private readonly onSync = (synced: boolean) => {
		if (synced) this.scheduleConfirm();
	};

	private onReply(): void {
		const count = this.awaiting.shift();
		if (count != null && count > this.confirmed) {
			this.confirmed = count;
			this.notify();
		}
		if (this.confirmed < this.localChanges) this.scheduleConfirm();
	}

	private scheduleConfirm(): void {
		if (this.timer !== null || this.confirmed >= this.localChanges) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.requestConfirm();
		}, SAVE_CONFIRM_DELAY_MS);
	}

	private requestConfirm(): void {
		const ws = this.provider.ws;
		if (!this.provider.synced || !ws || ws.readyState !== ws.OPEN || this.confirmed >= this.localChanges) return;
		// One request at a time is enough: its reply confirms everything up to it, then we ask again.
		if (this.awaiting.some((count) => count !== null)) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(encoder, this.doc);
		this.awaiting.push(this.localChanges);
		ws.send(encoding.toUint8Array(encoder));
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}
}
