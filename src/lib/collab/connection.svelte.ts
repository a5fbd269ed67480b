/** Connects a board's Y.Doc to the sync server (and a local offline copy) and exposes the link and save state reactively. */
import { createSubscriber } from 'svelte/reactivity';
import { on } from 'svelte/events';
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, WS_PATH_PREFIX, describeCloseCode } from '$lib/shared/wire';
import { Reconnector, shouldReconnect } from '$lib/collab/reconnect';
import { SaveTracker, type SaveState } from '$lib/collab/saved';
import { LocalCopy, localDatabaseName } from '$lib/collab/local-copy';
import { splittingWebSocket } from '$lib/collab/split-frames';
import { BULK_SYNC_MIN_ITEMS, itemsAdded, withholdUpdates } from '$lib/collab/bulk-sync';
import { holdSyncUntil } from '$lib/collab/hold-sync';

/** `stopped`: the server refused our data (a fatal close code); we do not retry until asked. */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'stopped';

/** How often a "retrying in N s" countdown is refreshed while a retry is scheduled. */
const COUNTDOWN_TICK_MS = 500;
/** Longest the server's sync waits for this browser's copy to load and the preview to be drawn (hold-sync.ts); it normally takes tens of ms. */
const SYNC_HOLD_MAX_MS = 1_000;

/** `ws(s)://host/ws`: the provider appends `/<room>` itself. */
export function syncServerUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
	const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
	return `${scheme}://${loc.host}${WS_PATH_PREFIX.replace(/\/$/, '')}`;
}

export interface ConnectionOptions {
	/** Keep a copy in IndexedDB so the board opens (and edits survive) without a network. */
	offlineStore?: boolean;
	/**
	 * The server's sync also waits for this (within the same bound as for the local copy): the board's
	 * preview being drawn, which the sync's decoding would otherwise delay by as long as it takes.
	 */
	syncWaitsFor?: Promise<unknown>;
}

/**
 * What the person can do after a close that stopped syncing. Retrying as is would send the same data
 * and fail the same way; after a reload the doc is rebuilt from the local copy, where deleted content
 * is gone (an in-memory undo history would still hold it).
 */
function fatalAdvice(code: number): string {
	if (code === CloseCode.MessageTooBig) {
		return ' It was not sent. Undo or delete it, then reload the page; everything else is kept on this device.';
	}
	return ' Reload the page to reconnect; your board is kept on this device.';
}

/**
 * Reactive view of one board's connection. Reading a getter in an effect or template
 * subscribes to the provider, reconnector, save tracker and local copy; nothing is polled
 * except the once-a-half-second countdown while a retry is scheduled.
 */
export class BoardConnection {
	readonly provider: WebsocketProvider;
	readonly local: LocalCopy | null;
	readonly saves: SaveTracker;
	readonly reconnector: Reconnector;
	readonly #subscribe: () => void;
	readonly #stopWithholding: () => void;
	readonly #stopHolding: () => void;
	#lastClose: { code: number; reason: string } | null = null;
	#fatal: { code: number; reason: string } | null = null;
	#synced = false;

