/** A room's presence entries: who owns which awareness client id, so entries are only set by their owner and vanish with it. */
import type { AwarenessEntry } from '../frames.ts';

interface Entry<Owner> {
	clock: number;
	stateJson: string;
	owner: Owner;
}

/**
 * Unlike y-protocols' Awareness this keeps no timer per room and never re-encodes states:
 * the server only relays entries, so it keeps each one as the client sent it.
 */
export class RoomAwareness<Owner> {
	private readonly entries = new Map<number, Entry<Owner>>();
	/** The one client id each connection announced first; entries for any other id are dropped. */
	private readonly claims = new Map<Owner, number>();

	get size(): number {
		return this.entries.size;
	}

	/** Applies `incoming` from `owner` and returns the entries that changed (to relay), possibly none. */
	apply(owner: Owner, incoming: readonly AwarenessEntry[]): { accepted: AwarenessEntry[]; spoofed: number } {
		const accepted: AwarenessEntry[] = [];
		let spoofed = 0;
		for (const entry of incoming) {
			let claim = this.claims.get(owner);
			if (claim === undefined) {
				claim = entry.clientId;
				this.claims.set(owner, claim);
			}
			if (entry.clientId !== claim) {
				spoofed++;
				continue;
			}
			const current = this.entries.get(entry.clientId);
			const removal = entry.stateJson === 'null';
			// The same ordering rule as y-protocols: a newer clock wins; an equal clock may only remove.
			// A reconnecting client re-sends its state at the same clock from a new connection: it takes
			// ownership, so closing the stale connection later does not erase the live presence.
			const newer =
				current === undefined
					? !removal
					: entry.clock > current.clock || (entry.clock === current.clock && (removal || current.owner !== owner));
			if (!newer) continue;
			if (removal) this.entries.delete(entry.clientId);
			else this.entries.set(entry.clientId, { clock: entry.clock, stateJson: entry.stateJson, owner });
			accepted.push(entry);
		}
		return { accepted, spoofed };
	}

	/** Forgets `owner`; returns removal entries to relay for the states it still held. */
	removeOwner(owner: Owner): AwarenessEntry[] {
		const clientId = this.claims.get(owner);
		this.claims.delete(owner);
		if (clientId === undefined) return [];
		const entry = this.entries.get(clientId);
		// A reconnecting client may already own its id through a newer connection: leave that one alone.
		if (entry === undefined || entry.owner !== owner) return [];
		this.entries.delete(clientId);
		return [{ clientId, clock: entry.clock + 1, stateJson: 'null' }];
	}

	/** Every current entry, for a client that just joined. */
	all(): AwarenessEntry[] {
		return [...this.entries].map(([clientId, e]) => ({ clientId, clock: e.clock, stateJson: e.stateJson }));
	}
}
