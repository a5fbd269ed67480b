/** The only folder that knows the socket library (ws, through @hono/node-server's built-in support): upgrades, pings, limits. */
import type { Socket } from 'node:net';
import type { Context } from 'hono';
import { upgradeWebSocket, type HttpBindings } from '@hono/node-server';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../../src/lib/shared/wire.ts';
import type { Grant } from '../auth/authorize.ts';
import type { Logger } from '../log.ts';
import { ConnectionBudget } from '../limits/connection-budget.ts';
import { DEFAULT_LIMITS, RateLimitedError, retryAfterSeconds, type Limits } from '../limits/limits.ts';
import { Connection } from '../rooms/connection.ts';
import { ShuttingDownError, type RoomRegistry } from '../rooms/registry.ts';
import { BoardUnreadableError, type Room } from '../rooms/room.ts';
import { FanoutPeer, FrameCache, detachOthersAfterSetup } from './fanout.ts';

export const PING_INTERVAL_MS = 30_000;
/** setTimeout's longest delay; a later expiry is waited for in steps of it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A socket as the rooms see it, plus what this server tracks for it: one object per socket, as every idle connection holds one. */
class Peer extends FanoutPeer {
	readonly connection: Connection;
	/** Set once the room has loaded; frames before that wait in the connection's backlog. */
	room: Room | null = null;
	/** Whether the socket answered the last ping. */
	answered = true;
	/** Frames and bytes this socket may still send (Limits), made on its first frame. */
	budget: ConnectionBudget | null = null;
	/** Set while reading is paused because the socket is over its budget. */
	resumeTimer: NodeJS.Timeout | null = null;
	/** Counted under its grant's address (MAX_CONNECTIONS_PER_ADDRESS) until it closes. */
	counted = false;

	constructor(socket: WebSocket, stream: Socket, frames: FrameCache, grant: Grant, log: Logger) {
		super(socket, stream, frames);
		this.connection = new Connection(this, grant, log);
	}
}

export interface SocketServerOptions {
	registry: RoomRegistry;
	log: Logger;
	maxFrameBytes: number;
	pingIntervalMs?: number;
	/**
	 * Why a socket authorized a moment ago may not stay (its link was reset while the handshake ran),
	 * or null (Authorizer.revokedReason).
	 */
	revokedReason?: (grant: Grant) => string | null;
	/** DEFAULT_LIMITS when left out. */
	limits?: Pick<Limits, 'maxConnectionsPerAddress' | 'messagesPerSecond' | 'bytesPerSecond'>;
}

export class SocketServer {
	/** Handed to @hono/node-server (`websocket: { server }`), which routes each upgrade through the app first. */
	readonly wss: WebSocketServer;
	private readonly peers = new Map<WebSocket, Peer>();
	/** A timer per socket opened with an expiring token (JWT), which closes it then; none for the others, so idle sockets pay nothing. */
	private readonly expiries = new Map<WebSocket, NodeJS.Timeout>();
	private readonly frames = new FrameCache();
	private readonly pinger: NodeJS.Timeout;
	private readonly limits: Pick<Limits, 'maxConnectionsPerAddress' | 'messagesPerSecond' | 'bytesPerSecond'>;
	/** Sockets per client address, counted from the upgrade until the TCP socket closes. */
	private readonly perAddress = new Map<string, number>();
	/** The address each upgraded TCP socket is counted under. */
	private readonly counted = new WeakMap<Socket, string>();
	private readonly onStreamClose: (this: Socket) => void;
	// Listeners shared by every socket (`this` is the socket), not closures per socket.
	private readonly onPong: (this: WebSocket) => void;
	private readonly onMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
	private readonly onClose: (this: WebSocket, code: number) => void;
	private readonly onError: (this: WebSocket, error: Error & { code?: string }) => void;

