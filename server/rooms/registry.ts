/** The loaded rooms: each loads once however many clients join at once, and unloads only after it is stored. */
import type { Box, Shape } from '../../src/lib/shared/model/index.ts';
import { KeyedTokenBuckets } from '../limits/token-bucket.ts';
import { DEFAULT_LIMITS, RateLimitedError, type Limits } from '../limits/limits.ts';
import type { Logger } from '../log.ts';
import type { RoomStorage } from '../storage/types.ts';
import { DEFAULT_COMPACTION, type CompactionPolicy } from './compaction.ts';
import type { Connection } from './connection.ts';
import { BoardUnreadableError, Room } from './room.ts';
import type { RoomCluster } from './room-cluster.ts';
import type { VersionInfo, VersionKind } from '../../src/lib/shared/history.ts';
import type { HistoryClock, HistoryPolicy } from '../history/policy.ts';

export interface RegistryOptions {
	storage: RoomStorage;
	log: Logger;
	/** How long an empty room stays loaded, so a reload or a quick reconnect does not pay a load. */
	unloadDelayMs: number;
	/** DEFAULT_COMPACTION when left out. */
	compaction?: CompactionPolicy;
	/** DEFAULT_LIMITS when left out. */
	limits?: Pick<Limits, 'maxBoardBytes' | 'newBoardsPerMinute'>;
	/** The other processes serving the same boards (server/cluster/node.ts); absent on a single process. */
	cluster?: RoomCluster | null;
	/** Version history's policy and clock (server/history/); absent: rooms record no versions. */
	history?: { policy: HistoryPolicy; clock: HistoryClock } | null;
}

interface Entry {
	loading: Promise<Room>;
	room: Room | null;
	unloadTimer: NodeJS.Timeout | null;
	unloading: Promise<void> | null;
}

export class ShuttingDownError extends Error {}

export class RoomRegistry {
	private readonly entries = new Map<string, Entry>();
	private shuttingDown = false;
	private readonly limits: Pick<Limits, 'maxBoardBytes' | 'newBoardsPerMinute'>;
	/** Boards created per client address (Limits.newBoardsPerMinute). */
	private readonly created: KeyedTokenBuckets;
	/**
	 * Boards whose stored snapshot cannot be decoded, found once and logged once: later joins are closed
	 * with 4004 at once, without reading them again, until an operator repairs the store and restarts.
	 */
	private readonly unreadable = new Set<string>();

	constructor(private readonly options: RegistryOptions) {
		this.limits = options.limits ?? DEFAULT_LIMITS;
		const perMinute = this.limits.newBoardsPerMinute;
		this.created = new KeyedTokenBuckets(perMinute / 60, perMinute);
	}

	/**
	 * Loads the room before a client at `address` is let in (an upgrade), so that a board it creates
	 * counts against its Limits.newBoardsPerMinute: throws RateLimitedError past it. An unreadable board is
	 * let through here: its socket is opened and closed with 4004, which a browser can read.
	 */
	async admit(name: string, address: string | null): Promise<void> {
		try {
			const { entry, room } = await this.loaded(name, address);
			if (room.connections.size === 0) this.unloadLater(entry, room);
		} catch (error) {
			if (!(error instanceof BoardUnreadableError)) throw error;
		}
	}

	get roomCount(): number {
		return this.entries.size;
	}

	/** The boards loaded (or loading) now. */
	loadedBoards(): string[] {
		return [...this.entries.keys()];
	}

	get connectionCount(): number {
		let count = 0;
		for (const entry of this.entries.values()) count += entry.room?.connections.size ?? 0;
		return count;
	}

	/** Adds `conn` to its room, loading the room first if needed. */
	async join(conn: Connection): Promise<Room> {
		const { entry, room } = await this.loaded(conn.roomName);
		if (entry.unloadTimer) {
			clearTimeout(entry.unloadTimer);
			entry.unloadTimer = null;
		}
		if (conn.closed) return room; // left while the room loaded: nothing to join
		room.join(conn);
		return room;
	}

	/**
	 * The room's preview (Room.preview), loading the room if needed: the page asks for it as it starts,
	 * so a board nobody had open loads while the browser is still starting the app. A room loaded for a
	 * preview alone unloads after the delay, as if its last client had left.
	 */
	async preview(name: string, view: Box | null = null, address: string | null = null): Promise<string | null> {
		const { entry, room } = await this.loaded(name, address);
		if (room.connections.size === 0) this.unloadLater(entry, room);
		return room.preview(view);
	}

