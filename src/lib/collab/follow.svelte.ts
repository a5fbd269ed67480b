/** Follow mode: whose viewport this user's camera tracks, if anyone's. Local UI state, never shared. */
import type { Presence, Peer } from '$lib/collab/presence.svelte';

export class Follow {
	/** Awareness client id of the person being followed, or null. */
	target = $state<number | null>(null);
	readonly #presence: Presence;

	constructor(presence: Presence) {
		this.#presence = presence;
	}

	/** The followed person's current presence, or null when not following (or they left). */
	get peer(): Peer | null {
		if (this.target === null) return null;
		return this.#presence.peers.find((p) => p.clientId === this.target) ?? null;
	}

	start(clientId: number): void {
		this.target = clientId === this.#presence.clientId ? null : clientId;
	}

	stop(): void {
		if (this.target !== null) this.target = null;
	}
}
