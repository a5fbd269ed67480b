/** Connects a board's Y.Doc to the sync server (and a local offline copy) and exposes the link state reactively. */
import { createSubscriber } from 'svelte/reactivity';
import { on } from 'svelte/events';
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { FATAL_CLOSE_CODES, WS_PATH_PREFIX, describeCloseCode } from './protocol';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

/** `ws(s)://host/ws`: the provider appends `/<room>` itself. */
export function syncServerUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
	const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
	return `${scheme}://${loc.host}${WS_PATH_PREFIX.replace(/\/$/, '')}`;
}

export interface ConnectionOptions {
	/** Keep a copy in IndexedDB so the board opens (and edits survive) without a network. */
	offlineStore?: boolean;
}

/**
 * Reactive view of one board's connection. Reading `status` or `message` in an
 * effect or template subscribes to the provider's events; nothing is polled.
 */
export class BoardConnection {
	readonly provider: WebsocketProvider;
	readonly #local: IndexeddbPersistence | null;
	readonly #subscribe: () => void;
	#lastClose: { code: number; reason: string } | null = null;
	#fatal = false;
	#synced = false;

	constructor(doc: Y.Doc, roomId: string, options: ConnectionOptions = {}) {
		this.#local = options.offlineStore ? new IndexeddbPersistence(`boardwalk:${roomId}`, doc) : null;
		this.provider = new WebsocketProvider(syncServerUrl(location), roomId, doc, {
			// Retrying a frame the server called malformed or too big would fail the same way forever.
			shouldReconnect: (event) => !FATAL_CLOSE_CODES.has(event.code)
		});
		const p = this.provider;
		p.on('connection-close', (event) => {
			if (event) this.#lastClose = { code: event.code, reason: event.reason };
		});
		p.on('closed', () => (this.#fatal = true));
		p.on('sync', (synced) => {
			this.#synced = synced;
			if (synced) this.#lastClose = null;
		});
		this.#subscribe = createSubscriber((update) => {
			const handlers = ['status', 'sync', 'connection-close', 'closed'] as const;
			for (const name of handlers) p.on(name, update);
			const offOnline = on(window, 'online', update);
			const offOffline = on(window, 'offline', update);
			return () => {
				for (const name of handlers) p.off(name, update);
				offOnline();
				offOffline();
			};
		});
	}

	get status(): ConnectionStatus {
		this.#subscribe();
		const p = this.provider;
		if (p.wsconnected && this.#synced) return 'connected';
		if (this.#fatal || !navigator.onLine) return 'offline';
		// A failed attempt means the server is unreachable right now: say so rather than spin.
		if (p.wsUnsuccessfulReconnects > 0 && !p.wsconnected) return 'offline';
		return 'connecting';
	}

	/** Why we are not connected, in words, or '' when all is well. */
	get message(): string {
		const status = this.status;
		if (status === 'connected') return '';
		if (this.#lastClose && this.#lastClose.code !== 1006) {
			return describeCloseCode(this.#lastClose.code, this.#lastClose.reason);
		}
		if (status === 'offline') return 'Cannot reach the server; your changes are kept and will sync when it is back.';
		return 'Connecting to the board…';
	}

	destroy(): void {
		this.provider.destroy();
		void this.#local?.destroy();
	}
}
