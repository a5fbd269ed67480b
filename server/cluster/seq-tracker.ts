/** Which of a board's stored sequence numbers this process has applied: the contiguous prefix, and what arrived past a gap. */

/**
 * Updates reach a process from its own appends and from the bus, and the bus gives no guarantee of
 * order between publishers (two processes store seqs 7 and 8; 8 may be published first) or of delivery
 * (a process that stored seq 9 may die before it publishes it). So the tracker keeps the highest seq
 * below which everything was applied (`contiguous`, what a compaction may cover) and the seqs seen
 * past it; a gap that outlives one catch-up interval is filled from storage (ClusterNode).
 */
export class SeqTracker {
	/** Every seq up to this one was applied. */
	private upTo: number;
	/** Seqs above `upTo` already applied; made on first use (most boards never have a gap). */
	private ahead: Set<number> | null = null;
	/** The newest seq known to exist (applied, or reported by storage). */
	private newest: number;
	/** What `contiguous` was at the last check, to tell a gap that lasts from one that is closing. */
	private checkedAt = -1;

	constructor(loadedThrough: number) {
		this.upTo = loadedThrough;
		this.newest = loadedThrough;
	}

	get contiguous(): number {
		return this.upTo;
	}

	/** Whether `seq` was applied already. */
	has(seq: number): boolean {
		return seq <= this.upTo || (this.ahead?.has(seq) ?? false);
	}

	/** Marks `seq` applied. */
	see(seq: number): void {
		if (seq > this.newest) this.newest = seq;
		if (seq <= this.upTo) return;
		if (seq === this.upTo + 1) {
			this.upTo = seq;
			if (this.ahead) {
				while (this.ahead.delete(this.upTo + 1)) this.upTo++;
				if (this.ahead.size === 0) this.ahead = null;
			}
			return;
		}
		(this.ahead ??= new Set()).add(seq);
	}

	/** Everything through `seq` was applied (a catch-up applied a snapshot covering it). */
	seeThrough(seq: number): void {
		if (seq <= this.upTo) return;
		this.upTo = seq;
		if (seq > this.newest) this.newest = seq;
		if (this.ahead) {
			for (const s of this.ahead) if (s <= seq) this.ahead.delete(s);
			while (this.ahead.delete(this.upTo + 1)) this.upTo++;
			if (this.ahead.size === 0) this.ahead = null;
		}
	}

	/** Storage says the board's newest seq is `seq`. */
	heard(seq: number): void {
		if (seq > this.newest) this.newest = seq;
	}

	/** Something stored is missing here. */
	get behind(): boolean {
		return this.newest > this.upTo;
	}

	/**
	 * Called once per catch-up interval: true when a gap has stood since the previous call, so that an
	 * update merely late on the bus (published a moment after a later seq) is not fetched twice.
	 */
	gapOutlived(): boolean {
		if (!this.behind) {
			this.checkedAt = -1;
			return false;
		}
		const stale = this.checkedAt === this.upTo;
		this.checkedAt = this.upTo;
		return stale;
	}
}
