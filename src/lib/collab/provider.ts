/**
 * The board's link to the sync server, built on y-protocols: sync and awareness as standard binary frames
 * over one WebSocket to `ws(s)://host/ws/<room>?token=<token>` (docs/protocol.md), mirrored to this browser's
 * other tabs of the board. A frame from the server goes through hold → apply → acknowledge; a change made
 * here goes through acknowledge → split → socket; a close goes to retry, unless its code says retrying cannot
 * help. A read-only provider (a viewer's) sends nothing of its doc, only its presence.
 */
import * as decoding from 'lib0/decoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
	FATAL_CLOSE_CODES,
	MESSAGE_AUTH,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP1,
	SYNC_STEP2,
	SYNC_UPDATE
} from '$lib/shared/wire';
import { RetrySchedule, type RetryState } from '$lib/collab/backoff';
import { SaveTracker } from '$lib/collab/save-tracker';
import { presenceMessage, syncMessage } from '$lib/collab/messages';
import { splitSyncFrame } from '$lib/collab/split-frames';
import { SyncHold } from '$lib/collab/sync-hold';
import { TabChannel } from '$lib/collab/tab-channel';

/**
 * A socket that heard nothing for this long is presumed dead and replaced. The server echoes every
 * client's own awareness renewal (y-protocols renews at half its 30 s timeout), so a live one never goes this quiet.
 */
export const LIVENESS_TIMEOUT_MS = 30_000;

/**
 * The heartbeat, once a socket is synced: when it has heard nothing for this long, the provider asks the server
 * for the board's presence (an awareness query, messageQueryAwareness), which any y-websocket server answers
 * with an awareness frame. One second because the server answers a connection's queries at most once a second
 * (server/rooms/room.ts, AWARENESS_QUERY_INTERVAL_MS): a faster heartbeat would only wait there. A busy board
 * sends none, since every frame from the server counts as having heard from it.
 */
export const HEARTBEAT_INTERVAL_MS = 1_000;

/**
 * A synced socket whose heartbeat has had no answer (nor any other frame) for this long is presumed lost and
 * replaced: with the interval above, a dead connection shows as offline in about 3.5 s instead of the 30 s TCP
 * may take (the browser's offline event, when it comes, is at once). Not shorter: a server or a tab busy for a
 * second or two (a big board loading) must not look dead. Before the first sync the whole board may be on its
 * way in one long frame, so only LIVENESS_TIMEOUT_MS applies then.
 */
export const HEARTBEAT_TIMEOUT_MS = 2_500;

export type SocketState = 'connecting' | 'open' | 'closed';

export interface CloseInfo {
	code: number;
	reason: string;
}

export interface ProviderOptions {
	/** The token the socket is opened with (`?token=`); none for an unclaimed board. */
	token?: string | null;
	/** Open no socket until `connectWith` (the page is still finding out which token to use). */
	deferConnect?: boolean;
	/** Send nothing of the doc (a viewer): see `readOnly`. */
	readOnly?: boolean;
	/** The WebSocket class: the browser's by default; Node has none built in, so tests pass `ws`'s. */
	WebSocket?: typeof WebSocket;
	/** Keep the server's sync messages unread until `releaseHold()` (see sync-hold.ts). */
	holdSync?: boolean;
	/** Mirror frames to this browser's other tabs of the board. */
	shareWithTabs?: boolean;
	/** Retry at once when the network returns or the tab becomes visible; close at once when the network goes (`offline`); take our presence away when the page goes. */
	pageEvents?: boolean;
	livenessTimeoutMs?: number;
	heartbeatIntervalMs?: number;
	heartbeatTimeoutMs?: number;
	/** Jitter of the backoff (tests pass a constant). */
	random?: () => number;
}

const WS_OPEN = 1;
/** The heartbeat's frame: y-protocols' awareness query, which carries nothing else. */
const QUERY_AWARENESS = new Uint8Array([MESSAGE_QUERY_AWARENESS]);

