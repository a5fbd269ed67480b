/** When a room's update log is folded into one snapshot (the policy, declared once with its defaults), and the folding. */
import type { Logger } from '../log.ts';
import type { RoomStorage } from '../storage/types.ts';
import type { StoredLog } from './durability.ts';

export interface CompactionPolicy {
	/** Compact once the log holds this many updates and a quarter of the snapshot's bytes… */
	afterUpdates: number;
	/** …or, whatever the snapshot's size, this many bytes… */
	afterBytes: number;
	/** …or once no update arrived for this long (the board is at rest). */
	whenIdleMs: number;
}

/** README "Configuration": COMPACT_AFTER_UPDATES, COMPACT_AFTER_BYTES, COMPACT_WHEN_IDLE_MS. */
export const DEFAULT_COMPACTION: Readonly<CompactionPolicy> = Object.freeze({
	afterUpdates: 500,
	afterBytes: 4 * 1024 * 1024,
	whenIdleMs: 10_000
});

/**
 * Whether the log is due now. Compaction re-encodes the whole board on the event loop (hundreds of ms
 * for a 10k-shape board, bench/JOURNAL.md), so its cost is kept in proportion: past `afterUpdates` the
 * log must also have grown to a quarter of the snapshot. Small boards still compact every
 * `afterUpdates`; big ones less often, and when at rest.
 */
export function compactionDue(policy: CompactionPolicy, logUpdates: number, logBytes: number, snapshotBytes: number): boolean {
	if (logBytes >= policy.afterBytes) return true;
	return logUpdates >= policy.afterUpdates && logBytes * 4 >= snapshotBytes;
}

/** What is compacted: the room (objects, not callbacks, as in DurableRelayDeps). */
export interface CompactionSource {
	/** The room's whole state as one update (`Y.encodeStateAsUpdate`). */
	snapshot(): Uint8Array;
	/** Whether the idle timer may compact now: the room is serving and nothing waits to be stored. */
	readonly settled: boolean;
	/** Called after this process stored a compaction (the board's images are referenced as of now: ImageStorage.touchImageRefs). */
	compacted?(): void;
}

/**
 * On a cluster, the right to compact a board (server/cluster/compaction-lease.ts): several processes
 * serve it, one compacts. Absent on a single process, which always may.
 */
export interface CompactionRight {
	/** Whether this process may compact the board now: it holds, or just took, the board's lease. */
	take(): Promise<boolean>;
	/** Stores the compaction under the lease; false when the lease was lost meanwhile (nothing was written). */
	write(snapshot: Uint8Array, throughSeq: number): Promise<boolean>;
}

export interface CompactorDeps {
	policy: CompactionPolicy;
	log: Logger;
	/** Where the snapshot replaces the log (RoomStorage.compact). */
	storage: Pick<RoomStorage, 'compact'>;
	room: string;
	source: CompactionSource;
	right?: CompactionRight | null;
}

/** One room's log accounting and its compactions. It only runs with nothing pending, so a snapshot covers `lastSeq`. */
export class Compactor implements StoredLog {
	private lastSeq = 0;
	private logUpdates = 0;
	private logBytes = 0;
	private snapshotBytes = 0;
	private idleTimer: NodeJS.Timeout | null = null;
	private compacting: Promise<void> | null = null;
	private stopped = false;

	constructor(private readonly deps: CompactorDeps) {}

	/** What storage held when the room (re)loaded. */
	loaded(stored: { snapshot: Uint8Array | null; updates: readonly Uint8Array[]; lastSeq: number }): void {
		this.lastSeq = stored.lastSeq;
		this.snapshotBytes = stored.snapshot?.byteLength ?? 0;
		this.logUpdates = stored.updates.length;
		this.logBytes = 0;
		for (const update of stored.updates) this.logBytes += update.byteLength;
	}

	/** What storage holds for the room now: the snapshot and the log after it. */
	get storedBytes(): number {
		return this.snapshotBytes + this.logBytes;
	}

	get logSize(): { updates: number; bytes: number } {
		return { updates: this.logUpdates, bytes: this.logBytes };
	}

	/** A batch was appended, ending at `lastSeq`. */
	appended(batch: readonly Uint8Array[], lastSeq: number): void {
		this.lastSeq = lastSeq;
		this.logUpdates += batch.length;
		for (const update of batch) this.logBytes += update.byteLength;
	}

	/** After everything pending was stored: compact now if due, else (re)arm the idle timer. */
	async settle(): Promise<void> {
		if (this.logUpdates === 0 || this.stopped) return;
		if (compactionDue(this.deps.policy, this.logUpdates, this.logBytes, this.snapshotBytes)) await this.compact();
		else this.armIdle();
	}

	private armIdle(): void {
		if (this.idleTimer) {
			this.idleTimer.refresh();
			return;
		}
		this.idleTimer = setTimeout(() => {
			this.idleTimer = null;
			if (this.deps.source.settled) void this.compact();
		}, this.deps.policy.whenIdleMs);
		this.idleTimer.unref();
	}

	/** Replaces the log with one snapshot; a failure is logged and leaves the old snapshot and log valid. */
	compact(): Promise<void> {
		if (this.logUpdates === 0 || this.stopped) return Promise.resolve();
		this.compacting ??= this.run().finally(() => {
			this.compacting = null;
		});
		return this.compacting;
	}

	private async run(): Promise<void> {
		const started = performance.now();
		const { source, storage, room, right } = this.deps;
		try {
			if (right && !(await right.take())) {
				this.handedOver();
				return;
			}
		} catch (error) {
			this.deps.log.error({ err: error }, 'compaction lease could not be taken');
			return;
		}
		if (this.stopped) return;
		const snapshot = source.snapshot();
		const throughSeq = this.lastSeq;
		const folded = { updates: this.logUpdates, bytes: this.logBytes };
		try {
			if (right) {
				if (!(await right.write(snapshot, throughSeq))) {
					this.deps.log.warn({ throughSeq }, 'compaction fenced off: another process took the board\'s lease or stored a newer snapshot; nothing written');
					this.handedOver();
					return;
				}
			} else await storage.compact(room, snapshot, throughSeq);
		} catch (error) {
			// Retried after later updates, at rest, or at unload.
			this.deps.log.error({ err: error }, 'compaction failed');
			return;
		}
		this.deps.log.debug({ ms: Math.round(performance.now() - started), bytes: snapshot.byteLength, updates: folded.updates }, 'compacted');
		// Updates appended while an asynchronous engine stored the snapshot stay counted: they are still in the log.
		this.logUpdates -= folded.updates;
		this.logBytes -= folded.bytes;
		this.snapshotBytes = snapshot.byteLength;
		source.compacted?.();
	}

	/**
	 * Another process compacts the board: count the log as folded (its bytes into the snapshot, an upper
	 * bound for the size limit) so that this one does not ask for the lease on every flush.
	 */
	private handedOver(): void {
		this.snapshotBytes += this.logBytes;
		this.logUpdates = 0;
		this.logBytes = 0;
	}

	/** The room is gone: no more compactions, no timer left behind. */
	stop(): void {
		this.stopped = true;
		if (this.idleTimer) clearTimeout(this.idleTimer);
		this.idleTimer = null;
	}
}
