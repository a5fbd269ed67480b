/** The PostgreSQL engine's writer lock: one advisory lock, exclusive for a single Boardwalk, shared by cluster processes. */
import type pg from 'pg';
import { StoreInUseError } from './types.ts';

/** The advisory lock key that stands for "the Boardwalk writer of this database" ('bdwk' in ASCII; fits in 32 bits). */
export const WRITER_LOCK_KEY = 0x6264776b;

/** How the holders of the lock are named in a refusal: the operator must tell a cluster from a lone server. */
const CLUSTER_HOLDERS = 'Boardwalk processes in cluster mode (BUS_URL)';
const SINGLE_HOLDER = 'a single Boardwalk process (not in cluster mode)';

/**
 * Takes the writer lock on a new session (shared when `cluster`, exclusive otherwise), or throws
 * StoreInUseError naming who holds it and in which mode.
 */
export async function takeWriterLock(connect: () => Promise<pg.Client>, store: string, cluster: boolean): Promise<pg.Client> {
	const session = await connect();
	try {
		const take = cluster ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock';
		const { rows } = await session.query<{ locked: boolean }>(`SELECT ${take}($1) AS locked`, [WRITER_LOCK_KEY]);
		if (rows[0]!.locked) return session;
		throw new StoreInUseError(store, await describeHolders(session));
	} catch (error) {
		await session.end().catch(() => {});
		throw error;
	}
}

async function describeHolders(session: pg.Client): Promise<string> {
	// A bigint key k shows in pg_locks as classid = k >> 32, objid = k & 0xffffffff, objsubid = 1.
	const holders = (
		await session.query<{ mode: string; application_name: string; client_addr: string | null; backend_start: Date }>(
			`SELECT l.mode, a.application_name, a.client_addr::text AS client_addr, a.backend_start
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
				AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			ORDER BY a.backend_start`,
			[WRITER_LOCK_KEY]
		)
	).rows;
	// Released between our attempt and this look: the caller may simply try again.
	if (holders.length === 0) return 'another session';
	const named = holders.map(
		(h) => `${h.application_name || 'a client'} (connected from ${h.client_addr ?? 'a local socket'} since ${h.backend_start.toISOString()})`
	);
	return holders[0]!.mode === 'ShareLock' ? `${CLUSTER_HOLDERS}: ${named.join(', ')}` : `${SINGLE_HOLDER}: ${named[0]}`;
}