export class SyncProvider {
	readonly awareness: awarenessProtocol.Awareness;
	/** The acknowledgement stage ("saved"). */
	readonly saves: SaveTracker;
	readonly #hold: SyncHold;
	readonly #retry: RetrySchedule;
	#tabs: TabChannel | null = null;
	readonly #shareWithTabs: boolean;
	readonly #WebSocket: typeof WebSocket;
	readonly #livenessMs: number;
	readonly #heartbeatMs: number;
	readonly #heartbeatTimeoutMs: number;
	readonly #liveness: ReturnType<typeof setInterval>;
	readonly #listeners = new Set<() => void>();
	#detachPage = () => {};
	#socket: WebSocket | null = null;
	/** Tells sockets apart for the hold: a frame of a closed one belongs to a conversation that is over. */
	#socketId = 0;
	#state: SocketState = 'closed';
	#synced = false;
	#lastMessageAt = 0;
	/** When this socket's unanswered heartbeat (awareness query) went out; null once anything arrived after it. */
	#heartbeatSentAt: number | null = null;
	#lastClose: CloseInfo | null = null;
	#fatal: CloseInfo | null = null;
	#destroyed = false;
	#token: string | null;
	#readOnly: boolean;
	/** No socket until `connectWith` (deferred start, or `disconnect`). */
	#paused: boolean;

