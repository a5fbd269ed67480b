/** A room's store-then-relay pipeline: nothing that depends on an update leaves the server before the update is stored. */
import type { RoomStorage } from '../storage/types.ts';

/** What the pipeline sends to: a room's connection (Connection satisfies it). */
export interface RelayPeer {
	send(frame: Uint8Array): void;
	cork(): void;
	uncork(): void;
}

type Outgoing<P> = { to: P; frame: Uint8Array } | { except: P | null; frame: Uint8Array };

/** What learns about stored batches: the room's Compactor. */
export interface StoredLog {
	/** A batch was stored, ending at `lastSeq`. */
	appended(batch: readonly Uint8Array[], lastSeq: number): void;
	/** Everything pending was stored and sent: the moment to compact. Whatever arrives meanwhile waits for it. */
	settle(): Promise<void>;
}

/**
 * The pipeline's collaborators are objects, not callbacks: each closure made per room stays in the
 * heap for the room's life (bench/JOURNAL.md, 2026-12-04, "Memory per room"), and a server holds many idle rooms.
 */
export interface DurableRelayDeps<P extends RelayPeer> {
	/** The room's connections (a live set: a relay goes to whoever is in it when the frame leaves). */
	peers: ReadonlySet<P>;
	/** Where the room's updates are appended (RoomStorage.append: one tick's batch atomically, in order). */
	storage: Pick<RoomStorage, 'append'>;
	room: string;
	log: StoredLog;
	/** Told when an append failed: what is in memory may not be stored, so the room must end. Nothing waiting is sent. */
	owner: { fail(error: unknown): void };
}

/**
 * Updates are applied to the doc as they arrive but wait in `pending`; every frame that depends on
 * them (relays, sync replies, presence removals that must keep their place) waits in `outbox`. One
 * event-loop tick's updates are appended in one transaction, then the frames that waited go out, so
 * `kill -9` at any moment loses nothing anyone saw. This is the one place a relay leaves a room: a
 * relay to other server processes, or a check on who may write, changes it here.
 */
export class DurableRelay<P extends RelayPeer> {
	private pending: Uint8Array[] = [];
	/** The bytes of the updates in `pending` and in the batch being stored. */
	private unstored = 0;
	private outbox: Array<Outgoing<P>> = [];
	private flushScheduled = false;
	private flushing: Promise<void> | null = null;
	private stopped = false;

	constructor(private readonly deps: DurableRelayDeps<P>) {}

	/** Nothing is waiting to be stored or sent: what the doc holds is what storage holds. */
	get idle(): boolean {
		return this.pending.length === 0 && this.flushing === null;
	}

	/** Bytes applied to the doc and not yet stored. */
	get pendingBytes(): number {
		return this.unstored;
	}

	/** An update applied to the doc: stored, then `frame` relayed to every peer but `from`. */
	update(update: Uint8Array, frame: Uint8Array, from: P): void {
		if (this.stopped) return;
		this.pending.push(update);
		this.unstored += update.byteLength;
		this.deliver({ except: from, frame });
	}

	/** A frame for one peer that depends on the doc: sent now if nothing is pending, else after it is stored. */
	send(to: P, frame: Uint8Array): void {
		if (this.idle) to.send(frame);
		else this.deliver({ to, frame });
	}

	/** A frame for every peer but `except`, in its place after the frames already waiting. */
	broadcast(frame: Uint8Array, except: P | null = null): void {
		this.deliver({ except, frame });
	}

	private deliver(message: Outgoing<P>): void {
		if (this.stopped) return;
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
		do {
			while (this.pending.length > 0 || this.outbox.length > 0) {
				const batch = this.pending;
				const outgoing = this.outbox;
				this.pending = [];
				this.outbox = [];
				if (batch.length > 0) {
					let lastSeq: number;
					try {
						lastSeq = await this.deps.storage.append(this.deps.room, batch);
					} catch (error) {
						this.deps.owner.fail(error);
						return;
					}
					for (const update of batch) this.unstored -= update.byteLength;
					this.deps.log.appended(batch, lastSeq);
				}
				this.sendAll(outgoing);
			}
			await this.deps.log.settle();
			// An engine that stores asynchronously lets frames arrive while it compacted: they go now too.
		} while (this.pending.length > 0 || this.outbox.length > 0);
	}

	/**
	 * Sends a flush's frames with every peer corked, so a peer gets one write for all its frames of the
	 * tick. One frame leaves in one write anyway. Sends never change the set (a close is handled later,
	 * on its event).
	 */
	private sendAll(outgoing: Array<Outgoing<P>>): void {
		const { peers } = this.deps;
		const cork = outgoing.length > 1;
		if (cork) for (const peer of peers) peer.cork();
		try {
			for (const message of outgoing) {
				if ('to' in message) message.to.send(message.frame);
				else for (const peer of peers) if (peer !== message.except) peer.send(message.frame);
			}
		} finally {
			if (cork) for (const peer of peers) peer.uncork();
		}
	}

	/** The room is gone: drop what waits (its peers are closed) and accept nothing more. */
	stop(): void {
		this.stopped = true;
		this.pending = [];
		this.unstored = 0;
		this.outbox = [];
	}
}