	constructor(private readonly options: SocketServerOptions) {
		const { registry, log } = options;
		const { peers, expiries, perAddress, counted } = this;
		const limits = (this.limits = options.limits ?? DEFAULT_LIMITS);
		// Oversized frames are refused by ws itself with 1009 while reading the header, before buffering
		// them. The peers map is the one list of sockets, so ws keeps none of its own.
		this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, clientTracking: false });

		// One timer for all sockets: a per-connection timer would cost memory on every idle connection.
		this.pinger = setInterval(() => {
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
		this.pinger.unref();

		this.onPong = function (this: WebSocket) {
			const peer = peers.get(this);
			if (peer) peer.answered = true;
		};
		this.onMessage = function (this: WebSocket, data: Buffer, isBinary: boolean) {
			const peer = peers.get(this);
			const conn = peer?.connection;
			if (!conn || conn.closed) return;
			if (!isBinary) {
				conn.log.warn('text frame, closing connection');
				conn.close(CloseCode.UnsupportedData, 'text frames are not supported; send binary y-websocket messages');
				return;
			}
			if (!spend(peer, data.byteLength)) return;
			// Nothing writes to ws's Buffer after this, so the room may keep the bytes without a copy (fanout.ts, 3).
			const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			if (peer.room) peer.room.receive(conn, frame);
			else conn.hold(frame);
		};
		this.onClose = function (this: WebSocket, code: number) {
			const peer = peers.get(this);
			if (!peer) return;
			peers.delete(this);
			clearTimeout(expiries.get(this));
			expiries.delete(this);
			if (peer.resumeTimer) clearTimeout(peer.resumeTimer);
			if (peer.counted) uncount(peer.connection.grant.remoteAddress!);
			const conn = peer.connection;
			conn.closed = true;
			if (log.isLevelEnabled('debug')) conn.log.debug({ code }, 'connection closed');
			if (peer.room) registry.leave(peer.room, conn);
		};
		// A TCP socket counted at its upgrade, closed before it became a peer (a peer is uncounted by
		// onClose). One listener for all of them (`this`), not a closure each.
		this.onStreamClose = function (this: Socket) {
			const address = counted.get(this);
			if (address === undefined) return;
			counted.delete(this);
			uncount(address);
		};
		const uncount = (address: string) => {
			const count = (perAddress.get(address) ?? 1) - 1;
			if (count > 0) perAddress.set(address, count);
			else perAddress.delete(address);
		};

		/**
		 * Charges one frame to the peer's budget. Over it, reading pauses until the debt is paid (TCP then
		 * slows the sender: backpressure, nothing is dropped); frames already read are still handled. A
		 * peer whose debt passes ABUSE_BURSTS bursts kept sending at full speed: closed with 1008.
		 */
		const spend = (peer: Peer, bytes: number): boolean => {
			const budget = (peer.budget ??= new ConnectionBudget(limits));
			const waitMs = budget.charge(1, bytes);
			if (waitMs === 0) return true;
			if (budget.abusive) {
				peer.connection.log.warn('connection far over its message or byte budget, closing');
				peer.connection.close(CloseCode.PolicyViolation, 'too many messages: slow down');
				// Read again, or the client's answer to the close frame would wait behind the pause.
				if (peer.resumeTimer) clearTimeout(peer.resumeTimer);
				peer.resumeTimer = null;
				peer.socket.resume();
				return false;
			}
			if (peer.resumeTimer === null) {
				peer.socket.pause();
				resumeAfter(peer, budget, waitMs);
			}
			return true;
		};
		// Frames read after the pause began (the rest of a TCP chunk) added to the debt: wait for all of it.
		const resumeAfter = (peer: Peer, budget: ConnectionBudget, waitMs: number): void => {
			peer.resumeTimer = setTimeout(() => {
				const owed = budget.charge(0, 0);
				if (owed > 0) return resumeAfter(peer, budget, owed);
				peer.resumeTimer = null;
				peer.socket.resume();
			}, waitMs);
		};

		this.onError = function (this: WebSocket, error: Error & { code?: string }) {
			(peers.get(this)?.connection.log ?? log).warn({ err: error.message, errCode: error.code }, 'socket error');
		};
	}

	/**
	 * Completes the WebSocket handshake of the request in `c` (routed and authorized by the app) and
	 * joins the socket to `grant.board`. Resolves with the response the app returns for the upgrade:
	 * 429 with Retry-After, before any handshake, for an address over MAX_CONNECTIONS_PER_ADDRESS or
	 * NEW_BOARDS_PER_MINUTE (the room is loaded first, to know whether the board is new).
	 */
	async upgrade(c: Context, grant: Grant): Promise<Response> {
		const stream = (c.env as HttpBindings).incoming.socket;
		const address = grant.remoteAddress;
		if (address !== null && (this.perAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress) {
			this.options.log.warn({ remoteAddress: address, limit: this.limits.maxConnectionsPerAddress }, 'too many connections from one address, refused with 429 (behind a reverse proxy, set TRUST_PROXY)');
			return c.text('Too many connections from your address.\n', 429, { 'Retry-After': '10' });
		}
		// Counted before the room loads, so that many upgrades at once cannot all pass the check.
		if (address !== null && !this.counted.has(stream)) {
			this.counted.set(stream, address);
			this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
			// `on`, not `once`: once wraps the listener in a bound function and an object per socket.
			stream.on('close', this.onStreamClose);
		}
		try {
			await this.options.registry.admit(grant.board, address);
		} catch (error) {
			this.onStreamClose.call(stream);
			stream.off('close', this.onStreamClose);
			if (error instanceof RateLimitedError) {
				this.options.log.warn({ remoteAddress: address }, 'too many new boards from one address, refused with 429');
				return c.text('Too many new boards from your address: try again in a minute.\n', 429, { 'Retry-After': retryAfterSeconds(error.retryAfterMs) });
			}
			if (error instanceof ShuttingDownError) return c.text('Server shutting down.\n', 503, { 'Retry-After': '5' });
			this.options.log.error({ err: error, room: grant.board }, 'room could not be loaded');
			return c.text('The board could not be loaded.\n', 503, { 'Retry-After': '5' });
		}
		return upgradeWebSocket(
			c,
			{ onOpen: (_event, ws) => this.open(ws.raw as WebSocket, stream, grant) },
			{ onError: (error) => this.options.log.error({ err: error }, 'socket open failed') }
		);
	}

	/**
	 * Completes the handshake and closes at once with `code`: how a token problem reaches a browser,
	 * which cannot read the HTTP status of a refused upgrade (docs/protocol.md, "Access").
	 */
	refuse(c: Context, code: number, reason: string): Promise<Response> {
		return upgradeWebSocket(
			c,
			{ onOpen: (_event, ws) => (ws.raw as WebSocket).close(code, reason) },
			{ onError: (error) => this.options.log.error({ err: error }, 'socket open failed') }
		);
	}

	/** Closes every open socket whose grant `matches` (a reset link's); returns how many. */
	closeWhere(matches: (grant: Grant) => boolean, code: number, reason: string): number {
		let closed = 0;
		for (const peer of this.peers.values()) {
			if (peer.connection.closed || !matches(peer.connection.grant)) continue;
			peer.connection.close(code, reason);
			closed++;
		}
		return closed;
	}

	/** Closes the connection with 4002 when its token expires. */
	private expireAt(socket: WebSocket, conn: Connection, expiresAt: number): void {
		const delay = expiresAt - Date.now();
		if (delay <= 0) {
			this.expiries.delete(socket);
			conn.close(CloseCode.TokenExpired, 'token expired');
			return;
		}
		const timer = setTimeout(() => this.expireAt(socket, conn, expiresAt), Math.min(delay, MAX_TIMER_MS));
		timer.unref();
		this.expiries.set(socket, timer);
	}

	private open(socket: WebSocket, stream: Socket, grant: Grant): void {
		const { registry, log } = this.options;
		const peer = new Peer(socket, stream, this.frames, grant, log);
		const conn = peer.connection;
		this.peers.set(socket, peer);
		// From here the peer holds the count: its socket's close event gives it back, and the TCP
		// socket keeps no listener or map entry of ours (every idle connection would pay for them).
		if (this.counted.delete(stream)) {
			stream.off('close', this.onStreamClose);
			peer.counted = true;
		}
		const revoked = this.options.revokedReason?.(grant) ?? null;
		if (revoked !== null) conn.close(CloseCode.LinkRevoked, revoked);
		else if (grant.expiresAt !== undefined) this.expireAt(socket, conn, grant.expiresAt);
		socket.on('pong', this.onPong);
		socket.on('message', this.onMessage);
		socket.on('close', this.onClose);
		socket.on('error', this.onError);
		detachOthersAfterSetup(socket);
		if (log.isLevelEnabled('debug')) conn.log.debug({ remoteAddress: grant.remoteAddress, origin: grant.origin }, 'connection opened');
		registry.join(conn).then(
			(room) => {
				peer.room = room;
				if (conn.closed) registry.leave(room, conn);
			},
			(error: unknown) => {
				if (error instanceof ShuttingDownError) conn.close(CloseCode.GoingAway, 'server shutting down');
				// Logged once by the registry when it found the board unreadable.
				else if (error instanceof BoardUnreadableError) conn.close(CloseCode.BoardUnreadable, 'stored data cannot be read');
				else {
					conn.log.error({ err: error }, 'room could not be loaded');
					conn.close(CloseCode.TryAgainLater, 'room could not be loaded');
				}
			}
		);
	}

	/** Stops pinging and drops every socket still open (rooms closed theirs with 1001 before). */
	close(): void {
		clearInterval(this.pinger);
		for (const timer of this.expiries.values()) clearTimeout(timer);
		for (const socket of this.peers.keys()) socket.terminate();
	}
}
