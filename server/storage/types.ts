/** The storage contract every engine implements: an append-only update log per room plus a snapshot. */

export interface StoredRoom {
	/** `Y.encodeStateAsUpdate` of the room at the last compaction, or null for a room never compacted. */
	snapshot: Uint8Array | null;
	/** Updates appended since that snapshot, oldest first. */
	updates: Uint8Array[];
	/** Sequence number of the newest stored update (the last compaction's point when the log is empty, 0 for a new room); pass it to `compact`. */
	lastSeq: number;
}

export interface RoomSummary {
	name: string;
	/** Bytes stored for the room: snapshot plus log. */
	bytes: number;
	/** Updates in the log since the snapshot. */
	pendingUpdates: number;
	updatedAt: Date;
}

export interface RoomStorage {
	/** Everything stored for `room` (an unknown room is empty, not an error). */
	load(room: string): Promise<StoredRoom>;
	/** Appends `updates` atomically (all or none), in order; resolves with the sequence number of the last one. */
	append(room: string, updates: readonly Uint8Array[]): Promise<number>;
	/**
	 * Atomically replaces the room's snapshot with `snapshot` and drops logged updates up to `throughSeq`.
	 * `snapshot` must contain every update up to `throughSeq`; updates appended after it survive.
	 */
	compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
	listRooms(): Promise<RoomSummary[]>;
	deleteRoom(room: string): Promise<void>;
	close(): Promise<void>;
}
