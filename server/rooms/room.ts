/** One loaded board: its Y.Doc, its connections and presence, and the rule that nothing is relayed before it is stored. */
import * as Y from 'yjs';
import { Board, boxesOverlap, listShapes, shapeBounds, storedFields, type Box, type Shape } from '../../src/lib/shared/model/index.ts';
import { CloseCode, MAX_AWARENESS_FRAME_BYTES } from '../../src/lib/shared/wire.ts';
import type { Logger } from '../log.ts';
import {
	ProtocolError,
	decodeAwarenessUpdate,
	decodeFrame,
	encodeAwareness,
	encodeAwarenessUpdate,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	type AwarenessEntry
} from '../frames.ts';
import type { RoomStorage } from '../storage/types.ts';
import { RoomAwareness } from './awareness.ts';
import type { Connection } from './connection.ts';

export interface RoomOptions {
	storage: RoomStorage;
	log: Logger;
	/** Compact the log into a snapshot once it holds this many updates and a quarter of the snapshot's bytes… */
	compactAfterUpdates: number;
	/** …or, whatever the snapshot's size, this many bytes. */
	compactAfterBytes: number;
	/** Compact a non-empty log once no update arrived for this long (the board is at rest). */
	compactWhenIdleMs: number;
	/** Called once when the room can no longer serve (storage failed, unloaded, shut down). */
	onGone(room: Room): void;
}

type Outgoing = { to: Connection; frame: Uint8Array } | { except: Connection | null; frame: Uint8Array };

function sameState(a: Map<number, number>, b: Map<number, number>): boolean {
	if (a.size !== b.size) return false;
	for (const [client, clock] of a) if (b.get(client) !== clock) return false;
	return true;
}

export class Room {
	readonly connections = new Set<Connection>();
	readonly awareness = new RoomAwareness<Connection>();
	private readonly log: Logger;
	private doc = new Y.Doc({ gc: true });
	/** The board model over `doc`, for previews. */
	private board: Board | null = null;
	private status: 'ready' | 'rebuilding' | 'gone' = 'ready';
	/** Frames received while the doc is being rebuilt; replayed in arrival order. */
	private held: Array<[Connection, Uint8Array]> = [];

	/** Updates applied to the doc but not yet stored, and frames that must wait for them. */
	private pending: Uint8Array[] = [];
	private outbox: Outgoing[] = [];
	private flushScheduled = false;
	private flushing: Promise<void> | null = null;

	private lastSeq = 0;
	private logUpdates = 0;
	private logBytes = 0;
	private snapshotBytes = 0;
	private idleTimer: NodeJS.Timeout | null = null;
	private lastApplyChanged = false;
	/** The sync step 2 holding the whole doc, for joiners that have nothing yet; dropped whenever the doc changes. */
	private fullStateReply: Uint8Array | null = null;
	/**
	 * The board's shapes for previews, in stacking order, each with its bounds: read once per state of the
	 * doc, like `fullStateReply` (many open a shared link at about the same time).
	 */
	private previewShapes: Array<{ bounds: Box; shape: Shape }> | null = null;

	private constructor(
		readonly name: string,
		private readonly options: RoomOptions
	) {
		this.log = options.log.child({ room: name });
	}

	/** Loads the room's snapshot and log from storage into a fresh doc. */
	static async load(name: string, options: RoomOptions): Promise<Room> {
		const room = new Room(name, options);
		await room.loadDoc();
		return room;
	}

	private async loadDoc(): Promise<void> {
		const started = performance.now();
		const stored = await this.options.storage.load(this.name);
		const doc = new Y.Doc({ gc: true });
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		let skipped = 0;
		for (const update of stored.updates) {
			try {
				Y.applyUpdate(doc, update);
			} catch {
				skipped++;
			}
		}
		if (skipped > 0) this.log.error({ skipped }, 'stored updates could not be applied and were skipped');
		this.doc.destroy();
		this.doc = doc;
		this.board = null;
		this.docChanged();
		this.doc.on('afterTransaction', (tr: Y.Transaction) => {
			this.lastApplyChanged = tr.deleteSet.clients.size > 0 || !sameState(tr.beforeState, tr.afterState);
		});
		this.lastSeq = stored.lastSeq;
		this.snapshotBytes = stored.snapshot?.byteLength ?? 0;
		this.logUpdates = stored.updates.length;
		this.logBytes = stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
		this.log.info(
			{ ms: Math.round(performance.now() - started), logUpdates: this.logUpdates, snapshotBytes: stored.snapshot?.byteLength ?? 0 },
			'room loaded'
		);
	}

