/** Boards' access records (who claimed a board, each right's link generation), read through an in-process cache. */
import type { AccessRecord, RoomStorage } from '../storage/types.ts';

/** Boards whose record is remembered; past it the least recently asked are read from storage again. */
const CACHED_BOARDS = 10_000;

/**
 * The one path to access records: `authorize` asks on every upgrade, preview and API call, so records
 * (and "unclaimed", which is most boards before this feature) are kept in memory, and claims and resets
 * go through here to keep the cache true. On one process nothing else changes a record under it; on a
 * cluster, a claim or reset here is announced to the other processes (`changed`), and theirs make
 * this one `forget` what it cached (server/cluster/node.ts).
 */
export class AccessRecords {
	private readonly cache = new Map<string, AccessRecord | null>();
	/** Reads under way, so concurrent upgrades of one board ask storage once. */
	private readonly reading = new Map<string, Promise<AccessRecord | null>>();

	constructor(
		private readonly storage: Pick<RoomStorage, 'loadAccess' | 'claimAccess' | 'resetAccess' | 'setHistoryForViewers'>,
		/** Told after this process changed a board's record (a cluster tells the other processes). */
		private readonly changed: ((board: string) => void) | null = null
	) {}

	/** Another process changed the board's record: read it from storage on next use. */
	forget(board: string): void {
		this.cache.delete(board);
	}

	/** Changes may have been missed (the bus was down): read every record from storage again. */
	forgetAll(): void {
		this.cache.clear();
	}

	/** The board's record, or null when it is unclaimed. */
	async get(board: string): Promise<AccessRecord | null> {
		const cached = this.cache.get(board);
		if (cached !== undefined) {
			// Map order is insertion order: re-inserting marks the board as recently asked.
			this.cache.delete(board);
			this.cache.set(board, cached);
			return cached;
		}
		let reading = this.reading.get(board);
		if (!reading) {
			reading = this.storage
				.loadAccess(board)
				.then((record) => {
					// A claim or reset that finished while this read was out already put the newer record.
					if (!this.cache.has(board)) this.remember(board, record);
					return this.cache.get(board) ?? record;
				})
				.finally(() => this.reading.delete(board));
			this.reading.set(board, reading);
		}
		return reading;
	}

	/** The record if it is in memory (null: unclaimed), undefined when it would have to be read. */
	peek(board: string): AccessRecord | null | undefined {
		return this.cache.get(board);
	}

	/** Claims an unclaimed board; resolves with its record, or null when someone had claimed it. */
	async claim(board: string): Promise<AccessRecord | null> {
		const claimed = await this.storage.claimAccess(board);
		if (!claimed) {
			this.cache.delete(board);
			return null;
		}
		const record = { editGeneration: 0, viewGeneration: 0, historyForViewers: false };
		this.remember(board, record);
		this.changed?.(board);
		return record;
	}

	/** Bumps one right's generation (its old link stops working); null when the board is unclaimed. */
	async reset(board: string, right: 'edit' | 'view'): Promise<AccessRecord | null> {
		const record = await this.storage.resetAccess(board, right);
		this.remember(board, record);
		this.changed?.(board);
		return record;
	}

	/** Lets (or stops) the board's viewers browse its history; null when the board is unclaimed. */
	async setHistoryForViewers(board: string, allowed: boolean): Promise<AccessRecord | null> {
		const record = await this.storage.setHistoryForViewers(board, allowed);
		this.remember(board, record);
		this.changed?.(board);
		return record;
	}

	private remember(board: string, record: AccessRecord | null): void {
		this.cache.delete(board);
		this.cache.set(board, record);
		if (this.cache.size > CACHED_BOARDS) this.cache.delete(this.cache.keys().next().value!);
	}
}
