/** The storage contract every engine implements: an append-only update log per room plus a snapshot, images by hash, and one writer per store. */
import type { ImageMimeType } from '../../src/lib/shared/model/index.ts';
import type { VersionInfo } from '../../src/lib/shared/history.ts';
import type { RetentionPolicy } from './version-retention.ts';

export interface StoredRoom {
	/** `Y.encodeStateAsUpdate` of the room at the last compaction, or null for a room never compacted. */
	snapshot: Uint8Array | null;
	/** Updates appended since that snapshot, oldest first. */
	updates: Uint8Array[];
	/** Sequence number of the newest stored update (the last compaction's point when the log is empty, 0 for a new room); pass it to `compact`. */
	lastSeq: number;
}

/**
 * **Exactly one process writes a board at a time.** A room's sequence numbers, its compaction point
 * and what was relayed all come from the one process that holds the room in memory: a second writer
 * would interleave appends the first never applied, and the first's next compaction would drop log
 * rows its snapshot never contained. So an engine refuses a second writer instead of coping with it:
 * opening a store another writer holds throws `StoreInUseError` (SQLite: a lock on `DATA_DIR` held
 * for the life of the process), and an append that finds its sequence number taken is an error,
 * never retried. Readers (a backup, an admin tool) are welcome. A ClusterStorage (below) is the one
 * exception: several processes share it, because the database itself allocates seqs and fences compaction.
 */
export interface RoomStorage extends ImageStorage, VersionStorage {
	/** Everything stored for `room` (an unknown room is empty, not an error). */
	load(room: string): Promise<StoredRoom>;
	/** Appends `updates` atomically (all or none), in order; resolves with the sequence number of the last one. */
	append(room: string, updates: readonly Uint8Array[]): Promise<number>;
	/**
	 * Atomically replaces the room's snapshot with `snapshot` and drops logged updates up to `throughSeq`.
	 * `snapshot` must contain every update up to `throughSeq`; updates appended after it survive.
	 */
	compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
	/** Releases the store (and with it the right to write it). */
	close(): Promise<void>;

	/** The board's access record (server/auth/access.ts), or null: nobody claimed the board yet. */
	loadAccess(board: string): Promise<AccessRecord | null>;
	/** Creates the board's first access record (generations 0) unless it has one; resolves with false when it had. */
	claimAccess(board: string): Promise<boolean>;
	/** Bumps one right's generation of a claimed board (its old link stops working); null when the board is unclaimed. */
	resetAccess(board: string, right: 'edit' | 'view'): Promise<AccessRecord | null>;
	/** Sets whether the board's viewers may browse its history; null when the board is unclaimed. */
	setHistoryForViewers(board: string, allowed: boolean): Promise<AccessRecord | null>;
}

/**
 * A board's versions (issue 18): snapshots of its shapes, stored apart from the live doc (loading a board
 * never reads them). `content` is opaque here (gzip'd JSON, server/history/content.ts). Each write is one
 * transaction: a crash leaves a whole version or none.
 */
export interface VersionStorage {
	/** Stores a version; `info.id` is new, `info.bytes` is content's length. */
	addVersion(board: string, info: VersionInfo, content: Uint8Array): Promise<void>;
	/** The board's versions, newest first, without their content. */
	listVersions(board: string): Promise<VersionInfo[]>;
	/** One version with its content, or null. */
	getVersion(board: string, id: string): Promise<{ info: VersionInfo; content: Uint8Array } | null>;
	/** Names (or, with null, unnames) a version; resolves with it, or null when there is none. */
	renameVersion(board: string, id: string, name: string | null): Promise<VersionInfo | null>;
	/** Deletes a version; false when there was none. */
	deleteVersion(board: string, id: string): Promise<boolean>;
	/** Applies the retention rule (version-retention.ts) as of `now`; resolves with how many were deleted. */
	thinVersions(board: string, now: number, policy: RetentionPolicy): Promise<number>;
}

/** An image file as stored: its type (found by its bytes at upload) and its bytes. */
export interface StoredImage {
	mime: ImageMimeType;
	bytes: Uint8Array;
}

/**
 * Images, content-addressed: each file's bytes are stored once by hash (the SHA-256 of the bytes, hex),
 * and a board reads only the images it has (uploaded to it). Each (board, image) pair carries whether
 * the board's stored shapes reference the image and, when they do not, since when: the collector
 * removes pairs unreferenced for longer than its grace period, then bytes no board has. Every write is
 * idempotent, so processes of a cluster may all run the collector.
 */
export interface ImageStorage {
	/**
	 * Stores `image` under `hash` (once, whichever boards upload it) and gives it to `board`. 'created':
	 * the board did not have it; 'existing': it did (then its grace period starts again, as a fresh upload's).
	 * The caller vouches that `hash` is the SHA-256 of the bytes and `mime` their sniffed type.
	 */
	putImage(board: string, hash: string, image: StoredImage, now: number): Promise<'created' | 'existing'>;
	/** The image, when `board` has it; null otherwise (even if another board has it). */
	getImage(board: string, hash: string): Promise<StoredImage | null>;
	/** Total bytes of the images `board` has (each image counted in full for every board that has it): for its quota. */
	boardImageBytes(board: string): Promise<number>;
	/**
	 * Records which of its images the board's stored shapes reference now (`hashes`: all of them; hashes
	 * the board does not have are ignored). Those become referenced; the board's others, if they were
	 * referenced, become unreferenced as of `now` (ms since the epoch).
	 */
	touchImageRefs(board: string, hashes: Iterable<string>, now: number): Promise<void>;
	/**
	 * Removes every board's images unreferenced since before `olderThan` (ms since the epoch), then the
	 * bytes of images no board has any more. Resolves with how many of each were removed.
	 */
	collectImages(olderThan: number): Promise<{ boardImages: number; images: number }>;
}

