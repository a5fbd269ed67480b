/** One loaded board: its Y.Doc, its connections and presence, and the dispatch of their frames. */
import * as Y from 'yjs';
import type { Box, Shape } from '../../src/lib/shared/model/index.ts';
import { CloseCode, MAX_AWARENESS_FRAME_BYTES } from '../../src/lib/shared/wire.ts';
import type { Logger } from '../log.ts';
import {
	ProtocolError,
	decodeAwarenessUpdate,
	type AwarenessEntry,
	decodeFrame,
	encodeAwareness,
	encodeAwarenessUpdate,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	isEmptyUpdate
} from '../frames.ts';
import { pinPresence } from '../auth/presence.ts';
import type { SeqTracker } from '../cluster/seq-tracker.ts';
import type { RoomStorage } from '../storage/types.ts';
import { RoomAwareness } from './awareness.ts';
import { Compactor, type CompactionPolicy, type CompactionRight } from './compaction.ts';
import type { Connection } from './connection.ts';
import { DurableRelay, type StoredLog } from './durability.ts';
import { imageHashesOf } from './image-refs.ts';
import { PreviewCache } from './preview.ts';
import { RoomClusterSync, type CatchUp, type RemotePresenceOwner, type RoomCluster } from './room-cluster.ts';
import type { VersionEditor, VersionInfo, VersionKind } from '../../src/lib/shared/history.ts';
import { SHAPES_MAP } from '../../src/lib/shared/model/index.ts';
import { deletedShapes, shapesBefore } from '../history/deletions.ts';
import type { HistoryClock, HistoryPolicy } from '../history/policy.ts';
import { HistoryRecorder } from '../history/recorder.ts';

/** A connection gets the board's whole presence on request at most this often. */
export const AWARENESS_QUERY_INTERVAL_MS = 1_000;

/** After an update forced a rebuild, the room decodes every update before applying it for this long (applyClientUpdate). */
export const DECODE_FIRST_AFTER_REBUILD_MS = 10 * 60_000;

export interface RoomOptions {
	storage: RoomStorage;
	log: Logger;
	compaction: CompactionPolicy;
	/** Updates that would take the board's stored size past this are refused (Limits.maxBoardBytes). */
	maxBoardBytes: number;
	/** Called once when the room can no longer serve (storage failed, unloaded, shut down). */
	onGone(room: Room): void;
	/** The other processes serving the same boards (server/cluster/); absent on a single process. */
	cluster?: RoomCluster | null;
	/** Version history (server/history/); absent: the room records none. */
	history?: { policy: HistoryPolicy; clock: HistoryClock } | null;
}

/** The transaction origin of updates that were stored by another process (they are not stored again). */
const STORED_ELSEWHERE = Symbol('stored elsewhere');

/** The room's stored snapshot cannot be read: the board is closed to everyone with 4004 BoardUnreadable. */
export class BoardUnreadableError extends Error {
	constructor(room: string, cause: unknown) {
		super(`room ${room}: the stored snapshot cannot be decoded`, { cause });
		this.name = 'BoardUnreadableError';
	}
}

function sameState(a: Map<number, number>, b: Map<number, number>): boolean {
	if (a.size !== b.size) return false;
	for (const [client, clock] of a) if (b.get(client) !== clock) return false;
	return true;
}

export class Room implements StoredLog {
	readonly connections = new Set<Connection>();
	readonly awareness = new RoomAwareness<Connection | RemotePresenceOwner>();
	private readonly log: Logger;
	private doc = new Y.Doc({ gc: true });
	private status: 'loading' | 'ready' | 'rebuilding' | 'gone' = 'ready';
	private readonly cluster: RoomCluster | null;
	/** On a cluster: the seqs applied here, and other processes' updates (room-cluster.ts). */
	private readonly clusterSync: RoomClusterSync | null;
	/** Frames received while the doc is being rebuilt; replayed in arrival order. */
	private held: Array<[Connection, Uint8Array]> = [];
	private lastApplyChanged = false;
	/** Until then (performance.now()), updates are decoded before they are applied: an update failed half-way lately. */
	private decodeFirstUntil = 0;
	/** Whether storage held nothing for this board when it loaded: a new board (Limits.newBoardsPerMinute). */
	created = false;
	/** The sync step 2 holding the whole doc, for joiners that have nothing yet; dropped whenever the doc changes. */
	private fullStateReply: Uint8Array | null = null;
	private readonly previews: PreviewCache;
	private readonly relay: DurableRelay<Connection>;
	private readonly compactor: Compactor;
	/** The image hashes last recorded in storage by this room (sorted, joined), so an unchanged set is not written again. */
	private recordedRefs: string | null = null;
	/** The image references being recorded, awaited before the room is gone (storage may close right after). */
	private refsWrite: Promise<void> | null = null;
	/** The board's version history; null when the server keeps none. */
	private readonly history: HistoryRecorder | null;

