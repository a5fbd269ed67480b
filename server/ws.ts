/** The only file that knows the socket library (@hono/node-ws over ws): adapts sockets to rooms, pings, limits. */
import { EventEmitter } from 'node:events';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Hono, MiddlewareHandler } from 'hono';
import { createNodeWebSocket } from '@hono/node-ws';
import type { WebSocket } from 'ws';
import { CloseCode } from '../src/lib/shared/wire.ts';
import type { Logger } from './log.ts';
import { Connection, type PeerSocket } from './rooms/connection.ts';
import { ShuttingDownError, type RoomRegistry } from './rooms/registry.ts';
import type { Room } from './rooms/room.ts';

export const PING_INTERVAL_MS = 30_000;

const OPEN = 1; // WebSocket.OPEN

/** Payloads up to this size (the largest with a 16-bit length) are framed once for all their receivers; bigger ones (sync replies) go through ws. */
const MAX_SHARED_FRAME_BYTES = 0xffff;

let lastPayload: Uint8Array | null = null;
let lastFrame: Buffer = Buffer.alloc(0);

/**
 * The unmasked binary WebSocket frame (RFC 6455 §5.2) of `payload`. A server's frames are not masked,
 * so one update relayed to 100 peers is the same bytes 100 times: a room sends a frame to its peers
 * one after another, so a one-entry cache builds each frame once, where ws would build a header and
 * a two-buffer write per peer. ws's sender only queues frames while compressing (only with an
 * extension, and then `send` leaves the frame to ws) or reading a Blob (we never send one), so our
 * writes keep the order of its own (pings, close).
 */
function sharedFrame(payload: Uint8Array): Buffer {
	if (payload === lastPayload) return lastFrame;
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
	lastPayload = payload;
	lastFrame = frame;
	return frame;
}

/**
 * A ws socket as the rooms see it, plus what this file tracks for it. One object per socket, and the
 * socket's listeners are functions shared by all sockets: every idle connection holds one of these.
 */
class WsPeer implements PeerSocket {
	readonly connection: Connection;
	/** Set once the room has loaded; frames before that wait in the connection's backlog. */
	room: Room | null = null;
	/** Whether the socket answered the last ping. */
	answered = true;

	/** No extension was negotiated (fixed at the handshake): frames may be written as sharedFrame builds them. */
	private readonly plainFrames: boolean;

	constructor(
		readonly socket: WebSocket,
		roomName: string,
		log: Logger
	) {
		this.connection = new Connection(this, roomName, log);
		this.plainFrames = socket.extensions === '';
	}

	send(data: Uint8Array): void {
		const { socket, stream } = this;
		// A socket that is not open goes through ws, which drops or refuses the send as it always has.
		if (!this.plainFrames || stream === undefined || data.byteLength > MAX_SHARED_FRAME_BYTES || socket.readyState !== OPEN) socket.send(data);
		else stream.write(sharedFrame(data));
	}

	close(code: number, reason: string): void {
		this.socket.close(code, reason);
	}

	get bufferedAmount(): number {
		return this.socket.bufferedAmount;
	}

	// ws has no cork of its own; its frames go to this net.Socket, which coalesces corked writes into one writev.
	private get stream(): Socket | undefined {
		return (this.socket as unknown as { _socket?: Socket })._socket;
	}

	cork(): void {
		this.stream?.cork();
	}

	uncork(): void {
		this.stream?.uncork();
	}
}

const SOCKET_EVENTS = ['message', 'close', 'error'] as const;

type Listener = (this: WebSocket, ...args: unknown[]) => void;

function listenersOf(socket: WebSocket): Map<string, Listener[]> {
	return new Map(SOCKET_EVENTS.map((event) => [event, socket.listeners(event) as Listener[]]));
}

/** Frames a client may send before its room has loaded; a real client sends two or three. */
const MAX_BACKLOG_FRAMES = 256;

// ws's own handshake checks (ws 8, WebSocketServer.handleUpgrade), mirrored by isValidHandshake.
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Whether ws will complete this handshake. @hono/node-ws routes the request first, and its upgrade
 * helper then waits for ws's socket; a handshake ws refuses after that leaves the wait pending forever,
 * holding the request and its Hono context: a leak any client could grow, one bad request at a time.
 */
function isValidHandshake(request: IncomingMessage): boolean {
	const { headers } = request;
	if (request.method !== 'GET' || headers.upgrade?.toLowerCase() !== 'websocket') return false;
	if (!WS_KEY.test(headers['sec-websocket-key'] ?? '')) return false;
	const version = Number(headers['sec-websocket-version']);
	if (version !== 13 && version !== 8) return false;
	const protocols = headers['sec-websocket-protocol'];
	if (protocols === undefined) return true;
	const list = protocols.split(',').map((p) => p.trim());
	return list.every((p) => TOKEN.test(p)) && new Set(list).size === list.length;
}

