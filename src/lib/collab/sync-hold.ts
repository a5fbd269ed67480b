/**
 * The hold stage: the server's sync messages wait, unread, until this browser's copy has loaded and the
 * preview is drawn, and a reply made stale by that load is dropped and asked for again. Why each pays
 * off is in bench/JOURNAL.md ("The server's sync waits for the local copy", "Reopening reads the local copy once").
 */

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** What ending the hold asks of the provider. */
export interface Released {
	/** The held frames of the socket still open, oldest first, to handle now as they would have been. */
	frames: Uint8Array[];
	/**
	 * Send a new sync step 1: the doc holds more than when the socket asked, so the reply on its way is
	 * everything again; it is dropped (see `dropStale`), and the new question gets only what is missing.
	 */
	askAgain: boolean;
}

/**
 * Sockets are told apart by a number the provider gives each one: a frame of a socket since closed
 * belongs to a conversation that is over.
 */
export class SyncHold {
	#held: Array<{ socket: number; frame: Uint8Array }> | null;
	/** The state vector the open socket's first step 1 carried, while holding. */
	#asked: { socket: number; vector: Uint8Array } | null = null;
	/** The socket whose next sync step 2 answers the stale question. */
	#staleOn: number | null = null;

	constructor(hold = true) {
		this.#held = hold ? [] : null;
	}

	/** While true, no sync message of the server has been answered: a change made now still reaches it in the reply to its step 1. */
	get holding(): boolean {
		return this.#held !== null;
	}

	/** The provider asked the server for what it lacks (its step 1 on opening `socket`), with this state vector. */
	asked(socket: number, vector: Uint8Array): void {
		if (this.#held) this.#asked = { socket, vector };
	}

	/** Keeps a sync frame of the server while holding; false once the hold is over. */
	keep(socket: number, frame: Uint8Array): boolean {
		if (!this.#held) return false;
		this.#held.push({ socket, frame });
		return true;
	}

	/** Ends the hold; `socket` is the one open now (null if none), `vector` the doc's state vector now. */
	release(socket: number | null, vector: Uint8Array): Released {
		const held = this.#held ?? [];
		this.#held = null;
		const asked = this.#asked;
		this.#asked = null;
		const askAgain = socket !== null && asked !== null && asked.socket === socket && !sameBytes(asked.vector, vector);
		if (askAgain) this.#staleOn = socket;
		return { frames: held.filter((entry) => entry.socket === socket).map((entry) => entry.frame), askAgain };
	}

	/** Ends the hold without handling anything or asking again (the session is closing). */
	stop(): void {
		this.#held = null;
		this.#asked = null;
		this.#staleOn = null;
	}

	/** For a sync step 2 of `socket` about to be applied: true, once, when it is the stale reply (drop it unread). */
	dropStale(socket: number): boolean {
		if (this.#staleOn !== socket) return false;
		this.#staleOn = null;
		return true;
	}
}