/** A stored update with its sequence number. */
export interface LoggedUpdate {
	seq: number;
	data: Uint8Array;
}

/** What several processes serving the same boards need of storage (PostgreSQL only). */
export interface ClusterStorage extends RoomStorage {
	/**
	 * What a process that applied everything up to `afterSeq` is missing: the log rows after it, in seq order.
	 * When the log no longer holds afterSeq + 1 (another process compacted past it) `snapshot` is the stored
	 * snapshot (covering everything through `snapshotSeq`) and `updates` the rows after snapshotSeq;
	 * otherwise `snapshot` is null. `lastSeq` = the board's newest seq. One consistent read, like load().
	 */
	readSince(room: string, afterSeq: number): Promise<{ snapshot: Uint8Array | null; snapshotSeq: number; updates: LoggedUpdate[]; lastSeq: number }>;
	/** The newest stored seq of each named room (0 for a room with nothing stored); one query for all. */
	heads(rooms: readonly string[]): Promise<Map<string, number>>;
	/**
	 * Takes, or renews, the board's compaction lease for `holder` (a process id string) for `ttlMs`, measured
	 * by the database's clock (processes' clocks may disagree). Resolves with the lease's fence, or null while
	 * another holder's lease has not expired. Renewing one's own live lease keeps its fence; taking a lease
	 * (new, or expired) increments it: monotonic per board, never reused.
	 */
	leaseCompaction(room: string, holder: string, ttlMs: number): Promise<number | null>;
	/**
	 * compact() under a lease, in one transaction: writes only while the board's fence is still `fence` and
	 * `throughSeq` is past the stored snapshot's seq; then drops log rows up to `throughSeq`. Resolves true
	 * when written, false when fenced off (another process took the lease, or stored a newer snapshot), and
	 * nothing was written or deleted then.
	 */
	compactFenced(room: string, snapshot: Uint8Array, throughSeq: number, fence: number): Promise<boolean>;
}

export function isClusterStorage(storage: RoomStorage): storage is ClusterStorage {
	return 'leaseCompaction' in storage;
}

/**
 * Who may open a board: a link token is the HMAC of (board, right, generation), so each right's link
 * is the one of its current generation, and bumping a generation revokes that right's old link.
 * No record: the board is unclaimed, and opens to anyone with its address (as before links existed).
 */
export interface AccessRecord {
	editGeneration: number;
	viewGeneration: number;
	/** Whether viewers may browse the board's history (editors always may); false until an editor allows it. */
	historyForViewers: boolean;
}

export interface RoomSummary {
	name: string;
	/** Bytes stored for the room: snapshot plus log. */
	bytes: number;
	/** Updates in the log since the snapshot. */
	pendingUpdates: number;
	updatedAt: Date;
}

/** What an operator's tool needs beyond serving rooms; the server itself never lists or deletes. */
export interface StorageAdmin {
	listRooms(): Promise<RoomSummary[]>;
	/** Deletes everything of the room, its access record, versions and images included: the name is free to claim again. */
	deleteRoom(room: string): Promise<void>;
}

/** Another writer holds the store: this process must not write it (see RoomStorage). */
export class StoreInUseError extends Error {
	constructor(
		/** The store, as the operator configured it (a folder, a URL without credentials). */
		readonly store: string,
		/** Who holds it, as far as the engine can tell (e.g. "process 1234 on host a, started …"). */
		readonly holder: string
	) {
		super(`${store} is in use by ${holder}. Only one Boardwalk server may write it at a time (several only in cluster mode, on PostgreSQL with BUS_URL set on every one: docs/cluster.md): stop that one, or give this one another store.`);
		this.name = 'StoreInUseError';
	}
}

/** The store's file is not a Boardwalk store that can be read (empty, foreign, truncated, damaged): the server must not start on it. */
export class StoreUnreadableError extends Error {
	constructor(
		readonly store: string,
		/** What is wrong, in a few words. */
		readonly why: string
	) {
		super(
			`${store} cannot be read as a Boardwalk store: ${why}. Boardwalk will not start on it, so that it neither serves every board as empty nor writes over what may still be recovered. Restore the file from a backup, or move it (and its -wal and -shm files) away to start with an empty store.`
		);
		this.name = 'StoreUnreadableError';
	}
}

/** The store's server cannot be reached at start (a database down, a wrong host or port, refused credentials): the server must not start without it. */
export class StoreUnreachableError extends Error {
	constructor(
		/** The store, without credentials. */
		readonly store: string,
		/** What the client library said. */
		readonly why: string
	) {
		super(`cannot reach ${store}: ${why}`);
		this.name = 'StoreUnreachableError';
	}
}
