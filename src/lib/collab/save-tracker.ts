/** The acknowledgement stage: whether every change made here is confirmed stored by the server, so people know when closing the tab is safe. */

export type SaveState = 'saved' | 'saving' | 'unsaved';

/** Wait this long after the last local change before asking for a confirmation, so a stroke costs one round trip, not one per point. */
export const SAVE_CONFIRM_DELAY_MS = 250;

/** What the tracker needs of the connection it watches. */
export interface SaveLink {
	/** A socket is open. */
	readonly open: boolean;
	/** The socket's first sync is done: a confirmation asked now is answered in order. */
	readonly synced: boolean;
	/** Sends a sync step 1 on the open socket. */
	askServer(): void;
}

/**
 * The acknowledgement comes from the standard protocol: our server answers a sync step 1 only after
 * every update it received before it is stored (docs/protocol.md "Acknowledgement"). So we count local
 * changes, send a step 1 tagged with the count at that moment, and the matching step 2 confirms every
 * change up to it. Replies come back in the order of the requests, including the step 1 a socket sends
 * when it opens.
 */
export class SaveTracker {
	#localChanges = 0;
	#confirmed = 0;
	/** Change counts of questions awaiting their reply on this socket, oldest first; null for the step 1 sent on opening. */
	#awaiting: Array<number | null> = [];
	#timer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private readonly link: SaveLink,
		private readonly onChange: () => void = () => {}
	) {}

	get state(): SaveState {
		if (this.#confirmed >= this.#localChanges) return 'saved';
		return this.link.open ? 'saving' : 'unsaved';
	}

	/** Local changes not yet confirmed stored. */
	get unconfirmed(): number {
		return this.#localChanges - this.#confirmed;
	}

	/** A change the server may not have: made here, or loaded from this browser's copy. */
	noteLocalChange(): void {
		const wasSaved = this.state === 'saved';
		this.#localChanges++;
		this.#schedule();
		if (wasSaved) this.onChange();
	}

	/** A socket opened and sent its own step 1: the first reply on it answers that. */
	opened(): void {
		// A new socket starts a new conversation: replies owed on the old one will never come.
		this.#awaiting = [null];
		this.onChange();
	}

	closed(): void {
		this.#awaiting = [];
		this.onChange();
	}

	/** The socket's first sync is done: what it did not cover can be confirmed now. */
	synced(): void {
		this.#schedule();
	}

	/** A sync step 2 arrived on the socket: the reply to the oldest question. */
	replied(): void {
		const count = this.#awaiting.shift();
		if (count != null && count > this.#confirmed) {
			this.#confirmed = count;
			this.onChange();
		}
		if (this.#confirmed < this.#localChanges) this.#schedule();
	}

	destroy(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	#schedule(): void {
		if (this.#timer !== null || this.#confirmed >= this.#localChanges) return;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#ask();
		}, SAVE_CONFIRM_DELAY_MS);
	}

	#ask(): void {
		// Not synced: the step 2 that ends this socket's first sync is on its way, and schedules the next question.
		if (!this.link.open || !this.link.synced || this.#confirmed >= this.#localChanges) return;
		// One question at a time is enough: its reply confirms everything up to it, then we ask again.
		if (this.#awaiting.some((count) => count !== null)) return;
		this.#awaiting.push(this.#localChanges);
		this.link.askServer();
	}
}