	constructor(doc: Y.Doc, roomId: string, options: ConnectionOptions = {}) {
		// The local copy first: the board paints from it while the socket is still connecting.
		this.local = options.offlineStore ? new LocalCopy(doc, localDatabaseName(roomId)) : null;
		this.provider = new WebsocketProvider(syncServerUrl(location), roomId, doc, {
			shouldReconnect,
			WebSocketPolyfill: splittingWebSocket(WebSocket)
		});
		this.saves = new SaveTracker(this.provider, doc);
		// After the save tracker's wrapper, so it counts replies when they are handled.
		const waits = [this.local?.settled, options.syncWaitsFor].filter((wait) => wait !== undefined);
		const hold = waits.length > 0 ? holdSyncUntil(this.provider, Promise.allSettled(waits), SYNC_HOLD_MAX_MS) : null;
		this.#stopHolding = () => hold?.stop();
		const local = this.local;
		// Two loads skip the 'update' listeners, which would encode the whole board once more:
		// - A connection's first sync, when large (the whole board on a first visit): the provider and the
		//   save tracker ignore what came from the server, and the local copy is written whole once the
		//   board is on screen. (The provider turns `synced` on only after applying that step 2, and off
		//   again when the socket closes.)
		// - The stored copy loading while the server's sync is held: the provider would send the whole
		//   board to the server and to other tabs. The server gets what it lacks in our reply to its step 1,
		//   handled after the load; the save tracker counts the load as a change until the server confirms it.
		this.#stopWithholding = withholdUpdates(
			doc,
			(tr) =>
				(tr.origin === this.provider && !this.provider.synced && itemsAdded(tr) >= BULK_SYNC_MIN_ITEMS) ||
				(local !== null && tr.origin === local.persistence && hold !== null && hold.holding),
			(tr) => (tr.origin === this.provider ? local?.storeWholeDoc() : this.saves.noteLocalChange())
		);
		this.reconnector = new Reconnector(this.provider);
		const p = this.provider;
		p.on('connection-close', (event) => {
			if (event) this.#lastClose = { code: event.code, reason: event.reason };
		});
		p.on('closed', (event) => (this.#fatal = event));
		p.on('sync', (synced) => {
			this.#synced = synced;
			if (synced) this.#lastClose = null;
		});
		this.#subscribe = createSubscriber((update) => {
			const handlers = ['status', 'sync', 'connection-close', 'closed'] as const;
			for (const name of handlers) p.on(name, update);
			const offs = [
				this.reconnector.onChange(update),
				this.saves.onChange(update),
				this.local?.onChange(update) ?? (() => {}),
				on(window, 'online', update),
				on(window, 'offline', update)
			];
			const ticker = setInterval(() => {
				if (this.reconnector.state.nextAttemptAt !== null) update();
			}, COUNTDOWN_TICK_MS);
			return () => {
				for (const name of handlers) p.off(name, update);
				for (const off of offs) off();
				clearInterval(ticker);
			};
		});
	}

	get status(): ConnectionStatus {
		this.#subscribe();
		const p = this.provider;
		if (this.#fatal) return 'stopped';
		if (p.wsconnected && this.#synced) return 'connected';
		if (!navigator.onLine) return 'offline';
		// A failed attempt means the server is unreachable right now: say so rather than spin.
		if (this.reconnector.state.attempt > 0 && !p.wsconnected) return 'offline';
		return 'connecting';
	}

	/** Why we are not connected, in words, or '' when all is well. */
	get message(): string {
		const status = this.status;
		if (status === 'connected') return '';
		if (this.#fatal) return describeCloseCode(this.#fatal.code, this.#fatal.reason) + fatalAdvice(this.#fatal.code);
		if (this.#lastClose && this.#lastClose.code !== 1006) {
			return describeCloseCode(this.#lastClose.code, this.#lastClose.reason);
		}
		if (status === 'offline') return 'Cannot reach the server; your changes are kept and will sync when it is back.';
		return 'Connecting to the board…';
	}

	/** Whole seconds until the next reconnection attempt, or null when none is scheduled. */
	get retryInSeconds(): number | null {
		this.#subscribe();
		const at = this.reconnector.state.nextAttemptAt;
		return at === null ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
	}

	/** 'saved': the server stored every local change; 'saving': on their way; 'unsaved': not connected. */
	get save(): SaveState {
		this.#subscribe();
		return this.saves.state;
	}

	/** This browser's copy holds every change (closing the tab loses nothing, even unsaved). */
	get keptLocally(): boolean {
		this.#subscribe();
		return this.local?.upToDate ?? false;
	}

	/** Closing now would lose changes: the server has not confirmed them and no local copy holds them. */
	get unsafeToClose(): boolean {
		return this.saves.unconfirmed > 0 && !(this.local?.upToDate ?? false);
	}

	/** The last close code from the server, for tests and diagnostics. */
	get lastCloseCode(): number | null {
		this.#subscribe();
		return this.#fatal?.code ?? this.#lastClose?.code ?? null;
	}

	/** Reconnects now instead of waiting for the scheduled retry. */
	retryNow(): void {
		this.reconnector.retryNow();
	}

	destroy(): void {
		this.#stopHolding();
		this.#stopWithholding();
		this.reconnector.destroy();
		this.saves.destroy();
		this.provider.destroy();
		this.local?.destroy();
	}
}
