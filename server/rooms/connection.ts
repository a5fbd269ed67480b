/** One client's socket as the rooms see it: ordered frame intake, safe sends, a single close. */
import type { Logger } from '../log.ts';

/** The least a socket must offer; ws.ts adapts the real socket library to it. */
export interface PeerSocket {
	send(data: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Bytes queued but not yet written to the network. */
	readonly bufferedAmount: number;
}

/** A client that stopped reading (tab frozen, dead link) must not make the server buffer without bound. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

let nextId = 1;

export class Connection {
	readonly id = (nextId++).toString(36);
	readonly log: Logger;
	closed = false;
	/** Frames that arrived before the room was ready; handed over in order on join. */
	backlog: Uint8Array[] = [];

	constructor(
		private readonly socket: PeerSocket,
		readonly roomName: string,
		log: Logger
	) {
		this.log = log.child({ room: roomName, conn: this.id });
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
