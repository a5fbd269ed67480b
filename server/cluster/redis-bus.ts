/** The bus between Boardwalk processes on Redis pub/sub (BUS_URL=redis://…): fire-and-forget delivery, with catch-up from storage behind it. */
import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { withoutCredentials } from '../storage/url.ts';

/**
 * What the bus must do, and all it may be trusted with: deliver quickly, most of the time. Pub/sub
 * drops messages while a subscriber is disconnected and never replays them; that is fine because
 * nothing is only on the bus: an update is stored before it is published, and a process fills any gap
 * from storage by sequence number (ClusterNode). So Redis holds no data, needs no persistence, and can
 * be restarted at any time.
 */
export interface Bus {
	/** Whether both connections are up: what is published now is delivered. */
	readonly up: boolean;
	/** Starts receiving the channel's messages; resolves once Redis confirmed it (or at once when the bus is down: it is subscribed on return). */
	subscribe(channel: string): Promise<void>;
	unsubscribe(channel: string): void;
	/** Sends to every subscriber of the channel; dropped (not queued) while the bus is down. */
	publish(channel: string, message: Uint8Array): void;
	close(): Promise<void>;
}

export interface BusEvents {
	message(channel: string, message: Uint8Array): void;
	/** The bus came back after an outage: whatever was published meanwhile was lost and must be caught up on. */
	restored(): void;
	/** The bus went down. */
	lost(): void;
}

/** Redis cannot be reached at start (wrong host, port, password): the server must not start without its bus. */
export class BusUnreachableError extends Error {
	constructor(
		readonly bus: string,
		readonly why: string
	) {
		super(`cannot reach ${bus}: ${why}`);
		this.name = 'BusUnreachableError';
	}
}

/** How long the start waits for Redis before giving up with BusUnreachableError. */
const CONNECT_TIMEOUT_MS = 10_000;

export class RedisBus implements Bus {
	private wasUp = false;
	private closed = false;
	/** Messages dropped while down since the last report: logged once per outage, not once per message. */
	private dropped = 0;

	private constructor(
		private readonly pub: Redis,
		private readonly sub: Redis,
		private readonly name: string,
		private readonly events: BusEvents,
		private readonly log: Logger
	) {}

	static async open(url: string, events: BusEvents, log: Logger): Promise<RedisBus> {
		const name = withoutCredentials(url);
		const options = {
			lazyConnect: true,
			// Reconnect forever, backing off to 2 s: the bus returning is the normal end of an outage.
			retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
			maxRetriesPerRequest: null,
			connectTimeout: CONNECT_TIMEOUT_MS
		};
		// Publishes are never queued while down: storage has them, and a stale burst on return would only repeat what catch-up fetched.
		const pub = new Redis(url, { ...options, enableOfflineQueue: false, connectionName: 'boardwalk-pub' });
		const sub = new Redis(url, { ...options, connectionName: 'boardwalk-sub' });
		const bus = new RedisBus(pub, sub, name, events, log);
		// ioredis emits 'error' on every failed attempt; without a listener Node would crash on it.
		let lastError = '';
		const noteError = (error: Error) => (lastError = error.message || String(error));
		pub.on('error', noteError);
		sub.on('error', noteError);
		try {
			await Promise.all([pub.connect(), sub.connect()]);
		} catch (error) {
			pub.disconnect();
			sub.disconnect();
			throw new BusUnreachableError(name, lastError || (error as Error).message);
		}
		bus.watch();
		return bus;
	}

	get up(): boolean {
		return this.pub.status === 'ready' && this.sub.status === 'ready';
	}

	private watch(): void {
		this.wasUp = true;
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
			this.events.message(channel.toString(), new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
		});
		const changed = () => {
			if (this.closed) return;
			const up = this.up;
			if (up === this.wasUp) return;
			this.wasUp = up;
			if (up) {
				this.log.info({ bus: this.name, dropped: this.dropped }, 'bus restored: catching up from storage');
				this.dropped = 0;
				this.events.restored();
			} else {
				this.log.error({ bus: this.name }, 'bus lost: serving this process\'s own clients; other processes\' updates arrive from storage until it returns');
				this.events.lost();
			}
		};
		for (const client of [this.pub, this.sub]) {
			client.on('ready', changed);
			client.on('close', changed);
			client.on('end', changed);
		}
	}

	async subscribe(channel: string): Promise<void> {
		const subscribing = this.sub.subscribe(channel);
		if (!this.up) {
			// Queued: ioredis sends it (and re-subscribes every channel) once the connection is back.
			subscribing.catch(() => {});
			return;
		}
		await subscribing.catch(() => {});
	}

	unsubscribe(channel: string): void {
		this.sub.unsubscribe(channel).catch(() => {});
	}

	publish(channel: string, message: Uint8Array): void {
		if (this.pub.status !== 'ready') {
			this.dropped++;
			return;
		}
		this.pub.publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength)).catch(() => this.dropped++);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await Promise.all([this.pub.quit().catch(() => this.pub.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
	}
}

/** One message from a tool that is not a member of the cluster; throws BusUnreachableError when Redis cannot be reached. */
export async function publishOnce(url: string, channel: string, message: Uint8Array): Promise<void> {
	const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: CONNECT_TIMEOUT_MS });
	redis.on('error', () => {});
	try {
		await redis.connect();
		await redis.publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength));
	} catch (error) {
		throw new BusUnreachableError(withoutCredentials(url), (error as Error).message);
	} finally {
		redis.disconnect();
	}
}
