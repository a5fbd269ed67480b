/** The commands the bench sends its client worker processes, and what each answers. Clients are grouped by room. */
import type { HistogramData } from '../lib/stats.ts';

export interface Commands {
	/** Opens `count` stock y-websocket providers on `room` (with `token` as the socket URL's `?token=`); with `awaitSync`, waits until each finished its first sync. */
	connect: { args: { wsUrl: string; room: string; count: number; awaitSync: boolean; token?: string }; result: { clients: number } };
	/** Each client adds one shape of its own (a 10-field Y.Map), the one it moves during `run`. */
	addShapes: { args: { room: string }; result: null };
	/** The fewest shapes any of this process's clients sees. */
	shapeCount: { args: { room: string }; result: { min: number } };
	/** Resets the counters, then moves shapes at `ratePerSec` (open loop) for `durationMs`. */
	run: { args: { room: string; ratePerSec: number; durationMs: number }; result: { sent: number; elapsedMs: number } };
	/** Remote shape moves observed since the last `run` started. */
	progress: { args: { room: string }; result: { received: number } };
	/** Latencies since the last `run` started, this process's CPU time since then, and provider reconnects. */
	collect: { args: { room: string }; result: { received: number; histogram: HistogramData; cpuMs: number; reconnects: number } };
	/** A hash of each client's state vector and shapes content: equal hashes mean converged clients. */
	hashes: { args: { room: string }; result: { hashes: string[] } };
	/** Closes the room's providers. */
	close: { args: { room: string }; result: null };
	/** Opens idle raw sockets that do the y-websocket handshake (sync step 1 / step 2), `perRoom` in each room. */
	idle: { args: { wsUrl: string; rooms: string[]; perRoom: number; awaitReplies: number }; result: { opened: number } };
	/** Closes the idle sockets and every provider. */
	closeAll: { args: Record<string, never>; result: null };
}

export type CommandName = keyof Commands;

export interface Request<K extends CommandName = CommandName> {
	id: number;
	command: K;
	args: Commands[K]['args'];
}

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
