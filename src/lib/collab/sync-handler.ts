/** The provider's handler for sync messages, as y-websocket calls it: modules that wrap it (saved.ts, hold-sync.ts) share this view of it. */
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_SYNC } from '$lib/shared/wire';

export type SyncHandler = (
	encoder: encoding.Encoder,
	decoder: decoding.Decoder,
	provider: WebsocketProvider,
	emitSynced: boolean,
	messageType: number
) => void;

/** The provider's handler table (y-websocket types it loosely), indexed by message type. */
function handlers(provider: WebsocketProvider): SyncHandler[] {
	return provider.messageHandlers as unknown as SyncHandler[];
}

export function getSyncHandler(provider: WebsocketProvider): SyncHandler {
	return handlers(provider)[MESSAGE_SYNC]!;
}

export function setSyncHandler(provider: WebsocketProvider, handler: SyncHandler): void {
	handlers(provider)[MESSAGE_SYNC] = handler;
}