	get isGone(): boolean {
		return this.status === 'gone';
	}

	join(conn: Connection): void {
		this.connections.add(conn);
		conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
		const present = this.awareness.all();
		if (present.length > 0) conn.send(encodeAwareness(encodeAwarenessUpdate(present)));
		const backlog = conn.backlog;
		conn.backlog = [];
		for (const frame of backlog) this.receive(conn, frame);
	}

	leave(conn: Connection): void {
		if (!this.connections.delete(conn)) return;
		const removed = this.awareness.removeOwner(conn);
		if (removed.length > 0) this.deliver({ except: null, frame: encodeAwareness(encodeAwarenessUpdate(removed)) });
	}

	/** Handles one binary frame of `conn`; frames of a connection are handled in the order they arrive. */
	receive(conn: Connection, data: Uint8Array): void {
		if (conn.closed || this.status === 'gone') return;
		if (this.status === 'rebuilding') {
			this.held.push([conn, data]);
			return;
		}
		try {
			this.handle(conn, data);
		} catch (error) {
			if (error instanceof ProtocolError) {
				conn.log.warn({ code: error.code, reason: error.message }, 'bad frame, closing connection');
				conn.close(error.code, error.message);
			} else {
				conn.log.error({ err: error }, 'frame handler failed, closing connection');
				conn.close(CloseCode.InternalError, 'internal error');
			}
		}
	}

	private handle(conn: Connection, data: Uint8Array): void {
		const frame = decodeFrame(data);
		switch (frame.kind) {
			case 'sync-step1': {
				let reply: Uint8Array;
				try {
					reply = this.syncReplyFor(frame.stateVector);
				} catch {
					throw new ProtocolError(CloseCode.InvalidPayload, 'malformed state vector');
				}
				// The reply may carry updates still being stored; it waits for them like any relay.
				this.send(conn, reply);
				return;
			}
			case 'sync-step2':
			case 'update':
				// A client's step 2 must reach peers as a plain update: a step 2 would mark them synced.
				this.applyClientUpdate(conn, frame.update, frame.kind === 'update' ? data : null);
				return;
			case 'awareness':
				this.applyAwareness(conn, frame.update);
				return;
			case 'query-awareness':
				conn.send(encodeAwareness(encodeAwarenessUpdate(this.awareness.all())));
				return;
		}
	}

	/**
	 * What a client with `stateVector` lacks. A fresh visitor (empty state vector) gets the whole doc,
	 * encoded once for all of them: when a link is shared, many open a big board at about the same time.
	 */
	private syncReplyFor(stateVector: Uint8Array): Uint8Array {
		if (stateVector.byteLength === 1 && stateVector[0] === 0) {
			return (this.fullStateReply ??= encodeSyncStep2(Y.encodeStateAsUpdate(this.doc)));
		}
		return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
	}

	/** Drops what was derived from the doc as it was. */
	private docChanged(): void {
		this.fullStateReply = null;
		this.previewShapes = null;
	}

	/**
	 * The board's valid shapes whose bounds meet `view` (all of them without one), in stacking order, as
	 * `{"total":<shapes on the board>,"shapes":[…]}`, each shape its id and the fields the doc stores (those
	 * at their default are left out): a first visit draws what is in its view while the Yjs sync (the whole
	 * board, which the browser must decode before it can draw anything) is on its way.
	 * Like anything else that leaves the server, it holds only stored updates: null when the room
	 * cannot say (gone, rebuilding, or updates kept arriving while it waited for them to be stored).
	 */
	async preview(view: Box | null = null): Promise<string | null> {
		for (let attempt = 0; attempt < 3; attempt++) {
			if (this.status !== 'ready') return null;
			if (this.pending.length === 0 && this.flushing === null) {
				try {
					const all = (this.previewShapes ??= this.readPreviewShapes());
					const shown = view ? all.filter(({ bounds }) => boxesOverlap(bounds, view)) : all;
					return JSON.stringify({ total: all.length, shapes: shown.map(({ shape }) => storedFields(shape)) });
				} catch (error) {
					this.log.error({ err: error }, 'preview failed');
					return null;
				}
			}
			await this.flush();
		}
		return null;
	}

