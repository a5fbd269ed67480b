/** This process's part in a cluster (BUS_URL): its rooms' channels on the bus, catch-up from storage, presence and access across processes. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '../log.ts';
import type { Room } from '../rooms/room.ts';
import type { RemotePresenceOwner, RoomCluster } from '../rooms/room-cluster.ts';
import type { ClusterStorage } from '../storage/types.ts';
import { CompactionLease } from './compaction-lease.ts';
import { encodeAwarenessUpdate } from '../frames.ts';
import { decodeBusMessage, encodeBusMessage, type BusMessage } from './messages.ts';
import { RedisBus, publishOnce, type Bus, type BusEvents } from './redis-bus.ts';

/** README "Cluster": CLUSTER_CATCH_UP_MS, CLUSTER_LEASE_MS, CLUSTER_PROCESS_TIMEOUT_MS. */
export interface ClusterSettings {
	/** How often storage is asked for the boards' newest seqs: a gap that lasts one interval is filled from storage. */
	catchUpMs: number;
	/** How long a compaction lease lasts (renewed at each compaction by its holder). */
	leaseMs: number;
	/** A process not heard from this long is dead: its presence entries go everywhere. */
	processTimeoutMs: number;
}

export const DEFAULT_CLUSTER: Readonly<ClusterSettings> = Object.freeze({ catchUpMs: 1_000, leaseMs: 30_000, processTimeoutMs: 15_000 });

/** Another process's presence entry not renewed for this long goes (y-protocols clients renew every 15 s and time out others at 30 s). */
export const REMOTE_PRESENCE_TIMEOUT_MS = 30_000;

const CLUSTER_CHANNEL = 'boardwalk:cluster';

/** A test's failpoint, never set in production: the process kills itself after its first append, before it publishes it. */
const DIE_BEFORE_PUBLISH = process.env.BOARDWALK_FAILPOINT === 'die-before-publish';
const boardChannel = (board: string) => `boardwalk:board:${board}`;
const BOARD_PREFIX = boardChannel('');

interface RemoteProcess extends RemotePresenceOwner {
	heardAt: number;
}

/** What the node does to the rest of the server when another process changes a board's access. */
export interface AccessListener {
	/** Another process claimed the board or reset one of its links. */
	changed(board: string): void;
	/** Changes may have been missed while the bus was down. */
	missed(): void;
}

/**
 * Every process serving a board applies every stored update of it: its own, as it stores them (the
 * durable relay), and the others', from the bus, each tagged with its seq. Gaps (a message lost, or
 * its publisher dead between storing and publishing) and silences are found by asking storage for the
 * boards' newest seqs every `catchUpMs`, and filled by reading the log after the last seq applied
 * without a gap (ClusterStorage.readSince). See docs/cluster.md.
 */
