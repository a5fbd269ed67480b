/** Idle connections for the memory figures: raw sockets doing the y-websocket handshake, spread over the client processes. */
import type { ClientPool } from './client-pool.ts';
import type { BenchServer } from './servers.ts';

/** Opens `perRoom` idle connections in each of `rooms` (rooms dealt round-robin to the processes); resolves once all did the handshake. */
export async function openIdle(pool: ClientPool, server: BenchServer, rooms: string[], perRoom: number): Promise<void> {
	// Stateful servers answer a newcomer with their sync step 1 and a step 2; the relay says nothing.
	const awaitReplies = server.kind === 'relay' ? 0 : 2;
	const mine = (i: number) => rooms.filter((_, r) => r % pool.size === i);
	await pool.all('idle', (i) => ({ wsUrl: server.wsUrl, rooms: mine(i), perRoom, awaitReplies }));
}
