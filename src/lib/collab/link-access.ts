/**
 * This page's token and what the server says of it: claiming a new board, checking a token, taking a
 * new one, resetting links. The session (session.svelte.ts) applies the answers through `AccessHandlers`.
 */
import { reconnectDelayMs } from '$lib/collab/backoff';
import { BoardAccessApi, describeAccessProblem, isJwt, type Grant, type Links, type Right } from '$lib/collab/access';

export interface AccessHandlers {
	/** What the server grants the token in use. */
	granted(grant: Grant): void;
	/** An editor reset a link: the board's links now. */
	linksChanged(links: Links): void;
	/** The token does not open the board: the words for the page. */
	refused(words: string): void;
	/** Open a socket with `token` now, closing the current one. */
	connect(token: string | null): void;
	/** Close the socket and open none until `connect`. */
	disconnect(): void;
	/** The page's token changed: the address bar shows it. */
	tokenChanged(token: string): void;
	/** Something the connection's status reads changed (a claim that could not reach the server). */
	changed(): void;
}

export class LinkAccess {
	readonly #api: BoardAccessApi;
	#token: string | null;
	/** Claiming the board: the socket waits for the claim's token. */
	#claiming = false;
	/** Claims that could not reach the server, since the page opened. */
	#claimAttempts = 0;
	#claimTimer: ReturnType<typeof setTimeout> | undefined;
	#ended = false;

	constructor(
		board: string,
		token: string | null,
		private readonly handlers: AccessHandlers,
		fetcher?: typeof fetch
	) {
		this.#api = new BoardAccessApi(board, fetcher);
		this.#token = token;
	}

	/** The token sockets, previews and API calls carry; null before a claim. */
	get token(): string | null {
		return this.#token;
	}

	get claiming(): boolean {
		return this.#claiming;
	}

	get claimAttempts(): number {
		return this.#claimAttempts;
	}

	/** The token is a host application's: it, not the board's links, decides who gets in. */
	get managedByHost(): boolean {
		return this.#token !== null && isJwt(this.#token);
	}

	/**
	 * No token: claims the board, and the socket opens with the edit token the claim gives; tried again
	 * while the server cannot be reached. Resolves after the first attempt, whatever its answer.
	 */
	async claim(): Promise<void> {
		this.#claiming = true;
		const answer = await this.#api.claim();
		if (this.#ended || !this.#claiming) return;
		if (answer.ok) {
			this.#claiming = false;
			this.#claimAttempts = 0;
			this.handlers.granted(answer.value.grant);
			this.#adopt(answer.value.token);
			this.handlers.connect(answer.value.token);
		} else if (answer.problem === 'unreachable') {
			// Offline or the server is down: the board stays editable here, and the claim is tried again.
			this.#claimTimer = setTimeout(() => void this.claim(), reconnectDelayMs(this.#claimAttempts++));
			this.handlers.changed();
		} else {
			this.handlers.refused(describeAccessProblem(answer.problem));
		}
	}

	/** Asks what the token in use may do (the socket is already on its way with it, and is refused there too if it is bad). */
	async check(): Promise<void> {
		const token = this.#token;
		if (token === null) return;
		const answer = await this.#api.access(token);
		if (this.#ended || token !== this.#token) return;
		if (answer.ok) this.handlers.granted(answer.value);
		// Unreachable: what the token itself says stands, and the socket will tell.
		else if (answer.problem !== 'unreachable') this.handlers.refused(describeAccessProblem(answer.problem));
	}

	/**
	 * Takes `token` from now on once the server accepts it (or cannot be asked): false when it refuses
	 * it, else the grant (null when the server could not be asked). The caller reconnects.
	 */
	async use(token: string): Promise<Grant | null | false> {
		const answer = await this.#api.access(token);
		if (this.#ended) return false;
		if (!answer.ok && answer.problem !== 'unreachable') {
			this.handlers.refused(describeAccessProblem(answer.problem));
			return false;
		}
		this.#stopClaiming();
		this.#adopt(token);
		return answer.ok ? answer.value : null;
	}

	/**
	 * Replaces the board's `right` link; resetting the edit link this page uses, the page moves to the new
	 * one. Resolves to words for a failure, or null.
	 */
	async reset(right: Right): Promise<string | null> {
		const token = this.#token;
		if (token === null) return describeAccessProblem('forbidden');
		// The reset closes every socket opened with the old link, ours too: ours goes first, quietly, and comes back with the new one.
		const ours = right === 'edit' && !isJwt(token);
		if (ours) this.handlers.disconnect();
		const answer = await this.#api.reset(right, token);
		if (this.#ended) return null;
		if (!answer.ok) {
			if (ours) this.handlers.connect(token);
			return describeAccessProblem(answer.problem);
		}
		this.handlers.linksChanged(answer.value.links);
		if (answer.value.token) this.#adopt(answer.value.token);
		if (ours) this.handlers.connect(this.#token);
		return null;
	}

	/** The token no longer opens the board: no more claims. */
	stop(): void {
		this.#stopClaiming();
	}

	destroy(): void {
		this.#ended = true;
		this.#stopClaiming();
	}

	#stopClaiming(): void {
		clearTimeout(this.#claimTimer);
		this.#claiming = false;
	}

	#adopt(token: string): void {
		this.#token = token;
		this.handlers.tokenChanged(token);
	}
}
