/** A board's compaction lease for one process of a cluster: one compactor per board at a time, its writes fenced. */
import type { CompactionRight } from '../rooms/compaction.ts';
import type { ClusterStorage } from '../storage/types.ts';

/**
 * The lease lives in the database (ClusterStorage.leaseCompaction), timed by the database's clock, so
 * clocks of the processes never matter. Taking it bumps the board's fence; every compaction is written
 * in one transaction that checks the fence is still ours and that no newer snapshot is stored. So a
 * process paused past its lease (SIGSTOP, a long GC, a VM migration) and resumed mid-compaction writes
 * nothing: whoever took the lease meanwhile owns the board's snapshot and log.
 *
 * Refusals are remembered for half a lease, so the processes that do not hold it ask the database
 * at most that often, not on every flush.
 */
export class CompactionLease implements CompactionRight {
	private fence: number | null = null;
	/** Until then (performance.now()), another process holds the lease: do not ask. */
	private refusedUntil = 0;

	constructor(
		private readonly storage: Pick<ClusterStorage, 'leaseCompaction' | 'compactFenced'>,
		private readonly room: string,
		private readonly holder: string,
		private readonly ttlMs: number
	) {}

	async take(): Promise<boolean> {
		if (performance.now() < this.refusedUntil) return false;
		// Taken or renewed before every compaction: a lease kept only by time would be exactly the assumption a pause breaks.
		this.fence = await this.storage.leaseCompaction(this.room, this.holder, this.ttlMs);
		if (this.fence === null) this.refusedUntil = performance.now() + this.ttlMs / 2;
		return this.fence !== null;
	}

	async write(snapshot: Uint8Array, throughSeq: number): Promise<boolean> {
		if (this.fence === null) return false;
		const written = await this.storage.compactFenced(this.room, snapshot, throughSeq, this.fence);
		if (!written) this.fence = null;
		return written;
	}
}
