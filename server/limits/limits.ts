/** The limits that keep one client from hurting everyone: declared once with their defaults (README, "Limits"). */

export interface Limits {
	/** A board's stored size (snapshot + log) may not pass this: updates that would are refused with 4003 BoardFull. */
	maxBoardBytes: number;
	/** Open sockets per client address; one more is answered 429 before the upgrade. */
	maxConnectionsPerAddress: number;
	/** Boards created (loaded with nothing stored) per client address per minute; past it 429. */
	newBoardsPerMinute: number;
	/** Frames per second one connection may send, with a burst of MESSAGE_BURST_SECONDS of them; past it reading pauses. */
	messagesPerSecond: number;
	/** Bytes per second one connection may send, with a burst of BYTE_BURST_SECONDS of them; past it reading pauses. */
	bytesPerSecond: number;
	/** Largest image file uploaded (POST /api/boards/<board>/images); past it 413, read no further. */
	maxImageBytes: number;
	/** Total bytes of a board's images (each counted in full on every board that has it); an upload past it is 413. */
	maxBoardImageBytes: number;
	/** Image uploads per client address per minute (a burst of as many); past it 429. */
	imageUploadsPerMinute: number;
}

/**
 * Chosen so that normal use never meets them (bench/clients: a mover sends ~60 frames/s; a browser
 * sends at most ~20 updates and ~30 presence frames a second) while one socket can no longer write
 * a board full in seconds or fill the descriptor table. Per-address limits leave room for a class or
 * an office behind one NAT address: 128 sockets (a few tabs each), 120 new boards a minute (everyone
 * clicking "new board" at once); an empty board costs little, so that cap only stops a flood.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
	maxBoardBytes: 64 * 1024 * 1024,
	maxConnectionsPerAddress: 128,
	newBoardsPerMinute: 120,
	messagesPerSecond: 200,
	bytesPerSecond: 1024 * 1024,
	// A phone photo is 3–8 MB before the browser downscales it; a board of photos is a few dozen of them.
	maxImageBytes: 10 * 1024 * 1024,
	maxBoardImageBytes: 256 * 1024 * 1024,
	imageUploadsPerMinute: 60
});

/** A connection may send this many seconds' worth of frames at once (a reconnect pushes its backlog). */
export const MESSAGE_BURST_SECONDS = 5;
/** …and this many seconds' worth of bytes (an offline copy's first push of a big board). */
export const BYTE_BURST_SECONDS = 16;
/** A connection whose debt passes this many bursts (frames it sent while it should have been waiting) is closed. */
export const ABUSE_BURSTS = 1;
/** How many previews may be waiting (for a load, for stores) at once; one more is answered 503. */
export const MAX_CONCURRENT_PREVIEWS = 32;

/** A request refused because its client is over a limit: HTTP 429 with Retry-After. */
export class RateLimitedError extends Error {
	constructor(
		readonly retryAfterMs: number,
		message: string
	) {
		super(message);
		this.name = 'RateLimitedError';
	}
}

/** Seconds for a Retry-After header: at least one. */
export const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));
