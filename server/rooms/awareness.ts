/** A room's presence entries: who owns which awareness client id, so entries are only set by their owner and vanish with it. */
import type { AwarenessEntry } from '../frames.ts';

/** Clocks above this are refused: a y-protocols client adds one per change, so no honest client gets near it. */
export const MAX_AWARENESS_CLOCK = 2 ** 31;
/** The most a clock may move ahead of the one stored for its id in one entry (a client offline for hours stays far below). */
export const MAX_AWARENESS_CLOCK_STEP = 2 ** 20;
/** Presence states one board holds at most: every joiner and every awareness query is sent all of them. */
export const MAX_PRESENCE_STATES_PER_BOARD = 256;
/** Total bytes of presence one board holds at most, for the same reason (one person's state is capped by MAX_AWARENESS_FRAME_BYTES). */
export const MAX_PRESENCE_BYTES_PER_BOARD = 1024 * 1024;

interface Entry<Owner> {
	clock: number;
	stateJson: string;
	owner: Owner;
	/** When it was last set (performance.now()): another process's entries expire unless renewed. */
	at: number;
}

/**
 * Why entries were refused, to log. Echoes are not counted: stock y-websocket clients send back every
 * state they receive (at its clock, or a removal when it times out there), so they are normal traffic.
 */
export interface Refused {
	/** Entries for an id that is not the one this connection announced first. */
	foreign: number;
	/** Entries for this connection's id while another live connection owns it. */
	taken: number;
	/** Clocks past MAX_AWARENESS_CLOCK or more than MAX_AWARENESS_CLOCK_STEP ahead. */
	clock: number;
	/** New states past the board's count or byte cap. */
	full: number;
}

/**
 * Unlike y-protocols' Awareness this keeps no timer per room and never re-encodes states:
 * the server only relays entries, so it keeps each one as the client sent it.
 *
 * A live client id belongs to the connection that set it first until that connection closes: another
 * connection announcing the same id (a hijack, or the same client reconnecting before its old socket
 * was noticed dead) is refused until then, and the client's next renewal (every 15 s) takes it over.
 */
export class RoomAwareness<Owner> {
	private readonly entries = new Map<number, Entry<Owner>>();
	/** The one client id each connection announced first; entries for any other id are dropped. */
	private readonly claims = new Map<Owner, number>();
	/** Sum of the stored states' lengths (UTF-16 units, which bound their UTF-8 bytes within 3×; a cheap, stable measure). */
	private bytes = 0;

	get size(): number {
		return this.entries.size;
	}

	/** The id `owner` announced first, if any: states for it are never relayed to `owner` from anyone else. */
	claimOf(owner: Owner): number | undefined {
		return this.claims.get(owner);
	}

	/** Applies `incoming` from `owner` and returns the entries that changed (to relay), possibly none. */
	apply(owner: Owner, incoming: readonly AwarenessEntry[]): { accepted: AwarenessEntry[]; refused: Refused | null } {
		const accepted: AwarenessEntry[] = [];
		let refused: Refused | null = null;
		const refuse = (why: keyof Refused) => {
			refused ??= { foreign: 0, taken: 0, clock: 0, full: 0 };
			refused[why]++;
		};
		for (const entry of incoming) {
			let claim = this.claims.get(owner);
			if (claim === undefined) {
				claim = entry.clientId;
				this.claims.set(owner, claim);
			}
			const current = this.entries.get(entry.clientId);
			const removal = entry.stateJson === 'null';
			if (entry.clientId !== claim) {
				// An echo of what we relayed (or a removal after the echoing client's timeout) is dropped silently.
				const echo = removal || current === undefined || entry.clock <= current.clock;
				if (!echo) refuse('foreign');
				continue;
			}
			if (current !== undefined && current.owner !== owner) {
				refuse('taken');
				continue;
			}
			if (entry.clock > MAX_AWARENESS_CLOCK || (current !== undefined && entry.clock - current.clock > MAX_AWARENESS_CLOCK_STEP)) {
				refuse('clock');
				continue;
			}
			// The same ordering rule as y-protocols: a newer clock wins; an equal clock may only remove.
			const newer = current === undefined ? !removal : entry.clock > current.clock || (entry.clock === current.clock && removal);
			if (!newer) continue;
			if (removal) {
				this.entries.delete(entry.clientId);
				this.bytes -= current!.stateJson.length;
			} else {
				const grown = entry.stateJson.length - (current?.stateJson.length ?? 0);
				const full = (current === undefined && this.entries.size >= MAX_PRESENCE_STATES_PER_BOARD) || (grown > 0 && this.bytes + grown > MAX_PRESENCE_BYTES_PER_BOARD);
				if (full) {
					refuse('full');
					continue;
				}
				this.entries.set(entry.clientId, { clock: entry.clock, stateJson: entry.stateJson, owner, at: performance.now() });
				this.bytes += grown;
			}
			accepted.push(entry);
		}
		return { accepted, refused };
	}

