/** Stock y-websocket clients (WebsocketProvider over the `ws` package) and raw sockets, for protocol tests. */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { waitFor } from './wait.ts';

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	shapes: Y.Map<unknown>;
	destroy(): void;
}

/** A provider connected to `room`; resolves once the first sync finished. */
export async function connectClient(
	wsUrl: string,
	room: string,
	options: { awareness?: boolean; /** Query parameters of the socket URL (`token`). */ params?: Record<string, string> } = {}
): Promise<TestClient> {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(wsUrl, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: options.params
	});
	if (!options.awareness) provider.awareness.setLocalState(null);
	await waitFor(() => provider.synced, `client of ${room} to sync`);
	return {
		doc,
		provider,
		shapes: doc.getMap('shapes'),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export interface RawSocket {
	socket: WebSocket;
	/** Binary frames received so far. */
	frames: Uint8Array[];
	closed: Promise<{ code: number; reason: string }>;
}

/** A bare WebSocket to `/ws/<room>` (`room` may carry `?token=`), for sending frames no well-behaved client would. */
export async function openRaw(wsUrl: string, room: string, options: { origin?: string } = {}): Promise<RawSocket> {
	const socket = new WebSocket(`${wsUrl}/${room}`, options);
	const frames: Uint8Array[] = [];
	socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
	const closed = new Promise<{ code: number; reason: string }>((resolve) => {
		socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
	});
	socket.on('error', () => {});
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	return { socket, frames, closed };
}

/** The clients and raw sockets one test opens, all closed by `closeAll` (in afterEach). */
export class OpenedClients {
	private readonly clients: TestClient[] = [];
	private readonly raws: RawSocket[] = [];

	constructor(private readonly wsUrl: () => string) {}

	/** A stock client on `board`, with `token` in its socket URL when given. */
	async client(board: string, token?: string, awareness = false): Promise<TestClient> {
		const c = await connectClient(this.wsUrl(), board, { awareness, params: token ? { token } : undefined });
		this.clients.push(c);
		return c;
	}

	async raw(path: string): Promise<RawSocket> {
		const r = await openRaw(this.wsUrl(), path);
		this.raws.push(r);
		return r;
	}

	closeAll(): void {
		for (const c of this.clients.splice(0)) c.destroy();
		for (const r of this.raws.splice(0)) r.socket.terminate();
	}
}

/** The HTTP status the server answered an upgrade to `url` with (101 when it upgraded), sent with `headers`. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve) => {
		const socket = new WebSocket(url, { headers });
		socket.on('open', () => {
			socket.close();
			resolve(101);
		});
		socket.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			socket.terminate();
		});
		socket.on('error', () => {});
	});
}
