/** The only file that knows the socket library (@hono/node-ws over ws): adapts sockets to rooms, pings, limits. */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Hono, MiddlewareHandler } from 'hono';
import { createNodeWebSocket } from '@hono/node-ws';
import type { WebSocket } from 'ws';
import { CloseCode } from '../src/lib/collab/protocol.ts';
import type { Logger } from './log.ts';
import { Connection, type PeerSocket } from './rooms/connection.ts';
import { ShuttingDownError, type RoomRegistry } from './rooms/registry.ts';
import type { Room } from './rooms/room.ts';

export const PING_INTERVAL_MS = 30_000;

// @hono/node-ws builds an ErrorEvent for every socket error, but Node 20 has no global ErrorEvent:
// without this, one client's bad frame (e.g. over maxPayload) would throw inside ws and crash the process.
if (typeof globalThis.ErrorEvent === 'undefined') {
	class NodeErrorEvent extends Event {
		readonly error: unknown;
		readonly message: string;
		constructor(type: string, init: { error?: unknown; message?: string } = {}) {
			super(type);
			this.error = init.error;
			this.message = init.message ?? (init.error instanceof Error ? init.error.message : '');
		}
	}
	(globalThis as { ErrorEvent?: unknown }).ErrorEvent = NodeErrorEvent;
}
/** A ws socket as the rooms see it; a class, not closures, because every idle connection holds one. */
class WsPeer implements PeerSocket {
	constructor(private readonly socket: WebSocket) {}

	send(data: Uint8Array): void {
		this.socket.send(data);
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

/** Frames a client may send before its room has loaded; a real client sends two or three. */
const MAX_BACKLOG_FRAMES = 256;

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

	const alive = new Map<WebSocket, boolean>();
	// One timer for all sockets: a per-connection timer would cost memory on every idle connection.
	const pinger = setInterval(() => {
		for (const [socket, answered] of alive) {
			if (!answered) {
				log.info('closing a connection that did not answer ping');
				socket.terminate();
				alive.delete(socket);
				continue;
			}
			alive.set(socket, false);
			try {
				socket.ping();
			} catch {
				// A socket that cannot be pinged is already closing; its close event cleans up.
			}
		}
	}, options.pingIntervalMs ?? PING_INTERVAL_MS);
	pinger.unref();

	const rooms = new WeakMap<Connection, Room>();

	function receive(conn: Connection, data: Buffer, isBinary: boolean): void {
		if (conn.closed) return;
		if (!isBinary) {
			conn.log.warn('text frame, closing connection');
			conn.close(CloseCode.UnsupportedData, 'text frames are not supported; send binary y-websocket messages');
			return;
		}
		// ws allocates a fresh Buffer per frame, so the room may keep the bytes without a copy.
		const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		const room = rooms.get(conn);
		if (room) room.receive(conn, frame);
		else if (conn.backlog.length < MAX_BACKLOG_FRAMES) conn.backlog.push(frame);
		else conn.close(CloseCode.PolicyViolation, 'too many frames before the room loaded');
	}

	const handler = (roomName: (path: string) => string): MiddlewareHandler =>
		nodeWs.upgradeWebSocket((c) => {
			const name = roomName(c.req.path);
			// @hono/node-ws keeps this request's context for the socket's lifetime; what it no longer needs
			// after the upgrade is dropped in onOpen, since idle connections are most of a server's memory.
			const env = c.env as { incoming?: unknown };
			let conn: Connection | null = null;
			return {
				onOpen(_event, ws) {
					env.incoming = undefined;
					(ws as { url: URL | null }).url = null;
					const socket = ws.raw as WebSocket;
					const opened = new Connection(new WsPeer(socket), name, log);
					conn = opened;
					alive.set(socket, true);
					socket.on('pong', () => alive.set(socket, true));
					// Frames are read from the socket directly: @hono/node-ws would wrap each one in a
					// MessageEvent and copy its bytes, which costs more CPU than the rest of the relay path.
					// No frame can arrive before onOpen: the socket is handed to us in the same turn it opens.
					socket.on('message', (data: Buffer, isBinary: boolean) => receive(opened, data, isBinary));
					if (log.isLevelEnabled('debug')) opened.log.debug('connection opened');
					registry.join(opened).then(
						(joined) => {
							rooms.set(opened, joined);
							if (opened.closed) registry.leave(joined, opened);
						},
						(error: unknown) => {
							if (error instanceof ShuttingDownError) opened.close(CloseCode.GoingAway, 'server shutting down');
							else {
								opened.log.error({ err: error }, 'room could not be loaded');
								opened.close(CloseCode.TryAgainLater, 'room could not be loaded');
							}
						}
					);
				},
				onClose(event, ws) {
					alive.delete(ws.raw as WebSocket);
					if (!conn) return;
					conn.closed = true;
					if (log.isLevelEnabled('debug')) conn.log.debug({ code: event.code }, 'connection closed');
					const room = rooms.get(conn);
					if (room) registry.leave(room, conn);
				},
				onError(event) {
					const error = (event as ErrorEvent).error as (Error & { code?: string }) | undefined;
					(conn?.log ?? log).warn({ err: error?.message, errCode: error?.code }, 'socket error');
				}
			};
		});

	return {
		handler,
		attach(server, accept) {
			if (!accept) {
				nodeWs.injectWebSocket(server);
				return;
			}
			// Hand @hono/node-ws only our upgrades; it would answer every other one (e.g. Vite's HMR) with 404.
			const filtered = new EventEmitter();
			server.on('upgrade', (request, socket, head) => {
				if (accept(request.url ?? '/')) filtered.emit('upgrade', request, socket, head);
			});
			nodeWs.injectWebSocket(filtered as unknown as Server);
		},
		close() {
			clearInterval(pinger);
			for (const socket of alive.keys()) socket.terminate();
			alive.clear();
		}
	};
}