	/** Whether `owner` is one of this process's connections (they claim an id; another process never does). */
	private isLocal(owner: Owner): boolean {
		return this.claims.has(owner);
	}

	/**
	 * Applies entries another process accepted from its own connections (`owner` stands for that
	 * process). They passed its checks, but an id one of this process's live connections owns stays
	 * theirs (a client cannot take over an id by connecting to another process), and a process may only
	 * remove the entries it set. Returns the entries that changed, to relay.
	 */
	applyRemote(owner: Owner, incoming: readonly AwarenessEntry[]): AwarenessEntry[] {
		const accepted: AwarenessEntry[] = [];
		for (const entry of incoming) {
			const current = this.entries.get(entry.clientId);
			if (current !== undefined && this.isLocal(current.owner)) continue;
			if (entry.stateJson === 'null') {
				if (current === undefined || current.owner !== owner) continue;
				this.entries.delete(entry.clientId);
				this.bytes -= current.stateJson.length;
				accepted.push(entry);
				continue;
			}
			if (current !== undefined && entry.clock <= current.clock) {
				if (current.owner === owner) current.at = performance.now();
				continue;
			}
			const grown = entry.stateJson.length - (current?.stateJson.length ?? 0);
			if ((current === undefined && this.entries.size >= MAX_PRESENCE_STATES_PER_BOARD) || (grown > 0 && this.bytes + grown > MAX_PRESENCE_BYTES_PER_BOARD)) continue;
			this.entries.set(entry.clientId, { clock: entry.clock, stateJson: entry.stateJson, owner, at: performance.now() });
			this.bytes += grown;
			accepted.push(entry);
		}
		return accepted;
	}

	/** Drops the entries other processes set that match `drop` (a dead process's, or any not renewed in time); returns removals to relay. */
	removeRemote(drop: (owner: Owner, at: number) => boolean): AwarenessEntry[] {
		const removed: AwarenessEntry[] = [];
		for (const [clientId, entry] of this.entries) {
			if (this.isLocal(entry.owner) || !drop(entry.owner, entry.at)) continue;
			this.entries.delete(clientId);
			this.bytes -= entry.stateJson.length;
			removed.push({ clientId, clock: entry.clock + 1, stateJson: 'null' });
		}
		return removed;
	}

	/** The entries of this process's own connections, for another process that asked. */
	local(): AwarenessEntry[] {
		const entries: AwarenessEntry[] = [];
		for (const [clientId, e] of this.entries) if (this.isLocal(e.owner)) entries.push({ clientId, clock: e.clock, stateJson: e.stateJson });
		return entries;
	}

	/** Forgets `owner`; returns removal entries to relay for the states it still held. */
	removeOwner(owner: Owner): AwarenessEntry[] {
		const clientId = this.claims.get(owner);
		this.claims.delete(owner);
		if (clientId === undefined) return [];
		const entry = this.entries.get(clientId);
		if (entry === undefined || entry.owner !== owner) return [];
		this.entries.delete(clientId);
		this.bytes -= entry.stateJson.length;
		return [{ clientId, clock: entry.clock + 1, stateJson: 'null' }];
	}

	/** The state (JSON) `owner` set for the id it claimed, if any. */
	stateOf(owner: Owner): string | undefined {
		const clientId = this.claims.get(owner);
		const entry = clientId === undefined ? undefined : this.entries.get(clientId);
		return entry !== undefined && entry.owner === owner ? entry.stateJson : undefined;
	}

	/** Every current entry, for a client that just joined. */
	all(): AwarenessEntry[] {
		return [...this.entries].map(([clientId, e]) => ({ clientId, clock: e.clock, stateJson: e.stateJson }));
	}
}
