/** One client's socket as the rooms see it: ordered frame intake, safe sends, a single close. */
import type { Logger } from '../log.ts';

/** The least a socket must offer; ws.ts adapts the real socket library to it. */
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

export class Connection {
	readonly id = (nextId++).toString(36);
	closed = false;
	/** Frames that arrived before the room was ready; handed over in order on join. */
	backlog: Uint8Array[] = [];
	#log: Logger | null = null;

	constructor(
		private readonly socket: PeerSocket,
		readonly roomName: string,
		private readonly parentLog: Logger
	) {}

	/** Made on first use: a child logger per idle connection would cost more memory than the connection itself. */
	get log(): Logger {
		return (this.#log ??= this.parentLog.child({ room: this.roomName, conn: this.id }));
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

	/** Closes once; later calls are ignored. `onClose` in ws.ts does the room bookkeeping. */
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