	private constructor(
		readonly name: string,
		private readonly options: RoomOptions
	) {
		this.log = options.log.child({ room: name });
		this.previews = new PreviewCache(this.log);
		const { storage } = options;
		this.cluster = options.cluster ?? null;
		this.clusterSync = this.cluster
			? new RoomClusterSync(name, this.cluster, {
					applyStored: (update) => this.applyStored(update),
					relayUpdate: (update) => this.relay.broadcast(encodeUpdate(update)),
					countForCompaction: (updates, contiguous) => this.compactor.appended(updates, contiguous),
					edited: () => this.history?.edited(),
					stateVector: () => Y.encodeStateVector(this.doc),
					changesSince: (stateVector) => Y.encodeStateAsUpdate(this.doc, stateVector)
				})
			: null;
		const right = this.cluster?.compactionRight(name) ?? null;
		this.compactor = new Compactor({ policy: options.compaction, log: this.log, storage, room: name, source: this, right });
		// On one process the compactor is the log; on a cluster the room is, to publish and count seqs first.
		const log = this.cluster ? this : this.compactor;
		this.relay = new DurableRelay<Connection>({ peers: this.connections, storage, room: name, log, owner: this });
		const history = options.history;
		// On a cluster only the compaction lease's holder writes automatic versions, so each is written once.
		this.history = history ? new HistoryRecorder({ storage, board: name, policy: history.policy, clock: history.clock, log: this.log, source: this, right }) : null;
	}

	/** Loads the room's snapshot and log from storage into a fresh doc. */
	static async load(name: string, options: RoomOptions): Promise<Room> {
		const room = new Room(name, options);
		if (!room.cluster) {
			await room.loadDoc();
			return room;
		}
		room.status = 'loading';
		try {
			await room.cluster.attach(room);
			await room.loadDoc();
		} catch (error) {
			room.status = 'gone';
			room.cluster.detach(room);
			throw error;
		}
		room.status = 'ready';
		room.clusterSync!.replayHeld();
		return room;
	}

	private async loadDoc(): Promise<void> {
		const started = performance.now();
		const stored = await this.options.storage.load(this.name);
		const doc = new Y.Doc({ gc: true });
		try {
			if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		} catch (error) {
			doc.destroy();
			throw new BoardUnreadableError(this.name, error);
		}
		this.created = stored.snapshot === null && stored.updates.length === 0;
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
		this.previews.reset();
		this.docChanged();
		const shapes = this.doc.getMap(SHAPES_MAP);
		this.doc.on('afterTransaction', (tr: Y.Transaction) => {
			this.lastApplyChanged = tr.deleteSet.clients.size > 0 || !sameState(tr.beforeState, tr.afterState);
			if (this.history === null) return;
			// Before garbage collection: the shapes this update deleted can still be read.
			const deleted = deletedShapes(tr, shapes, this.options.history!.policy.largeDelete);
			if (deleted !== null) this.history.beforeDelete(shapesBefore(shapes, deleted));
		});
		this.compactor.loaded(stored);
		this.clusterSync?.loaded(stored.lastSeq);
		this.log.info(
			{ ms: Math.round(performance.now() - started), logUpdates: stored.updates.length, snapshotBytes: stored.snapshot?.byteLength ?? 0 },
			'room loaded'
		);
	}

	/** A batch this process stored (StoredLog, on a cluster): the other processes hear of it, then the compactor counts it. */
	appended(batch: readonly Uint8Array[], lastSeq: number): void {
		this.clusterSync!.stored(batch, lastSeq);
	}

	settle(): Promise<void> {
		return this.compactor.settle();
	}

	/** On a cluster: which stored seqs this room applied (null while it loads, and on a single process). */
	get appliedSeqs(): SeqTracker | null {
		return this.status === 'ready' ? (this.clusterSync?.appliedSeqs ?? null) : null;
	}

	/** Updates another process stored with seqs from `firstSeq` on: applied (once) and relayed to this process's connections. */
	remoteUpdates(firstSeq: number, updates: readonly Uint8Array[]): void {
		if (this.status === 'gone') return;
		this.clusterSync?.remoteUpdates(firstSeq, updates, this.status === 'ready');
	}