	private readPreviewShapes(): Array<{ bounds: Box; shape: Shape }> {
		this.board ??= new Board(this.doc, { warn: (message) => this.log.warn(message) });
		return listShapes(this.board).map((shape) => ({ bounds: shapeBounds(shape), shape }));
	}

	private applyClientUpdate(conn: Connection, update: Uint8Array, frame: Uint8Array | null): void {
		const store = this.doc.store;
		const pendingBefore = [store.pendingStructs, store.pendingDs];
		try {
			Y.applyUpdate(this.doc, update, conn);
		} catch {
			// Yjs may have integrated part of the update before failing: rebuild from what is stored.
			this.docChanged();
			void this.rebuild();
			throw new ProtocolError(CloseCode.InvalidPayload, 'update cannot be applied');
		}
		const parked = store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1];
		if (!this.lastApplyChanged && !parked) return; // nothing new: neither stored nor relayed
		this.docChanged();
		// Frames are handed over owned (ws.ts), so the update and the frame are kept without a copy.
		this.pending.push(update);
		this.deliver({ except: conn, frame: frame ?? encodeUpdate(update) });
	}

	private applyAwareness(conn: Connection, update: Uint8Array): void {
		if (update.byteLength > MAX_AWARENESS_FRAME_BYTES) {
			throw new ProtocolError(CloseCode.MessageTooBig, `awareness update over ${MAX_AWARENESS_FRAME_BYTES} bytes`);
		}
		const { accepted, spoofed } = this.awareness.apply(conn, decodeAwarenessUpdate(update));
		if (spoofed > 0) conn.log.warn({ spoofed }, 'dropped awareness entries for client ids this connection does not own');
		if (accepted.length > 0) this.relayAwareness(accepted);
	}

	private relayAwareness(entries: AwarenessEntry[]): void {
		const frame = encodeAwareness(encodeAwarenessUpdate(entries));
		// Presence is never stored, so it need not wait for the log: send it at once. The sender gets
		// its own entry back too: y-websocket clients count it as a sign of life (they drop a
		// connection that received nothing for 30 s) and it is how they learn the entry was accepted.
		for (const peer of this.connections) peer.send(frame);
	}

	/** Sends a frame that depends on the doc: it leaves only after every update before it is stored. */
	private send(to: Connection, frame: Uint8Array): void {
		if (this.pending.length === 0 && this.flushing === null) to.send(frame);
		else this.deliver({ to, frame });
	}

	private deliver(message: Outgoing): void {
		this.outbox.push(message);
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			// One tick's updates go to storage in one transaction, then out to the peers.
			setImmediate(() => {
				this.flushScheduled = false;
				void this.flush();
			});
		}
	}

	/** Stores pending updates, then sends what waited for them. Resolves when nothing is pending. */
	flush(): Promise<void> {
		if (this.flushing) return this.flushing;
		if (this.pending.length === 0 && this.outbox.length === 0) return Promise.resolve();
		this.flushing = this.drain().finally(() => {
			this.flushing = null;
		});
		return this.flushing;
	}

	private async drain(): Promise<void> {
		while (this.pending.length > 0 || this.outbox.length > 0) {
			const batch = this.pending;
			const outgoing = this.outbox;
			this.pending = [];
			this.outbox = [];
			if (batch.length > 0) {
				try {
					this.lastSeq = await this.options.storage.append(this.name, batch);
				} catch (error) {
					this.fail(error);
					return;
				}
				this.logUpdates += batch.length;
				for (const update of batch) this.logBytes += update.byteLength;
			}
			this.sendAll(outgoing);
		}
		if (this.logUpdates === 0) return;
		if (this.compactionDue()) await this.compact();
		else this.armIdleCompaction();
	}

	/**
	 * Compaction re-encodes the whole board on the event loop (a 10k-shape board: ~2.5 MB, ~200 ms),
	 * so its cost is kept in proportion: the log must also have grown to a quarter of the snapshot.
	 * Small boards still compact every `compactAfterUpdates`; big ones less often, and when at rest.
	 */
	private compactionDue(): boolean {
		const { compactAfterUpdates, compactAfterBytes } = this.options;
		if (this.logBytes >= compactAfterBytes) return true;
		return this.logUpdates >= compactAfterUpdates && this.logBytes * 4 >= this.snapshotBytes;
	}

	private armIdleCompaction(): void {
		if (this.idleTimer) {
			this.idleTimer.refresh();
			return;
		}
		this.idleTimer = setTimeout(() => {
			this.idleTimer = null;
			if (this.status === 'ready' && this.flushing === null && this.pending.length === 0) void this.compact();
		}, this.options.compactWhenIdleMs);
		this.idleTimer.unref();
	}

	/** Sends a flush's frames with every socket corked, so a peer gets one write for all its frames of the tick. */
	private sendAll(outgoing: Outgoing[]): void {
		// One frame leaves in one write anyway. Sends never change the set (a close is handled later, on its event).
		const cork = outgoing.length > 1;
		if (cork) for (const peer of this.connections) peer.cork();
		try {
			for (const message of outgoing) {
				if ('to' in message) message.to.send(message.frame);
				else for (const peer of this.connections) if (peer !== message.except) peer.send(message.frame);
			}
		} finally {
			if (cork) for (const peer of this.connections) peer.uncork();
		}
	}

	/** Replaces the log with one snapshot. Only called with nothing pending, so the snapshot covers `lastSeq`. */
	private async compact(): Promise<void> {
		if (this.logUpdates === 0 || this.status === 'gone') return;
		const started = performance.now();
		const snapshot = Y.encodeStateAsUpdate(this.doc);
		const throughSeq = this.lastSeq;
		try {
			await this.options.storage.compact(this.name, snapshot, throughSeq);
		} catch (error) {
			// The old snapshot and log are still valid; compaction is retried after later updates.
			this.log.error({ err: error }, 'compaction failed');
			return;
		}
		this.log.debug({ ms: Math.round(performance.now() - started), bytes: snapshot.byteLength, updates: this.logUpdates }, 'compacted');
		this.logUpdates = 0;
		this.logBytes = 0;
		this.snapshotBytes = snapshot.byteLength;
	}

	/** After an update failed half-way, reload the doc from storage; frames meanwhile wait in order. */
	private async rebuild(): Promise<void> {
		if (this.status !== 'ready') return;
		this.status = 'rebuilding';
		this.log.warn('rebuilding room from storage after a rejected update');
		try {
			await this.flush();
			if (this.status !== 'rebuilding') return;
			await this.loadDoc();
		} catch (error) {
			this.fail(error);
			return;
		}
		this.status = 'ready';
		const held = this.held;
		this.held = [];
		for (const [conn, data] of held) this.receive(conn, data);
	}

	/** Storage failed: what is in memory may not be stored, so drop the room; clients still hold their edits. */
	private fail(error: unknown): void {
		if (this.status === 'gone') return;
		this.log.error({ err: error }, 'storage failed; closing the room');
		this.close(CloseCode.TryAgainLater, 'storage unavailable');
	}

	/** Stores everything, compacts, and frees the doc. Used when the room empties and at shutdown. */
	async unload(code: number = CloseCode.GoingAway, reason = 'server shutting down'): Promise<void> {
		try {
			await this.flush();
			await this.compact();
		} finally {
			// Even if storing failed (it was logged), the room must end gone so the next join reloads from disk.
			this.close(code, reason);
		}
	}

	private close(code: number, reason: string): void {
		if (this.status === 'gone') return;
		this.status = 'gone';
		if (this.idleTimer) clearTimeout(this.idleTimer);
		for (const conn of this.connections) conn.close(code, reason);
		this.connections.clear();
		this.pending = [];
		this.outbox = [];
		this.held = [];
		this.doc.destroy();
		this.options.onGone(this);
	}
}
