/**
 * A board session's lifecycle: local copy → preview → sync → live → offline → retry (→ sync …), or
 * stopped. The table below is the only order there is; the session (session.svelte.ts) moves along it.
 */

export type Phase =
	/** Reading this browser's copy into the doc; the server's sync messages wait. */
	| 'local-copy'
	/** Drawing the server's preview of the board in view (first visits); the server's sync messages still wait. */
	| 'preview'
	/** The server's messages flow; waiting for its sync step 2 on this socket. */
	| 'sync'
	/** Synced: changes go both ways as they happen. */
	| 'live'
	/** No socket; a retry is scheduled. The board stays editable, changes are kept in this browser. */
	| 'offline'
	/** Reconnecting after a close. */
	| 'retry'
	/** The server refused our data or our link (a fatal close code): no retry until the page is reloaded or gets a fresh token. */
	| 'stopped';

/** The phases each phase may move on to. */
const NEXT: Record<Phase, readonly Phase[]> = {
	'local-copy': ['preview', 'stopped'],
	preview: ['sync', 'stopped'],
	// The hold may end while the socket is down or reconnecting.
	sync: ['live', 'offline', 'retry', 'stopped'],
	live: ['offline', 'stopped'],
	offline: ['retry', 'stopped'],
	retry: ['sync', 'offline', 'stopped'],
	stopped: []
};

export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'stopped';

/** What the provider says about its connection, for the phase it puts the session in. */
export interface ConnectionFacts {
	socket: 'connecting' | 'open' | 'closed';
	synced: boolean;
	/** Closes since the last sync. */
	attempt: number;
	/** Closed with a fatal code. */
	fatal: boolean;
}

/** The connection's phase once the hold is over. */
export function connectionPhase(facts: ConnectionFacts): Phase {
	if (facts.fatal) return 'stopped';
	if (facts.synced) return 'live';
	if (facts.socket === 'closed') return 'offline';
	if (facts.socket === 'connecting' && facts.attempt > 0) return 'retry';
	return 'sync';
}

/** The badge's word for a phase: `online` is the browser's own view of the network. */
export function connectionStatus(phase: Phase, facts: ConnectionFacts, online: boolean): ConnectionStatus {
	if (phase === 'stopped') return 'stopped';
	if (phase === 'live') return 'connected';
	if (!online) return 'offline';
	// A failed attempt means the server is unreachable right now: say so rather than spin.
	if (facts.attempt > 0 && facts.socket !== 'open') return 'offline';
	return 'connecting';
}

export class Lifecycle {
	#phase: Phase = 'local-copy';

	constructor(private readonly onChange: (phase: Phase) => void = () => {}) {}

	get phase(): Phase {
		return this.#phase;
	}

	/** The hold is over: local copy and preview are behind. */
	get started(): boolean {
		return this.#phase !== 'local-copy' && this.#phase !== 'preview';
	}

	/** Moves to `next` if the table allows it from here; returns whether the phase is now `next`. */
	to(next: Phase): boolean {
		if (next === this.#phase) return true;
		if (!NEXT[this.#phase].includes(next)) return false;
		this.#phase = next;
		this.onChange(next);
		return true;
	}

	/**
	 * The page reconnected at once with another token (a reset of its own link, one handed over by the host
	 * page): the connection starts over at sync from wherever it was, `stopped` included; the only way out of
	 * `stopped`. Before the hold is over it changes nothing (the hold's end moves the phase on).
	 */
	restart(): boolean {
		if (!this.started) return false;
		if (this.#phase !== 'sync') {
			this.#phase = 'sync';
			this.onChange('sync');
		}
		return true;
	}
}
