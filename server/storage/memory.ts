/** A RoomStorage that keeps everything in this process's memory: for tests, and for the bench to isolate the cost of durability. */
import type { VersionInfo } from '../../src/lib/shared/history.ts';
import type { AccessRecord, RoomStorage, RoomSummary, StorageAdmin, StoredImage, StoredRoom } from './types.ts';
import { versionsToThin, type RetentionPolicy } from './version-retention.ts';

interface MemoryRoom {
	snapshot: Uint8Array | null;
	log: Array<{ seq: number; update: Uint8Array }>;
	/** The compaction point: `lastSeq` when the log is empty. */
	snapshotSeq: number;
	updatedAt: Date;
}

/**
 * Nothing survives the process. Each instance is a store of its own that no other process or instance
 * can reach, so the one-writer rule of RoomStorage holds by construction: there is no second writer
 * to refuse.
 */
export class MemoryStorage implements RoomStorage, StorageAdmin {
	private readonly rooms = new Map<string, MemoryRoom>();
	private readonly access = new Map<string, AccessRecord>();
	private readonly images = new Map<string, StoredImage>();
	/** Per board, its images by hash: since when its shapes stopped referencing each (null: they reference it). */
	private readonly boardImages = new Map<string, Map<string, { unreferencedSince: number | null }>>();
	/** Per board, its versions by id, with their content. */
	private readonly versions = new Map<string, Map<string, { info: VersionInfo; content: Uint8Array }>>();
	private seq = 0;

	private room(name: string): MemoryRoom {
		let room = this.rooms.get(name);
		if (!room) this.rooms.set(name, (room = { snapshot: null, log: [], snapshotSeq: 0, updatedAt: new Date() }));
		return room;
	}

	async load(name: string): Promise<StoredRoom> {
		const room = this.rooms.get(name);
		if (!room) return { snapshot: null, updates: [], lastSeq: 0 };
		return { snapshot: room.snapshot, updates: room.log.map((e) => e.update), lastSeq: room.log.at(-1)?.seq ?? room.snapshotSeq };
	}

	async append(name: string, updates: readonly Uint8Array[]): Promise<number> {
		const room = this.room(name);
		// Copies, as a real engine would: the caller's buffers may be views into larger socket chunks.
		for (const update of updates) room.log.push({ seq: ++this.seq, update: update.slice() });
		room.updatedAt = new Date();
		return this.seq;
	}