export class ClusterNode implements RoomCluster, BusEvents {
	/** Unique per process start: a restarted process is a new one (its old presence is a dead process's). */
	readonly processId = `${os.hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
	private bus: Bus | null = null;
	private readonly rooms = new Map<string, Room>();
	private readonly processes = new Map<string, RemoteProcess>();
	private readonly timers: NodeJS.Timeout[] = [];
	private catchingUp: Promise<void> | null = null;
	/** Whether the last catch-up failed on storage: logged once per outage. */
	private storageDown = false;
	access: AccessListener | null = null;

	constructor(
		private readonly storage: ClusterStorage,
		private readonly log: Logger,
		private readonly settings: ClusterSettings = DEFAULT_CLUSTER
	) {}

	/** Connects to the bus (throws BusUnreachableError when it cannot at start) and starts the timers. */
	async connect(url: string): Promise<void> {
		this.bus = await RedisBus.open(url, this, this.log);
		await this.bus.subscribe(CLUSTER_CHANNEL);
		this.publish(CLUSTER_CHANNEL, { kind: 'heartbeat', origin: this.processId });
		const every = (ms: number, run: () => void) => {
			const timer = setInterval(run, ms);
			timer.unref();
			this.timers.push(timer);
		};
		every(this.settings.catchUpMs, () => void this.catchUp(false));
		every(this.settings.processTimeoutMs / 3, () => this.beat());
		this.log.info({ process: this.processId }, 'cluster mode: boards are shared with the other processes on the bus');
	}

	get busUp(): boolean {
		return this.bus?.up ?? false;
	}

	private publish(channel: string, message: BusMessage): void {
		this.bus?.publish(channel, encodeBusMessage(message));
	}

	async attach(room: Room): Promise<void> {
		this.rooms.set(room.name, room);
		const channel = boardChannel(room.name);
		await this.bus?.subscribe(channel);
		this.publish(channel, { kind: 'presence-query', origin: this.processId });
	}

	detach(room: Room): void {
		if (this.rooms.get(room.name) !== room) return;
		this.rooms.delete(room.name);
		this.bus?.unsubscribe(boardChannel(room.name));
	}

	stored(room: string, firstSeq: number, updates: readonly Uint8Array[]): void {
		// The one failure the design must survive without the bus: dying between "stored" and "published" (tests/integration/cluster.test.ts).
		if (DIE_BEFORE_PUBLISH) process.kill(process.pid, 'SIGKILL');
		this.publish(boardChannel(room), { kind: 'updates', origin: this.processId, firstSeq, updates: updates as Uint8Array[] });
	}

	presence(room: string, update: Uint8Array): void {
		this.publish(boardChannel(room), { kind: 'presence', origin: this.processId, update });
	}

	compactionRight(room: string): CompactionLease {
		return new CompactionLease(this.storage, room, this.processId, this.settings.leaseMs);
	}

	/** This process changed the board's access record. */
	accessChanged(board: string): void {
		this.publish(CLUSTER_CHANNEL, { kind: 'access-changed', origin: this.processId, board });
	}

	message(channel: string, data: Uint8Array): void {
		const message = decodeBusMessage(data);
		if (message === null || message.origin === this.processId) return;
		const from = this.heard(message.origin);
		if (channel === CLUSTER_CHANNEL) {
			if (message.kind === 'access-changed') this.access?.changed(message.board);
			return;
		}
		if (!channel.startsWith(BOARD_PREFIX)) return;
		const room = this.rooms.get(channel.slice(BOARD_PREFIX.length));
		if (room === undefined) return;
		switch (message.kind) {
			case 'updates':
				room.remoteUpdates(message.firstSeq, message.updates);
				return;
			case 'presence':
				room.remotePresence(from, message.update);
				return;
			case 'presence-query': {
				const local = room.awareness.local();
				if (local.length > 0) this.presence(room.name, encodeAwarenessUpdate(local));
				return;
			}
		}
	}

	restored(): void {
		this.access?.missed();
		void this.catchUp(true);
		for (const room of this.rooms.values()) this.publish(boardChannel(room.name), { kind: 'presence-query', origin: this.processId });
	}

	lost(): void {}

	private heard(processId: string): RemoteProcess {
		let known = this.processes.get(processId);
		if (known === undefined) this.processes.set(processId, (known = { processId, heardAt: 0 }));
		known.heardAt = performance.now();
		return known;
	}

	/** Says this process is alive, and drops the presence of processes that stopped saying so, and of entries not renewed. */
	private beat(): void {
		this.publish(CLUSTER_CHANNEL, { kind: 'heartbeat', origin: this.processId });
		const now = performance.now();
		const dead = new Set<RemotePresenceOwner>();
		for (const [id, known] of this.processes) {
			if (now - known.heardAt < this.settings.processTimeoutMs) continue;
			this.processes.delete(id);
			dead.add(known);
			this.log.warn({ process: id }, 'a cluster process went silent: its presence entries are dropped');
		}
		// While the bus is down nothing is heard from anyone: entries wait for it, not for a timeout.
		if (!this.busUp) return;
		const cutoff = now - REMOTE_PRESENCE_TIMEOUT_MS;
		for (const room of this.rooms.values()) room.dropRemotePresence((owner, at) => 'processId' in owner && (dead.has(owner) || at < cutoff));
	}

	/**
	 * Asks storage for every loaded board's newest seq and fills what is missing. `force`: fill every
	 * gap now (the bus was down: whatever was published meanwhile is lost); otherwise only gaps that
	 * stood since the previous round (an update published late is not fetched twice).
	 */
	catchUp(force: boolean): Promise<void> {
		this.catchingUp ??= this.runCatchUp(force).finally(() => (this.catchingUp = null));
		return this.catchingUp;
	}

	private async runCatchUp(force: boolean): Promise<void> {
		const ready = [...this.rooms.values()].filter((room) => room.appliedSeqs !== null);
		if (ready.length === 0) return;
		try {
			const heads = await this.storage.heads(ready.map((room) => room.name));
			for (const room of ready) {
				const seqs = room.appliedSeqs;
				if (seqs === null) continue;
				seqs.heard(heads.get(room.name) ?? 0);
				if (!(force ? seqs.behind : seqs.gapOutlived())) continue;
				const found = await this.storage.readSince(room.name, seqs.contiguous);
				room.caughtUp(found);
				this.log.info({ room: room.name, through: found.lastSeq }, 'caught up from storage');
			}
			if (this.storageDown) this.log.info('storage reachable again: catch-up resumed');
			this.storageDown = false;
		} catch (error) {
			if (!this.storageDown) this.log.error({ err: error }, 'catch-up from storage failed; retrying every interval');
			this.storageDown = true;
		}
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearInterval(timer);
		await this.bus?.close();
	}
}

/** Tells every process of the cluster that a board's access record changed outside them (`npm run links`). */
export function announceAccessChanged(busUrl: string, board: string): Promise<void> {
	return publishOnce(busUrl, CLUSTER_CHANNEL, encodeBusMessage({ kind: 'access-changed', origin: 'links', board }));
}
