/** One client's socket as the rooms see it: its grant, ordered frame intake, safe sends, a single close. */
import { CloseCode } from '../../src/lib/shared/wire.ts';
import type { Grant } from '../auth/authorize.ts';
import { encodePermissionDenied } from '../frames.ts';
import type { Logger } from '../log.ts';

/** The least a socket must offer; server/sockets/ adapts the real socket library to it. */
export interface PeerSocket {
	send(data: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Bytes queued but not yet written to the network. */
	readonly bufferedAmount: number;
	/** Hold writes until `uncork`, so the frames of one flush leave in one system call. */
	cork(): void;
	uncork(): void;
}

/** A client that stopped reading (tab frozen, dead link) must not make the server buffer without bound. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

let nextId = 1;

/** Frames a client may send before its room has loaded; a real client sends two or three. */
const MAX_BACKLOG_FRAMES = 256;

/** The answer to a viewer's write, encoded once for every viewer. */
const VIEW_ONLY = encodePermissionDenied('view only');
/** Connections already told; a set beside them rather than a field, so the connections that never write pay nothing. */
const toldViewOnly = new WeakSet<Connection>();

export class Connection {
	readonly id = (nextId++).toString(36);
	closed = false;
	/** Frames that arrived before the room was ready; handed over in order on join. Made on first use. */
	#backlog: Uint8Array[] | null = null;
	#log: Logger | null = null;

	constructor(
		private readonly socket: PeerSocket,
		/** What `authorize` decided for this connection before its upgrade (server/auth/authorize.ts). */
		readonly grant: Grant,
		private readonly parentLog: Logger
	) {}

	get roomName(): string {
		return this.grant.board;
	}

	/** Made on first use: a child logger per idle connection would cost more memory than the connection itself. */
	get log(): Logger {
		return (this.#log ??= this.parentLog.child({ room: this.roomName, conn: this.id }));
	}

	/** Keeps a frame that arrived before the room loaded; closes the connection if it sends too many. */
	hold(frame: Uint8Array): void {
		this.#backlog ??= [];
		if (this.#backlog.length < MAX_BACKLOG_FRAMES) this.#backlog.push(frame);
		else this.close(CloseCode.PolicyViolation, 'too many frames before the room loaded');
	}

	/** The frames held until now, oldest first; the connection holds none after this. */
	takeBacklog(): Uint8Array[] {
		const backlog = this.#backlog ?? [];
		this.#backlog = null;
		return backlog;
	}

	cork(): void {
		if (!this.closed) this.socket.cork();
	}

	uncork(): void {
		// Uncork even when closed meanwhile: frames written before the close must still leave.
		this.socket.uncork();
	}

	send(frame: Uint8Array): void {
		if (this.closed) return;
		if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
			this.close(1008, 'client is not reading: too much data queued');
			return;
		}
		try {
			this.socket.send(frame);
		} catch (error) {
			this.log.warn({ err: error }, 'send failed');
			this.close(1011, 'send failed');
		}
	}

	/**
	 * A write of this connection was dropped (a `view` grant): says so once per connection with
	 * y-protocols' permission-denied, not once per message, and keeps the connection open.
	 */
	denyWrite(): void {
		if (toldViewOnly.has(this)) return;
		toldViewOnly.add(this);
		this.send(VIEW_ONLY);
	}

	/** Closes once; later calls are ignored. The socket's close event (server/sockets/) does the room bookkeeping. */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		try {
			this.socket.close(code, reason);
		} catch (error) {
			this.log.warn({ err: error }, 'close failed');
		}
	}
}