	/** What storage held past this room's applied seqs (ClusterStorage.readSince): applied, and what changed relayed as one update. */
	caughtUp(found: CatchUp): void {
		if (this.status !== 'ready') return;
		this.clusterSync?.caughtUp(found);
	}

	/** Applies an update that is stored already; whether it changed the doc. */
	private applyStored(update: Uint8Array): boolean {
		this.lastApplyChanged = false;
		try {
			Y.applyUpdate(this.doc, update, STORED_ELSEWHERE);
		} catch (error) {
			// The process that stored it applied it; a stored update that fails here is skipped, as at load.
			this.log.error({ err: error }, 'a stored update from another process could not be applied and was skipped');
			return false;
		}
		if (this.lastApplyChanged) this.docChanged();
		return this.lastApplyChanged;
	}

	/** Presence another process accepted from its connections (an awareness update). */
	remotePresence(owner: RemotePresenceOwner, update: Uint8Array): void {
		if (this.status === 'gone') return;
		let entries;
		try {
			entries = decodeAwarenessUpdate(update);
		} catch {
			return;
		}
		const accepted = this.awareness.applyRemote(owner, entries);
		if (accepted.length > 0) this.sendPresence(accepted, null);
	}

	/** Drops other processes' presence entries that `drop` picks (a dead process's, or entries not renewed in time). */
	dropRemotePresence(drop: (owner: Connection | RemotePresenceOwner, at: number) => boolean): void {
		if (this.status === 'gone') return;
		const removed = this.awareness.removeRemote(drop);
		if (removed.length > 0) this.relay.broadcast(encodeAwareness(encodeAwarenessUpdate(removed)));
	}

	get isGone(): boolean {
		return this.status === 'gone';
	}

	/** The whole board as one update, for a compaction (CompactionSource). */
	snapshot(): Uint8Array {
		return Y.encodeStateAsUpdate(this.doc);
	}

	/** A compaction was stored (CompactionSource): the board's image references go with it. */
	compacted(): void {
		void this.recordImageRefs();
	}

	/**
	 * Records in storage which images the board's shapes reference now (ImageStorage.touchImageRefs), for
	 * the collector. Read from the doc, which holds at least what is stored: a reference not stored yet is
	 * kept a little early, never dropped. A failure is logged; the next compaction records them again.
	 */
	recordImageRefs(): Promise<void> {
		if (this.status === 'gone' || this.status === 'loading') return Promise.resolve();
		const hashes = [...imageHashesOf(this.doc)].sort();
		const key = hashes.join(',');
		if (key === this.recordedRefs) return this.refsWrite ?? Promise.resolve();
		this.recordedRefs = key;
		const previous = this.refsWrite ?? Promise.resolve();
		const write = previous
			.then(() => this.options.storage.touchImageRefs(this.name, hashes, Date.now()))
			.catch((error: unknown) => {
				if (this.recordedRefs === key) this.recordedRefs = null;
				this.log.error({ err: error }, 'recording the board\'s image references failed');
			})
			.finally(() => {
				if (this.refsWrite === write) this.refsWrite = null;
			});
		this.refsWrite = write;
		return write;
	}

	/** Serving, with every update stored: a compaction now covers everything (CompactionSource). */
	get settled(): boolean {
		return this.status === 'ready' && this.relay.idle;
	}

	join(conn: Connection): void {
		this.connections.add(conn);
		conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
		const present = this.awareness.all();
		if (present.length > 0) conn.send(encodeAwareness(encodeAwarenessUpdate(present)));
		const backlog = conn.takeBacklog();
		for (const frame of backlog) this.receive(conn, frame);
	}

