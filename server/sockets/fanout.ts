/**
 * The fan-out fast path the benchmarks justified, in one place: how a room's frames reach a ws socket,
 * and how they are read from it. Each part carries the figure that earned it (bench/JOURNAL.md has the runs).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { PeerSocket } from '../rooms/connection.ts';

const OPEN = 1; // WebSocket.OPEN

/** Payloads up to this size (the largest with a 16-bit length) are framed once for all their receivers; bigger ones (sync replies) go through ws. */
const MAX_SHARED_FRAME_BYTES = 0xffff;

/**
 * 1. One frame for all receivers. A server's WebSocket frames are not masked (RFC 6455 §5.2), so one
 * update relayed to 100 peers is the same bytes 100 times. A room sends a frame to its peers one
 * after another, so a one-entry cache builds each frame once, where ws would build a header and make
 * a two-buffer write per peer. Microbench, 19 peers, 45-byte frames: ~120 vs ~155 µs of CPU per frame
 * sent to all 19. One cache per socket server (a test or bench may run several in one process).
 */
export class FrameCache {
	private lastPayload: Uint8Array | null = null;
	private lastFrame: Buffer = Buffer.alloc(0);

	/** The unmasked binary frame (FIN + binary opcode, 7- or 16-bit length) holding `payload`. */
	frameOf(payload: Uint8Array): Buffer {
		if (payload === this.lastPayload) return this.lastFrame;
		const length = payload.byteLength;
		const header = length < 126 ? 2 : 4; // 7-bit length, or 126 and a 16-bit one
		const frame = Buffer.allocUnsafe(header + length);
		frame[0] = 0x82; // FIN + binary
		if (header === 2) frame[1] = length;
		else {
			frame[1] = 126;
			frame.writeUInt16BE(length, 2);
		}
		frame.set(payload, header);
		this.lastPayload = payload;
		this.lastFrame = frame;
		return frame;
	}
}

/**
 * A ws socket as the rooms see it (PeerSocket). `stream` is the upgraded request's own socket
 * (`IncomingMessage.socket`, public), the one ws writes its frames to.
 *
 * 2. Cork per flush: a room sends one tick's frames with every peer corked, so a peer that gets
 * several frames of the tick gets one `writev`. ws has no cork of its own, so it is done on `stream`.
 * At 20 clients × 1000/s `writev` fell to 29% of our busy time against 56% for the reference server,
 * whose busy time is about twice ours.
 *
 * Our writes keep the order of ws's own (pings, close): ws's sender queues frames only while
 * compressing (only with an extension, and then `send` leaves the frame to ws) or reading a Blob (we
 * never send one).
 */
export class FanoutPeer implements PeerSocket {
	/** No extension was negotiated (fixed at the handshake): frames may be written as FrameCache builds them. */
	private readonly plainFrames: boolean;

	constructor(
		readonly socket: WebSocket,
		private readonly stream: Socket,
		private readonly frames: FrameCache
	) {
		this.plainFrames = socket.extensions === '';
	}

	send(data: Uint8Array): void {
		const { socket } = this;
		// A socket that is not open goes through ws, which drops or refuses the send as it always has.
		if (!this.plainFrames || data.byteLength > MAX_SHARED_FRAME_BYTES || socket.readyState !== OPEN) socket.send(data);
		else this.stream.write(this.frames.frameOf(data));
	}

	close(code: number, reason: string): void {
		this.socket.close(code, reason);
	}

	get bufferedAmount(): number {
		return this.socket.bufferedAmount;
	}

	cork(): void {
		this.stream.cork();
	}

	uncork(): void {
		this.stream.uncork();
	}
}

/** The socket events our own listeners handle. */
export const SOCKET_EVENTS = ['message', 'close', 'error'] as const;

type Listener = (...args: unknown[]) => void;

/**
 * 3. Frames are read by our own `message` listener (server.ts), which hands the room a view of ws's
 * Buffer. @hono/node-server's helper would wrap each frame in a MessageEvent around a copy of its
 * bytes: microbench, 45-byte frames, 1.3 µs of CPU per frame against 0.06 µs for the view. It skips
 * that when the events given to `upgradeWebSocket` have no `onMessage`, and ours have none.
 *
 * 4. The helper still adds a `message`, `close` and `error` listener to every socket right after
 * `onOpen`, whose closures keep the upgrade request's whole Hono context (the Request, its Headers,
 * the Response) for the socket's life. Our listeners cover every event, so theirs are removed, with
 * the public EventEmitter API, in a microtask: it runs after the helper's synchronous setup and
 * before any I/O. JS heap per idle connection (`npm run bench -- --only=heap`, same run as the
 * reference's 4.1 KiB): 3.7 KiB with the removal, 10.6 KiB without it (RSS 6.3 vs 10.7 KiB).
 * tests/integration/connection-memory.test.ts fails without it.
 */
export function detachOthersAfterSetup(socket: WebSocket): void {
	const ours = new Map(SOCKET_EVENTS.map((event) => [event, socket.listeners(event) as Listener[]]));
	queueMicrotask(() => {
		for (const event of SOCKET_EVENTS) {
			const keep = ours.get(event)!;
			for (const listener of socket.listeners(event) as Listener[]) if (!keep.includes(listener)) socket.off(event, listener);
		}
	});
}
