/** Idle connections as cheap as a client can make them: raw sockets that do the y-websocket handshake, then wait. */
import WebSocket from 'ws';

/** Sync step 1 with an empty state vector: what a fresh client sends first. */
const EMPTY_SYNC_STEP1 = Uint8Array.of(0, 0, 1, 0);
/** Sync step 2 with an empty update: a fresh client's answer to the server's step 1. */
const EMPTY_SYNC_STEP2 = Uint8Array.of(0, 1, 2, 0, 0);
/** Sockets being opened at once: more would overflow the server's accept backlog. */
const OPENING_AT_ONCE = 50;
const OPEN_TIMEOUT_MS = 30_000;

function openOne(url: string, awaitReplies: number): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, { perMessageDeflate: false });
		let replies = 0;
		let answered = false;
		const timer = setTimeout(() => {
			socket.terminate();
			reject(new Error(`idle socket to ${url} got ${replies}/${awaitReplies} replies within ${OPEN_TIMEOUT_MS} ms`));
		}, OPEN_TIMEOUT_MS);
		const done = () => {
			clearTimeout(timer);
			resolve(socket);
		};
		socket.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		socket.on('open', () => {
			socket.send(EMPTY_SYNC_STEP1);
			if (awaitReplies === 0) done();
		});
		socket.on('message', (data: Buffer) => {
			// Answer the first sync step 1 only: through a raw relay, every newcomer's step 1 reaches us too.
			if (!answered && data[0] === 0 && data[1] === 0) {
				answered = true;
				socket.send(EMPTY_SYNC_STEP2);
			}
			if (++replies === awaitReplies) done();
		});
	});
}

export class IdleSockets {
	private sockets: WebSocket[] = [];

	/** Opens `perRoom` sockets in each room; resolves once each got `awaitReplies` frames (0: once open). */
	async open(wsUrl: string, rooms: readonly string[], perRoom: number, awaitReplies: number): Promise<number> {
		const urls = rooms.flatMap((room) => Array.from({ length: perRoom }, () => `${wsUrl}/${room}`));
		for (let i = 0; i < urls.length; i += OPENING_AT_ONCE) {
			const batch = await Promise.all(urls.slice(i, i + OPENING_AT_ONCE).map((url) => openOne(url, awaitReplies)));
			this.sockets.push(...batch);
		}
		return this.sockets.length;
	}

	async close(): Promise<void> {
		const closing = this.sockets.map(
			(socket) =>
				new Promise<void>((resolve) => {
					if (socket.readyState === WebSocket.CLOSED) return resolve();
					socket.once('close', () => resolve());
					socket.close();
					setTimeout(() => {
						socket.terminate();
						resolve();
					}, 5_000).unref();
				})
		);
		this.sockets = [];
		await Promise.all(closing);
	}
}