	/** The board's stored shapes (Room.storedShapes) for an export, loading the room like a preview does. */
	async shapes(name: string, address: string | null = null): Promise<Shape[] | null> {
		const { entry, room } = await this.loaded(name, address);
		if (room.connections.size === 0) this.unloadLater(entry, room);
		return room.storedShapes();
	}

	/** Stores a version of the board as stored now (Room.recordVersion), loading the room like a preview does. */
	async recordVersion(name: string, kind: Exclude<VersionKind, 'auto'>, versionName: string | null, address: string | null = null): Promise<VersionInfo | null> {
		const { entry, room } = await this.loaded(name, address);
		if (room.connections.size === 0) this.unloadLater(entry, room);
		return room.recordVersion(kind, versionName);
	}

	leave(room: Room, conn: Connection): void {
		room.leave(conn);
		const entry = this.entries.get(room.name);
		if (room.connections.size > 0 || !entry || entry.room !== room) return;
		this.unloadLater(entry, room);
	}

	/** The loaded room of this name, loading it (or waiting for its unload, then loading it again) if needed. */
	private async loaded(name: string, address: string | null = null): Promise<{ entry: Entry; room: Room }> {
		for (;;) {
			if (this.shuttingDown) throw new ShuttingDownError('server shutting down');
			if (this.unreadable.has(name)) throw new BoardUnreadableError(name, null);
			let entry = this.entries.get(name);
			const starting = entry === undefined;
			entry ??= this.startLoad(name);
			if (entry.unloading) {
				await entry.unloading;
				// unload() always ends the room, whose onGone drops the entry; make sure of it to never spin.
				if (this.entries.get(name) === entry) this.entries.delete(name);
				continue;
			}
			const room = await entry.loading;
			if (room.isGone || entry.unloading) continue; // unloaded or failed while we waited: load again
			// Only the request that made the load pays for a new board; a board nobody writes stays unstored.
			if (starting && room.created && address !== null) {
				const waitMs = this.created.take(address);
				if (waitMs > 0) {
					// Dropped at once, so that asking again does not find it loaded for free.
					if (room.connections.size === 0) this.unloadNow(entry, room);
					throw new RateLimitedError(waitMs, `too many new boards from ${address}`);
				}
			}
			return { entry, room };
		}
	}

	/** Unloads the room after the delay unless someone joins meanwhile. */
	private unloadLater(entry: Entry, room: Room): void {
		if (entry.unloadTimer || entry.unloading) return;
		entry.unloadTimer = setTimeout(() => {
			entry.unloadTimer = null;
			this.unloadNow(entry, room);
		}, this.options.unloadDelayMs);
		entry.unloadTimer.unref();
	}

	private unloadNow(entry: Entry, room: Room): void {
		if (room.connections.size > 0 || room.isGone || entry.unloading) return;
		if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
		entry.unloadTimer = null;
		entry.unloading = room.unload().catch((error: unknown) => {
			this.options.log.error({ err: error, room: room.name }, 'unload failed');
		});
	}

	private startLoad(name: string): Entry {
		const entry: Entry = { loading: Promise.resolve(null as never), room: null, unloadTimer: null, unloading: null };
		entry.loading = Room.load(name, {
			storage: this.options.storage,
			log: this.options.log,
			compaction: this.options.compaction ?? DEFAULT_COMPACTION,
			maxBoardBytes: this.limits.maxBoardBytes,
			cluster: this.options.cluster,
			history: this.options.history,
			onGone: (room) => {
				if (this.entries.get(name) === entry) this.entries.delete(name);
				this.options.log.info({ room: room.name }, 'room unloaded');
			}
		}).then(
			(room) => {
				entry.room = room;
				return room;
			},
			(error: unknown) => {
				if (this.entries.get(name) === entry) this.entries.delete(name);
				if (error instanceof BoardUnreadableError && !this.unreadable.has(name)) {
					this.unreadable.add(name);
					this.options.log.error({ err: error, room: name }, 'board unreadable: its stored snapshot cannot be decoded; its sockets are closed with 4004');
				}
				throw error;
			}
		);
		this.entries.set(name, entry);
		return entry;
	}

	/** Stops new joins, stores every room and closes every connection with 1001. */
	async shutdown(): Promise<void> {
		this.shuttingDown = true;
		const rooms = await Promise.allSettled([...this.entries.values()].map((e) => e.loading));
		await Promise.all(
			rooms.map(async (result) => {
				if (result.status !== 'fulfilled') return;
				try {
					await result.value.unload();
				} catch (error) {
					this.options.log.error({ err: error, room: result.value.name }, 'storing room at shutdown failed');
				}
			})
		);
	}
}