	async compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		const room = this.room(name);
		room.snapshot = snapshot.slice();
		room.snapshotSeq = Math.max(room.snapshotSeq, throughSeq);
		room.log = room.log.filter((e) => e.seq > throughSeq);
		room.updatedAt = new Date();
	}

	async listRooms(): Promise<RoomSummary[]> {
		return [...this.rooms.entries()]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([name, room]) => ({
				name,
				bytes: (room.snapshot?.byteLength ?? 0) + room.log.reduce((sum, e) => sum + e.update.byteLength, 0),
				pendingUpdates: room.log.length,
				updatedAt: room.updatedAt
			}));
	}

	async deleteRoom(name: string): Promise<void> {
		this.rooms.delete(name);
		this.access.delete(name);
		this.boardImages.delete(name);
		this.versions.delete(name);
		this.dropUnownedImages();
	}

	async putImage(board: string, hash: string, image: StoredImage, now: number): Promise<'created' | 'existing'> {
		if (!this.images.has(hash)) this.images.set(hash, { mime: image.mime, bytes: image.bytes.slice() });
		let owned = this.boardImages.get(board);
		if (!owned) this.boardImages.set(board, (owned = new Map()));
		const pair = owned.get(hash);
		if (!pair) {
			owned.set(hash, { unreferencedSince: now });
			return 'created';
		}
		if (pair.unreferencedSince !== null) pair.unreferencedSince = now;
		return 'existing';
	}

	async getImage(board: string, hash: string): Promise<StoredImage | null> {
		if (!this.boardImages.get(board)?.has(hash)) return null;
		return this.images.get(hash) ?? null;
	}

	async boardImageBytes(board: string): Promise<number> {
		let total = 0;
		for (const hash of this.boardImages.get(board)?.keys() ?? []) total += this.images.get(hash)?.bytes.byteLength ?? 0;
		return total;
	}

	async touchImageRefs(board: string, hashes: Iterable<string>, now: number): Promise<void> {
		const referenced = new Set(hashes);
		for (const [hash, pair] of this.boardImages.get(board) ?? []) {
			if (referenced.has(hash)) pair.unreferencedSince = null;
			else if (pair.unreferencedSince === null) pair.unreferencedSince = now;
		}
	}

	async collectImages(olderThan: number): Promise<{ boardImages: number; images: number }> {
		let boardImages = 0;
		for (const owned of this.boardImages.values()) {
			for (const [hash, pair] of owned) {
				if (pair.unreferencedSince !== null && pair.unreferencedSince < olderThan) {
					owned.delete(hash);
					boardImages++;
				}
			}
		}
		return { boardImages, images: this.dropUnownedImages() };
	}

	/** Deletes the bytes of images no board has; resolves with how many. */
	private dropUnownedImages(): number {
		const owned = new Set<string>();
		for (const images of this.boardImages.values()) for (const hash of images.keys()) owned.add(hash);
		let dropped = 0;
		for (const hash of this.images.keys()) {
			if (!owned.has(hash)) {
				this.images.delete(hash);
				dropped++;
			}
		}
		return dropped;
	}

	async loadAccess(board: string): Promise<AccessRecord | null> {
		const record = this.access.get(board);
		return record ? { ...record } : null;
	}

	async claimAccess(board: string): Promise<boolean> {
		if (this.access.has(board)) return false;
		this.access.set(board, { editGeneration: 0, viewGeneration: 0, historyForViewers: false });
		return true;
	}

	async resetAccess(board: string, right: 'edit' | 'view'): Promise<AccessRecord | null> {
		const record = this.access.get(board);
		if (!record) return null;
		if (right === 'edit') record.editGeneration++;
		else record.viewGeneration++;
		return { ...record };
	}

	async setHistoryForViewers(board: string, allowed: boolean): Promise<AccessRecord | null> {
		const record = this.access.get(board);
		if (!record) return null;
		record.historyForViewers = allowed;
		return { ...record };
	}

	async addVersion(board: string, info: VersionInfo, content: Uint8Array): Promise<void> {
		let versions = this.versions.get(board);
		if (!versions) this.versions.set(board, (versions = new Map()));
		versions.set(info.id, { info: structuredClone(info), content: content.slice() });
	}

	async listVersions(board: string): Promise<VersionInfo[]> {
		const versions = [...(this.versions.get(board)?.values() ?? [])].map((v) => structuredClone(v.info));
		return versions.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
	}

	async getVersion(board: string, id: string): Promise<{ info: VersionInfo; content: Uint8Array } | null> {
		const version = this.versions.get(board)?.get(id);
		return version ? { info: structuredClone(version.info), content: version.content.slice() } : null;
	}

	async renameVersion(board: string, id: string, name: string | null): Promise<VersionInfo | null> {
		const version = this.versions.get(board)?.get(id);
		if (!version) return null;
		version.info.name = name;
		return structuredClone(version.info);
	}

	async deleteVersion(board: string, id: string): Promise<boolean> {
		return this.versions.get(board)?.delete(id) ?? false;
	}

	async thinVersions(board: string, now: number, policy: RetentionPolicy): Promise<number> {
		const versions = this.versions.get(board);
		if (!versions) return 0;
		const dropped = versionsToThin([...versions.values()].map((v) => v.info), now, policy);
		for (const id of dropped) versions.delete(id);
		return dropped.length;
	}

	async close(): Promise<void> {}
}
