/** A room's part in a cluster: which of the board's stored seqs it applied, other processes' updates held while its doc loads, catch-up. */
import { SeqTracker } from '../cluster/seq-tracker.ts';
import type { LoggedUpdate } from '../storage/types.ts';
import type { CompactionRight } from './compaction.ts';
import type { Room } from './room.ts';

/**
 * What a room of a cluster process shares with the other processes (server/cluster/node.ts). Every
 * call happens after the update it concerns was stored: the bus only ever carries what is durable.
 */
export interface RoomCluster {
	/** The room is about to read storage: its channel is subscribed first, so nothing stored meanwhile is missed. */
	attach(room: Room): Promise<void>;
	/** The room is gone (unloaded, failed). */
	detach(room: Room): void;
	/** `updates` were stored with seqs from `firstSeq` on. */
	stored(room: string, firstSeq: number, updates: readonly Uint8Array[]): void;
	/** Presence entries this process accepted from its own connections (an awareness update). */
	presence(room: string, update: Uint8Array): void;
	/** Who compacts the board: the process holding its lease. */
	compactionRight(room: string): CompactionRight;
}

/** Another process, as the owner of the presence entries it relayed. */
export interface RemotePresenceOwner {
	readonly processId: string;
}

/** What storage holds past what a room applied (ClusterStorage.readSince). */
export interface CatchUp {
	snapshot: Uint8Array | null;
	snapshotSeq: number;
	updates: LoggedUpdate[];
	lastSeq: number;
}

/** What the cluster part needs of its room. */
export interface ClusterRoomHost {
	/** Applies an update another process stored (it is not stored again); whether it changed the doc. */
	applyStored(update: Uint8Array): boolean;
	/** Relays an update to this process's connections. */
	relayUpdate(update: Uint8Array): void;
	/** Hands applied updates to the compactor, with how far the applied seqs run without a gap. */
	countForCompaction(updates: readonly Uint8Array[], contiguous: number): void;
	/** The doc changed (the version history's quiet timer). */
	edited(): void;
	stateVector(): Uint8Array;
	changesSince(stateVector: Uint8Array): Uint8Array;
}

export class RoomClusterSync {
	/** Which of the board's stored seqs are applied here; null until the doc is loaded. */
	private seqs: SeqTracker | null = null;
	/** Stored updates from other processes that arrived while the doc was (re)loading. */
	private held: Array<[number, readonly Uint8Array[]]> | null = null;

	constructor(
		private readonly room: string,
		private readonly cluster: RoomCluster,
		private readonly host: ClusterRoomHost
	) {}

	/** The doc was (re)loaded from storage, through seq `lastSeq`. */
	loaded(lastSeq: number): void {
		this.seqs = new SeqTracker(lastSeq);
	}

	get appliedSeqs(): SeqTracker | null {
		return this.seqs;
	}

	/** A batch this process stored: the other processes hear of it, then the compactor counts it. */
	stored(batch: readonly Uint8Array[], lastSeq: number): void {
		const seqs = this.seqs!;
		const firstSeq = lastSeq - batch.length + 1;
		for (let seq = firstSeq; seq <= lastSeq; seq++) seqs.see(seq);
		this.cluster.stored(this.room, firstSeq, batch);
		// A compaction may only cover what is applied here without a gap.
		this.host.countForCompaction(batch, seqs.contiguous);
	}

	/** Updates another process stored with seqs from `firstSeq` on: applied (once) and relayed, or held until the doc is `ready`. */
	remoteUpdates(firstSeq: number, updates: readonly Uint8Array[], ready: boolean): void {
		if (!ready) {
			(this.held ??= []).push([firstSeq, updates]);
			return;
		}
		const seqs = this.seqs!;
		const applied: Uint8Array[] = [];
		for (let i = 0; i < updates.length; i++) {
			const seq = firstSeq + i;
			if (seqs.has(seq)) continue;
			seqs.see(seq);
			const update = updates[i]!;
			applied.push(update);
			// Relayed even when it changed nothing visible yet: parked for a missing update, it still changes the doc once that arrives.
			if (this.host.applyStored(update)) this.host.edited();
			this.host.relayUpdate(update);
		}
		if (applied.length > 0) this.host.countForCompaction(applied, seqs.contiguous);
	}

	/** The doc is ready again: what was held while it loaded is applied, in arrival order. */
	replayHeld(): void {
		const held = this.held;
		this.held = null;
		if (held) for (const [firstSeq, updates] of held) this.remoteUpdates(firstSeq, updates, true);
	}

	/** What storage held past the applied seqs (ClusterStorage.readSince): applied, and what changed relayed as one update. */
	caughtUp(found: CatchUp): void {
		const seqs = this.seqs!;
		const before = this.host.stateVector();
		const applied: Uint8Array[] = [];
		let changed = false;
		if (found.snapshot && found.snapshotSeq > seqs.contiguous) {
			changed = this.host.applyStored(found.snapshot) || changed;
			seqs.seeThrough(found.snapshotSeq);
		}
		for (const { seq, data } of found.updates) {
			if (seqs.has(seq)) continue;
			seqs.see(seq);
			applied.push(data);
			changed = this.host.applyStored(data) || changed;
		}
		seqs.heard(found.lastSeq);
		if (applied.length > 0) this.host.countForCompaction(applied, seqs.contiguous);
		if (changed) {
			this.host.edited();
			this.host.relayUpdate(this.host.changesSince(before));
		}
	}

	/** The room is gone: nothing held is applied any more. */
	stop(): void {
		this.held = null;
	}
}