function refuse(socket: Duplex, status: number): void {
	socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export interface WebSocketOptions {
	registry: RoomRegistry;
	log: Logger;
	maxFrameBytes: number;
	pingIntervalMs?: number;
}

export interface WebSockets {
	/** Route handler that upgrades to a room connection; `roomName` reads the validated name from the request. */
	handler(roomName: (path: string) => string): MiddlewareHandler;
	/** Attaches the upgrade listener to `server`. Only upgrades the `accept` filter lets through are handled. */
	attach(server: Server, accept?: (url: string) => boolean): void;
	close(): void;
}

export function createWebSockets(app: Hono, options: WebSocketOptions): WebSockets {
	const { registry, log } = options;
	const nodeWs = createNodeWebSocket({ app });
	// Oversized frames are refused by ws itself with 1009 while reading the header, before buffering them.
	nodeWs.wss.options.maxPayload = options.maxFrameBytes;

	const peers = new Map<WebSocket, WsPeer>();
	// One timer for all sockets: a per-connection timer would cost memory on every idle connection.
	const pinger = setInterval(() => {
		for (const [socket, peer] of peers) {
			if (!peer.answered) {
				log.info('closing a connection that did not answer ping');
				// Its close event removes it and leaves the room.
				socket.terminate();
				continue;
			}
			peer.answered = false;
			try {
				socket.ping();
			} catch {
				// A socket that cannot be pinged is already closing; its close event cleans up.
			}
		}
	}, options.pingIntervalMs ?? PING_INTERVAL_MS);
	pinger.unref();

	function onPong(this: WebSocket): void {
		const peer = peers.get(this);
		if (peer) peer.answered = true;
	}

	// Frames are read from the socket directly: @hono/node-ws would wrap each one in a
	// MessageEvent and copy its bytes, which costs more CPU than the rest of the relay path.
	function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
		const peer = peers.get(this);
		const conn = peer?.connection;
		if (!conn || conn.closed) return;
		if (!isBinary) {
			conn.log.warn('text frame, closing connection');
			conn.close(CloseCode.UnsupportedData, 'text frames are not supported; send binary y-websocket messages');
			return;
		}
		// ws allocates a fresh Buffer per frame, so the room may keep the bytes without a copy.
		const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		if (peer.room) peer.room.receive(conn, frame);
		else if (conn.backlog.length < MAX_BACKLOG_FRAMES) conn.backlog.push(frame);
		else conn.close(CloseCode.PolicyViolation, 'too many frames before the room loaded');
	}

	function onClose(this: WebSocket, code: number): void {
		const peer = peers.get(this);
		if (!peer) return;
		peers.delete(this);
		const conn = peer.connection;
		conn.closed = true;
		if (log.isLevelEnabled('debug')) conn.log.debug({ code }, 'connection closed');
		if (peer.room) registry.leave(peer.room, conn);
	}

	function onError(this: WebSocket, error: Error & { code?: string }): void {
		(peers.get(this)?.connection.log ?? log).warn({ err: error.message, errCode: error.code }, 'socket error');
	}

	function open(socket: WebSocket, name: string): void {
		const peer = new WsPeer(socket, name, log);
		const conn = peer.connection;
		peers.set(socket, peer);
		socket.on('pong', onPong);
		socket.on('message', onMessage);
		socket.on('close', onClose);
		socket.on('error', onError);
		if (log.isLevelEnabled('debug')) conn.log.debug('connection opened');
		registry.join(conn).then(
			(room) => {
				peer.room = room;
				if (conn.closed) registry.leave(room, conn);
			},
			(error: unknown) => {
				if (error instanceof ShuttingDownError) conn.close(CloseCode.GoingAway, 'server shutting down');
				else {
					conn.log.error({ err: error }, 'room could not be loaded');
					conn.close(CloseCode.TryAgainLater, 'room could not be loaded');
				}
			}
		);
	}

	const handler = (roomName: (path: string) => string): MiddlewareHandler =>
		nodeWs.upgradeWebSocket((c) => {
			const name = roomName(c.req.path);
			return {
				onOpen(_event, ws) {
					const socket = ws.raw as WebSocket;
					open(socket, name);
					// @hono/node-ws adds its own message, close and error listeners right after onOpen returns,
					// in the same turn; their closures hold this request's whole Hono context (Request, Response,
					// headers) for the socket's lifetime: half of an idle connection's heap. open() has attached
					// listeners for every event, so theirs are removed, in a microtask that runs before any I/O.
					// (Theirs would also build an ErrorEvent, which Node 20 lacks, on a socket error.)
					const ours = listenersOf(socket);
					queueMicrotask(() => {
						for (const [event, listeners] of listenersOf(socket)) {
							for (const listener of listeners) if (!ours.get(event)!.includes(listener)) socket.off(event, listener);
						}
					});
				}
			};
		});

	return {
		handler,
		attach(server, accept) {
			// @hono/node-ws sees only what passes here: ours (it would answer others, e.g. Vite's HMR, with
			// 404) and handshakes ws will complete.
			const upgrades = new EventEmitter();
			nodeWs.injectWebSocket(upgrades as unknown as Server);
			server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
				if (accept && !accept(request.url ?? '/')) return;
				if (isValidHandshake(request)) upgrades.emit('upgrade', request, socket, head);
				else refuse(socket, 400);
			});
		},
		close() {
			clearInterval(pinger);
			for (const socket of peers.keys()) socket.terminate();
		}
	};
}