	constructor(
		readonly doc: Y.Doc,
		/** `ws(s)://host/ws/<room>`, without the token (it also names the channel to this browser's other tabs of the board). */
		readonly url: string,
		options: ProviderOptions = {}
	) {
		this.#WebSocket = options.WebSocket ?? WebSocket;
		this.#livenessMs = options.livenessTimeoutMs ?? LIVENESS_TIMEOUT_MS;
		this.#heartbeatMs = options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
		this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
		this.#token = options.token ?? null;
		this.#readOnly = options.readOnly ?? false;
		this.#paused = options.deferConnect ?? false;
		this.#shareWithTabs = options.shareWithTabs ?? false;
		this.awareness = new awarenessProtocol.Awareness(doc);
		const provider = this;
		this.saves = new SaveTracker(
			{
				get open() {
					return provider.#state === 'open';
				},
				get synced() {
					return provider.#synced;
				},
				askServer: () => this.#send(syncMessage(SYNC_STEP1, Y.encodeStateVector(doc)))
			},
			() => this.#changed()
		);
		this.#hold = new SyncHold(options.holdSync ?? false);
		this.#retry = new RetrySchedule(() => this.#connect(), () => this.#changed(), options.random);
		this.awareness.on('update', this.#onAwareness);
		this.#liveness = setInterval(this.#checkLiveness, Math.min(this.#livenessMs / 10, this.#heartbeatMs / 4));
		if (options.pageEvents && typeof window !== 'undefined') this.#listenToPage();
		this.#openTabs();
		this.#connect();
	}

	get socketState(): SocketState {
		return this.#state;
	}

	/** This socket's first sync is done: the doc holds what the server held when it answered. */
	get synced(): boolean {
		return this.#synced;
	}

	get holding(): boolean {
		return this.#hold.holding;
	}

	get retryState(): Readonly<RetryState> {
		return this.#retry.state;
	}

	/** The last close since the last sync, or null. */
	get lastClose(): CloseInfo | null {
		return this.#lastClose;
	}

	/** The close that stopped syncing for good (a code in FATAL_CLOSE_CODES), or null. */
	get fatalClose(): CloseInfo | null {
		return this.#fatal;
	}

	/** The token sockets are opened with. */
	get token(): string | null {
		return this.#token;
	}

	/**
	 * A viewer's provider sends nothing of its doc: no reply to the server's sync step 1, no updates, and
	 * no exchange with other tabs (whose own replies would carry it to the server). The server would drop
	 * it anyway; not sending it means a viewer's copy holding changes the server lacks never offers them again and again.
	 */
	get readOnly(): boolean {
		return this.#readOnly;
	}

	setReadOnly(readOnly: boolean): void {
		if (readOnly === this.#readOnly) return;
		this.#readOnly = readOnly;
		if (readOnly) {
			this.#tabs?.close();
			this.#tabs = null;
		} else {
			this.#openTabs();
		}
		this.#changed();
	}

	/**
	 * Opens a new socket with `token` now (a fresh token from the page, a reset edit link, the first
	 * token after a claim), closing the current one; a fatal close of the old token is forgotten.
	 */
	connectWith(token: string | null): void {
		if (this.#destroyed) return;
		this.#token = token;
		this.#fatal = null;
		this.#lastClose = null;
		// Paused while the old socket closes, so that close schedules no retry.
		this.#paused = true;
		this.#retry.cancel();
		if (this.#socket) this.#closed(this.#socket, null);
		this.#paused = false;
		this.#connect();
	}

	/** Closes the socket and opens none until `connectWith` (the page's access ended, or a link is being reset). */
	disconnect(): void {
		this.#paused = true;
		this.#retry.cancel();
		if (this.#socket) this.#closed(this.#socket, null);
		this.#changed();
	}

	/** Called on every change of the state above, the retry schedule or the save state. */
	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Ends the hold: the server's held messages are handled now, in order, replies included. */
	releaseHold(): void {
		if (!this.#hold.holding) return;
		const open = this.#state === 'open' ? this.#socketId : null;
		const { frames, askAgain } = this.#hold.release(open, Y.encodeStateVector(this.doc));
		if (askAgain) this.#send(syncMessage(SYNC_STEP1, Y.encodeStateVector(this.doc)));
		for (const held of frames) this.#handle(this.#socketId, held);
		this.#changed();
	}

	/** A change to send: made here, or loaded from this browser's copy after the hold. Changes the server or another tab sent are not sent back. */
	sendUpdate(update: Uint8Array, origin: unknown): void {
		if (this.#readOnly || origin === this || origin === this.#tabs?.origin) return;
		this.saves.noteLocalChange();
		const message = syncMessage(SYNC_UPDATE, update);
		this.#send(message);
		this.#tabs?.publish(message);
	}

	/** The browser says the network is gone (its `offline` event): the socket is closed now, not when a timeout notices. */
	networkLost(): void {
		if (this.#socket) this.#closed(this.#socket, null);
	}

	/** Reconnects now instead of waiting for the scheduled retry. */
	retryNow(): void {
		this.#retry.retryNow();
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		clearInterval(this.#liveness);
		this.#detachPage();
		this.#retry.cancel();
		this.#hold.stop();
		// Our presence goes at once, not when the server notices the socket closed.
		this.#sendPresenceRemoval();
		this.awareness.off('update', this.#onAwareness);
		if (this.#socket) this.#closed(this.#socket, null);
		this.#tabs?.close();
		this.saves.destroy();
		this.awareness.destroy();
		this.#listeners.clear();
	}

	#connect(): void {
		if (this.#destroyed || this.#fatal || this.#paused || this.#socket) return;
		const socket = new this.#WebSocket(this.#socketUrl());
		socket.binaryType = 'arraybuffer';
		const id = ++this.#socketId;
		this.#socket = socket;
		this.#state = 'connecting';
		socket.onopen = () => this.#opened(socket, id);
		socket.onmessage = (event: MessageEvent) => this.#received(socket, id, event.data);
		socket.onclose = (event: CloseEvent) => this.#closed(socket, { code: event.code, reason: event.reason });
		socket.onerror = () => {}; // a close follows
		this.#changed();
	}

	#socketUrl(): string {
		if (this.#token === null) return this.url;
		return `${this.url}${this.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(this.#token)}`;
	}

	#openTabs(): void {
		if (this.#shareWithTabs && !this.#readOnly && !this.#tabs) this.#tabs = new TabChannel(this.url, this.doc, this.awareness);
	}

	#opened(socket: WebSocket, id: number): void {
		if (socket !== this.#socket) return;
		this.#state = 'open';
		this.#lastMessageAt = Date.now();
		this.#heartbeatSentAt = null;
		this.saves.opened();
		// Ask for what we lack; the hold keeps the question's state vector to tell a stale reply later.
		const vector = Y.encodeStateVector(this.doc);
		this.#hold.asked(id, vector);
		this.#send(syncMessage(SYNC_STEP1, vector));
		if (this.awareness.getLocalState() !== null) this.#send(presenceMessage(this.awareness));
		this.#changed();
	}

	#received(socket: WebSocket, id: number, data: unknown): void {
		if (socket !== this.#socket || !(data instanceof ArrayBuffer)) return;
		this.#lastMessageAt = Date.now();
		this.#heartbeatSentAt = null;
		const message = new Uint8Array(data);
		// Stage 1, hold: the server's sync messages wait for the local copy and the preview (the session releases them).
		if (message[0] === MESSAGE_SYNC && this.#hold.keep(id, message)) return;
		this.#handle(id, message);
	}

	#handle(id: number, message: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(message);
			switch (decoding.readVarUint(decoder)) {
				case MESSAGE_SYNC:
					return this.#handleSync(id, decoder);
				case MESSAGE_AWARENESS:
					return awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
				case MESSAGE_QUERY_AWARENESS:
					return this.#send(presenceMessage(this.awareness));
				case MESSAGE_AUTH:
					// The server's answer to a viewer's write (once per socket): expected only if we sent one anyway.
					return authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) =>
						console.warn(`boardwalk: permission denied to ${this.url}: ${reason}`)
					);
			}
		} catch (error) {
			console.error('boardwalk: a message from the server could not be handled', error);
		}
	}

	#handleSync(id: number, decoder: decoding.Decoder): void {
		const subtype = decoding.readVarUint(decoder);
		if (subtype === SYNC_STEP1) {
			if (this.#readOnly) return;
			// The server asks for what it lacks: the answer goes through the split stage like every change.
			this.#send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, decoding.readVarUint8Array(decoder))));
			return;
		}
		if (subtype !== SYNC_STEP2 && subtype !== SYNC_UPDATE) return;
		// Still the hold stage: the answer to a question asked before the local copy loaded is the whole board, dropped unread.
		if (subtype === SYNC_STEP2 && this.#hold.dropStale(id)) return;
		// Stage 2, apply. An update Yjs cannot apply is logged and skipped, as y-protocols does, so replies stay paired with questions.
		try {
			Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), this);
		} catch (error) {
			console.error('boardwalk: an update from the server could not be applied', error);
		}
		if (subtype !== SYNC_STEP2) return;
		// Stage 3, acknowledge: each step 2 answers the oldest question on this socket.
		this.saves.replied();
		if (!this.#synced) {
			this.#synced = true;
			this.#lastClose = null;
			this.#retry.synced();
			this.saves.synced();
			this.#changed();
		}
	}

	/** Stage 4, split: a sync frame over the limit goes as one frame per client id. */
	#send(message: Uint8Array): void {
		const socket = this.#socket;
		if (this.#state !== 'open' || !socket || socket.readyState !== WS_OPEN) return;
		for (const part of splitSyncFrame(message)) socket.send(part as Uint8Array<ArrayBuffer>);
	}

	/** Stage 5, retry: `event` is null when we closed the socket ourselves (it went quiet, or the session ended). */
	#closed(socket: WebSocket, event: CloseInfo | null): void {
		if (socket !== this.#socket) return;
		socket.onopen = socket.onmessage = socket.onclose = null;
		socket.onerror = () => {}; // closing a socket still connecting reports an error
		socket.close();
		const wasOpen = this.#state === 'open';
		this.#socket = null;
		this.#state = 'closed';
		this.#synced = false;
		if (wasOpen) {
			// Everyone else left as far as this tab can tell; they come back with the next sync.
			const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID);
			awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
		}
		this.saves.closed();
		if (event) this.#lastClose = event;
		if (event && FATAL_CLOSE_CODES.has(event.code)) {
			// Retrying would send the same data and fail the same way.
			this.#fatal = event;
			this.#retry.cancel();
		} else if (!this.#destroyed && !this.#paused) {
			this.#retry.closed();
		}
		this.#changed();
	}

	/**
	 * Replaces a socket that went quiet for too long. A quiet synced one is asked for a sign of life (the
	 * heartbeat) and replaced if the answer does not come; timed from the question, so a background tab whose
	 * timers the browser slows down still keeps a live socket.
	 */
	readonly #checkLiveness = () => {
		const socket = this.#socket;
		if (this.#state !== 'open' || !socket) return;
		const now = Date.now();
		if (!this.#synced) {
			if (now - this.#lastMessageAt > this.#livenessMs) this.#closed(socket, null);
		} else if (this.#heartbeatSentAt !== null) {
			if (now - this.#heartbeatSentAt > this.#heartbeatTimeoutMs) this.#closed(socket, null);
		} else if (now - this.#lastMessageAt >= this.#heartbeatMs) {
			this.#heartbeatSentAt = now;
			this.#send(QUERY_AWARENESS);
		}
	};

	/** Our own presence changed: to the server and the other tabs. Others' entries are theirs to send. */
	readonly #onAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
		if (origin === this || origin === this.#tabs?.origin) return;
		const ours = this.awareness.clientID;
		if (![...changes.added, ...changes.updated, ...changes.removed].includes(ours)) return;
		const message = presenceMessage(this.awareness);
		this.#send(message);
		this.#tabs?.publish(message);
	};

	/** Our entry as removed (its clock unchanged), without clearing the local state the page may still show. */
	#sendPresenceRemoval(): void {
		const message = presenceMessage(this.awareness, true);
		this.#send(message);
		this.#tabs?.publish(message);
	}

	#listenToPage(): void {
		const retry = () => {
			if (document.visibilityState === 'visible') this.#retry.retryNow();
		};
		const gone = () => this.#sendPresenceRemoval();
		const offline = () => this.networkLost();
		window.addEventListener('online', retry);
		window.addEventListener('offline', offline);
		document.addEventListener('visibilitychange', retry);
		window.addEventListener('pagehide', gone);
		this.#detachPage = () => {
			window.removeEventListener('online', retry);
			window.removeEventListener('offline', offline);
			document.removeEventListener('visibilitychange', retry);
			window.removeEventListener('pagehide', gone);
		};
	}

	#changed(): void {
		for (const listener of this.#listeners) listener();
	}
}