	leave(conn: Connection): void {
		if (!this.connections.delete(conn)) return;
		const removed = this.awareness.removeOwner(conn);
		if (removed.length === 0) return;
		const update = encodeAwarenessUpdate(removed);
		this.relay.broadcast(encodeAwareness(update));
		this.cluster?.presence(this.name, update);
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
				this.relay.send(conn, reply);
				return;
			}
			case 'sync-step2':
			case 'update':
				// A viewer's writes are dropped before the doc sees them (an empty step 2 is no write).
				if (conn.grant.access !== 'edit') {
					if (!isEmptyUpdate(frame.update)) conn.denyWrite();
					return;
				}
				// A client's step 2 must reach peers as a plain update: a step 2 would mark them synced.
				this.applyClientUpdate(conn, frame.update, frame.kind === 'update' ? data : null);
				return;
			case 'awareness':
				this.applyAwareness(conn, frame.update);
				return;
			case 'query-awareness':
				this.answerQuery(conn);
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
		this.previews.invalidate();
	}

	private applyClientUpdate(conn: Connection, update: Uint8Array, frame: Uint8Array | null): void {
		const { maxBoardBytes } = this.options;
		if (this.compactor.storedBytes + this.relay.pendingBytes + update.byteLength > maxBoardBytes) {
			throw new ProtocolError(CloseCode.BoardFull, `the board would pass its size limit of ${maxBoardBytes} bytes`);
		}
		if (this.decodeFirstUntil > 0 && performance.now() < this.decodeFirstUntil) {
			try {
				Y.decodeUpdate(update);
			} catch {
				throw new ProtocolError(CloseCode.InvalidPayload, 'update cannot be decoded');
			}
		}
		const store = this.doc.store;
		const pendingBefore = [store.pendingStructs, store.pendingDs];
		this.lastApplyChanged = false;
		try {
			Y.applyUpdate(this.doc, update, conn);
		} catch {
			// Yjs reads all the structs of an update before it integrates any, so most malformed updates
			// fail without touching the doc, and only their sender is closed. The transaction still ends
			// (afterTransaction), so whether anything changed is known exactly: only when Yjs integrated
			// part of it (a broken delete set, which is read last) is the doc rebuilt from storage, and the
			// room then decodes every update before applying it for a while, whoever sends it and from
			// wherever: no number of addresses makes it rebuild again. Decoding every update always would
			// cost ~25% of an apply.
			const touched = this.lastApplyChanged || store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1];
			if (touched) {
				this.decodeFirstUntil = performance.now() + DECODE_FIRST_AFTER_REBUILD_MS;
				this.docChanged();
				void this.rebuild();
			}
			throw new ProtocolError(CloseCode.InvalidPayload, 'update cannot be applied');
		}
		const parked = store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1];
		if (!this.lastApplyChanged && !parked) return; // nothing new: neither stored nor relayed
		this.docChanged();
		this.history?.edited(conn, () => this.editorOf(conn));
		// Frames are handed over owned (server/sockets/server.ts), so the update and the frame are kept without a copy.
		this.relay.update(update, frame ?? encodeUpdate(update), conn);
	}

	/** Who `conn` is in the board's history: its token's name, else its presence's `user` (name and colour). */
	private editorOf(conn: Connection): VersionEditor | null {
		let user: { name?: unknown; color?: unknown } = {};
		const state = this.awareness.stateOf(conn);
		if (state !== undefined) {
			try {
				const parsed = (JSON.parse(state) as { user?: unknown } | null)?.user;
				if (parsed !== null && typeof parsed === 'object') user = parsed as typeof user;
			} catch {
				// presence is only relayed once parsed; an unreadable one names nobody
			}
		}
		const name = conn.grant.name ?? (typeof user.name === 'string' ? user.name.slice(0, 100) : null);
		if (name === null) return null;
		const color = conn.grant.color ?? (typeof user.color === 'string' ? user.color.slice(0, 32) : '#888888');
		return { name, color };
	}

	/** Stores a version of the stored board now (an editor asked); null when the room cannot say (gone, rebuilding). */
	recordVersion(kind: Exclude<VersionKind, 'auto'>, name: string | null): Promise<VersionInfo | null> {
		if (this.history === null) return Promise.resolve(null);
		return this.history.explicit(kind, name);
	}

	private applyAwareness(conn: Connection, update: Uint8Array): void {
		if (update.byteLength > MAX_AWARENESS_FRAME_BYTES) {
			throw new ProtocolError(CloseCode.MessageTooBig, `awareness update over ${MAX_AWARENESS_FRAME_BYTES} bytes`);
		}
		const { accepted, refused } = this.awareness.apply(conn, pinPresence(conn.grant, decodeAwarenessUpdate(update)));
		if (refused) conn.log.warn(refused, 'refused awareness entries (another connection\'s id, a clock out of bounds, or the board\'s presence is full)');
		if (accepted.length === 0) return;
		const relayed = encodeAwarenessUpdate(accepted);
		this.sendPresence(accepted, conn, encodeAwareness(relayed));
		this.cluster?.presence(this.name, relayed);
	}

	/**
	 * Presence is never stored, so it need not wait for the log: send it at once. The sender gets
	 * its own entry back too: y-websocket clients count it as a sign of life (they drop a
	 * connection that received nothing for 30 s) and it is how they learn the entry was accepted.
	 * Any other connection that announced one of these ids (waiting to own it) never gets a state
	 * for its own id: its client would adopt it as its own.
	 */
	private sendPresence(accepted: AwarenessEntry[], conn: Connection | null, frame = encodeAwareness(encodeAwarenessUpdate(accepted))): void {
		for (const peer of this.connections) {
			const claim = peer === conn ? undefined : this.awareness.claimOf(peer);
			if (claim === undefined || !accepted.some((e) => e.clientId === claim)) peer.send(frame);
			else {
				const others = accepted.filter((e) => e.clientId !== claim);
				if (others.length > 0) peer.send(encodeAwareness(encodeAwarenessUpdate(others)));
			}
		}
	}

	/**
	 * Every presence state, for a client that asked: at most one answer per AWARENESS_QUERY_INTERVAL_MS
	 * and connection (a one-byte query would otherwise return the whole board's presence each time);
	 * queries meanwhile are answered once, when the interval is over.
	 */
	private answerQuery(conn: Connection): void {
		const wait = conn.queryAnsweredAt + AWARENESS_QUERY_INTERVAL_MS - performance.now();
		if (wait <= 0) {
			conn.queryAnsweredAt = performance.now();
			conn.send(encodeAwareness(encodeAwarenessUpdate(this.awareness.all())));
			return;
		}
		if (conn.queryPending) return;
		conn.queryPending = true;
		setTimeout(() => {
			conn.queryPending = false;
			if (this.status !== 'gone' && this.connections.has(conn)) this.answerQuery(conn);
		}, wait).unref();
	}

	/**
	 * The board's preview (PreviewCache.render) for a first visit, drawn while the Yjs sync (the whole
	 * board, which the browser must decode before it can draw anything) is on its way. Like anything
	 * else that leaves the server, it holds only stored updates: null when the room cannot say (gone,
	 * rebuilding, or updates kept arriving while it waited for them to be stored).
	 */
	preview(view: Box | null = null): Promise<string | null> {
		return this.whenStored('preview', () => this.previews.render(this.doc, view));
	}

	/** The board's valid shapes in stacking order, as stored (for an export); null when the room cannot say, as for preview. */
	storedShapes(): Promise<Shape[] | null> {
		return this.whenStored('reading shapes', () => this.previews.shapes(this.doc));
	}

	/** `read()` of the doc at a moment when everything in it is stored; null when there was none in three tries. */
	private async whenStored<T>(what: string, read: () => T): Promise<T | null> {
		for (let attempt = 0; attempt < 3; attempt++) {
			if (this.status !== 'ready') return null;
			if (this.relay.idle) {
				try {
					return read();
				} catch (error) {
					this.log.error({ err: error }, `${what} failed`);
					return null;
				}
			}
			await this.relay.flush();
		}
		return null;
	}

	/** After an update failed half-way, reload the doc from storage; frames meanwhile wait in order. */
	private async rebuild(): Promise<void> {
		if (this.status !== 'ready') return;
		this.status = 'rebuilding';
		this.log.warn('rebuilding room from storage after a rejected update');
		try {
			await this.relay.flush();
			if (this.status !== 'rebuilding') return;
			await this.loadDoc();
		} catch (error) {
			this.fail(error);
			return;
		}
		this.status = 'ready';
		this.clusterSync?.replayHeld();
		const held = this.held;
		this.held = [];
		for (const [conn, data] of held) this.receive(conn, data);
	}

	/** Storage failed: what is in memory may not be stored, so drop the room; clients still hold their edits. */
	fail(error: unknown): void {
		if (this.status === 'gone') return;
		this.log.error({ err: error }, 'storage failed; closing the room');
		this.close(CloseCode.TryAgainLater, 'storage unavailable');
	}

	/** Stores everything, compacts, and frees the doc. Used when the room empties and at shutdown. */
	async unload(code: number = CloseCode.GoingAway, reason = 'server shutting down'): Promise<void> {
		try {
			await this.relay.flush();
			// A last version while the doc is still here, when edits wait for one.
			if (this.status !== 'gone') await this.history?.unload();
			if (this.status !== 'gone') {
				await this.compactor.compact();
				// Also when another process compacts the board (a cluster), or nothing was left to compact.
				await this.recordImageRefs();
			}
		} finally {
			// Even if storing failed (it was logged), the room must end gone so the next join reloads from disk.
			this.close(code, reason);
		}
	}

	private close(code: number, reason: string): void {
		if (this.status === 'gone') return;
		this.status = 'gone';
		this.compactor.stop();
		this.history?.stop();
		this.relay.stop();
		for (const conn of this.connections) conn.close(code, reason);
		this.connections.clear();
		this.held = [];
		this.doc.destroy();
		this.clusterSync?.stop();
		this.cluster?.detach(this);
		this.options.onGone(this);
	}
}
