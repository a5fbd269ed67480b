/**
 * One board's session: the doc read from this browser's copy, drawn from the server's preview until it
 * syncs, kept in step with the server and this browser's other tabs, and presence; its lifecycle in the
 * order of lifecycle.ts, and what the UI shows of it, reactively.
 */
import { createSubscriber } from 'svelte/reactivity';
import { on } from 'svelte/events';
import type * as Y from 'yjs';
import { SHAPES_MAP, type Box, type Shape } from '$lib/board';
import { CloseCode, WS_PATH_PREFIX, describeCloseCode } from '$lib/shared/wire';
import type { RetryState } from '$lib/collab/backoff';
import { describeAccessProblem, presumedAccess, readJwtClaims, type Grant, type Right } from '$lib/collab/access';
import { LinkAccess } from '$lib/collab/link-access';
import { BULK_SYNC_MIN_ITEMS, DocUpdates, changedDoc, itemsAdded } from '$lib/collab/doc-updates';
import { Follow } from '$lib/collab/follow.svelte';
import { BoardImages } from '$lib/collab/images';
import {
	Lifecycle,
	connectionPhase,
	connectionStatus,
	type ConnectionFacts,
	type ConnectionStatus,
	type Phase
} from '$lib/collab/lifecycle';
import { LocalStore, localDatabaseName } from '$lib/collab/local-store';
import { Presence, type Identity } from '$lib/collab/presence.svelte';
import { parsePreview, requestPreview } from '$lib/collab/preview';
import { SyncProvider } from '$lib/collab/provider';
import type { SaveState } from '$lib/collab/save-tracker';

export type { ConnectionStatus, Phase, SaveState };

/** Longest the server's sync waits for this browser's copy and the preview: a store that never opens must not keep the board from the server. */
export const SYNC_HOLD_MAX_MS = 1_000;
/** From this many shapes on the board, the sync waits for the frame that shows the preview (bench/JOURNAL.md, 2026-12-04). */
const PREVIEW_FRAME_MIN_SHAPES = 1_000;
/** How often a "retrying in N s" countdown is refreshed while a retry is scheduled. */
const COUNTDOWN_TICK_MS = 500;

/** `ws(s)://host/ws/<room>` on the page's own origin. */
export function syncUrl(loc: Pick<Location, 'protocol' | 'host'>, roomId: string): string {
	const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
	return `${scheme}://${loc.host}${WS_PATH_PREFIX}${roomId}`;
}

/** Where the session draws the server's preview: the canvas's scene. */
export interface PreviewCanvas {
	/** Draws `shapes` (of `total` on the board); false if it cannot (the canvas already shows shapes). */
	preview(shapes: readonly Shape[], total: number): boolean;
	/** The doc has synced: preview shapes it does not hold go. */
	endPreview(): void;
}

export interface SessionOptions {
	/** The board area the page shows first (board units): the preview asked for covers it. */
	view: Box;
	/** Keep a copy in IndexedDB, so the board opens and edits survive without a network (default true). */
	localCopy?: boolean;
	/** Share changes with this browser's other tabs of the board (default true). */
	tabs?: boolean;
	/**
	 * The token from the page's URL (`#t=`): a link token or a host application's JWT; null when the page
	 * has none, so the session claims the board (a new board: this page gets its links). Left out: no
	 * links at all, the socket opens without a token as stock clients do (an unclaimed board; tests).
	 */
	token?: string | null;
	/** The session's token changed (claimed, this page's edit link reset, refreshed by the host page): put it in the page's URL. */
	onToken?: (token: string) => void;
	/** For tests in Node: the socket URL, WebSocket class, fetch for the preview and the API, and identity. */
	url?: string;
	WebSocket?: typeof WebSocket;
	fetch?: typeof fetch;
	identity?: Identity;
	/** Called on each move of the lifecycle, in order (tests, diagnostics). */
	onPhase?: (phase: Phase) => void;
}

/**
 * What the person can do after a close that stopped syncing. Retrying as is would send the same data
 * and fail the same way; after a reload the doc is rebuilt from the local copy, where deleted content
 * is gone (an in-memory undo history would still hold it).
 */
function fatalAdvice(code: number): string {
	if (code === CloseCode.MessageTooBig) {
		return ' It was not sent. Undo or delete it, then reload the page; everything else is kept on this device.';
	}
	return ' Reload the page to reconnect; your board is kept on this device.';
}

const isOnline = () => typeof navigator === 'undefined' || navigator.onLine;

/** Resolves in the task after the browser's next frame (at once where there are no frames, as in Node). */
function afterNextFrame(): Promise<void> {
	if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
	return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Close codes that mean the token no longer opens the board: the page says so instead of retrying. */
const ACCESS_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.LinkRevoked, CloseCode.TokenExpired]);

export class BoardSession {
	/** What this page may do on the board: a viewer's provider sends nothing of the doc, and the editor writes nothing. */
	access = $state<'edit' | 'view'>('edit');
	/** Why this page's link does not open the board (revoked, expired, none given), in words; null while it does. */
	accessError = $state<string | null>(null);
	/** The board's links this page may hand on (docs/using-the-board.md "Sharing a board"). */
	links = $state<{ edit?: string; view?: string }>({});
	/** When the token stops working (epoch ms; a host application's JWT), or null. */
	expiresAt = $state<number | null>(null);
	readonly presence: Presence;
	readonly follow: Follow;
	/** The board's image files: loaded with the page's token, added and uploaded (collab/images.ts). */
	readonly images: BoardImages;
	readonly #doc: Y.Doc;
	readonly #local: LocalStore | null;
	readonly #provider: SyncProvider;
	readonly #updates: DocUpdates;
	readonly #lifecycle: Lifecycle;
	readonly #listeners = new Set<() => void>();
	readonly #subscribe: () => void;
	readonly #canvas: Promise<PreviewCanvas>;
	#canvasReady: (canvas: PreviewCanvas) => void = () => {};
	#endPreview: (() => void) | null = null;
	#holdTimer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;
	readonly #linkAccess: LinkAccess;

	constructor(doc: Y.Doc, roomId: string, options: SessionOptions) {
		this.#doc = doc;
		this.#lifecycle = new Lifecycle((phase) => {
			options.onPhase?.(phase);
			this.#notify();
		});
		const token = options.token ?? null;
		this.#linkAccess = new LinkAccess(
			roomId,
			token,
			{
				granted: (grant) => this.#grant(grant),
				linksChanged: (links) => (this.links = links),
				refused: (words) => this.#fail(words),
				connect: (t) => this.#reconnect(t),
				disconnect: () => this.#provider.disconnect(),
				tokenChanged: options.onToken ?? (() => {}),
				changed: () => this.#notify()
			},
			options.fetch
		);
		// What the token says, until the server does: a viewer's socket must never offer the doc, not even once.
		this.access = presumedAccess(token);
		this.#canvas = new Promise((resolve) => (this.#canvasReady = resolve));
		this.#local = options.localCopy === false ? null : new LocalStore(localDatabaseName(roomId), doc);
		this.#provider = new SyncProvider(doc, options.url ?? syncUrl(location, roomId), {
			holdSync: true,
			shareWithTabs: options.tabs ?? true,
			pageEvents: true,
			WebSocket: options.WebSocket,
			token,
			readOnly: this.access === 'view',
			// Without a token the board is claimed first: the socket waits for the token the claim gives.
			deferConnect: options.token === null
		});
		this.#updates = new DocUpdates(doc, {
			withhold: (tr) => this.#withholds(tr),
			update: (update, origin) => {
				if (origin !== this.#local) this.#local?.append(update); // what the store read, it holds
				this.#provider.sendUpdate(update, origin);
			},
			withheld: (tr) => {
				if (tr.origin !== this.#local) this.#local?.storeWholeDoc();
				else if (changedDoc(tr) && !this.#provider.readOnly) this.#provider.saves.noteLocalChange();
			}
		});
		this.images = new BoardImages({ board: roomId, token: () => this.#linkAccess.token, fetch: options.fetch });
		this.presence = new Presence(this.#provider.awareness, options.identity);
		this.follow = new Follow(this.presence);
		const claims = token === null ? null : readJwtClaims(token);
		if (claims?.name) this.presence.pin({ name: claims.name, color: claims.color });
		if (claims?.exp !== undefined) this.expiresAt = claims.exp * 1000;
		this.#provider.onChange(this.#onConnection);
		this.#local?.onChange(() => this.#notify());
		this.#subscribe = createSubscriber((update) => {
			this.#listeners.add(update);
			const offs = typeof window === 'undefined' ? [] : [on(window, 'online', update), on(window, 'offline', update)];
			const ticker = setInterval(() => {
				if (this.#provider.retryState.nextAttemptAt !== null) update();
			}, COUNTDOWN_TICK_MS);
			return () => {
				this.#listeners.delete(update);
				for (const off of offs) off();
				clearInterval(ticker);
			};
		});
		// A board nobody has open loads on the server for the preview while this page is still starting. Without
		// a token, asked after the claim: asked before, it could reach the server after the claim and be refused.
		const claimed = options.token === null ? this.#linkAccess.claim() : Promise.resolve();
		const preview = claimed.then(() => (this.accessError === null ? requestPreview(roomId, options.view, options.fetch, this.#linkAccess.token) : null));
		void this.#start(preview);
		if (typeof options.token === 'string') void this.#linkAccess.check();
	}

	#grant(grant: Grant): void {
		this.access = grant.access;
		this.#provider.setReadOnly(grant.access === 'view');
		this.links = grant.links;
		if (grant.name) this.presence.pin({ name: grant.name, color: grant.color });
		this.expiresAt = grant.expiresAt ?? null;
		this.#notify();
	}

	/** A new socket with `token` now; the connection's phase starts over at sync. */
	#reconnect(token: string | null): void {
		this.#provider.connectWith(token);
		this.#lifecycle.restart();
	}

	/** The page's link does not open the board: it says why, keeps showing what it has, and changes nothing. */
	#fail(words: string): void {
		this.accessError = words;
		this.access = 'view';
		this.#linkAccess.stop();
		this.#provider.setReadOnly(true);
		this.#provider.disconnect();
		this.#lifecycle.to('stopped');
		this.#notify();
	}

	/**
	 * Opens the board with a fresh token (a host application refreshing an expiring JWT, a new link put in
	 * the address bar): checked with the server, then the socket reconnects with it. Returns whether it opens the board.
	 */
	async useToken(token: string): Promise<boolean> {
		if (this.#destroyed) return false;
		const grant = await this.#linkAccess.use(token);
		if (grant === false || this.#destroyed) return false;
		this.accessError = null;
		this.#grant(grant ?? { access: presumedAccess(token), claimed: true, links: {} });
		this.#reconnect(token);
		return true;
	}

	/** Asks the server again for this page's rights and links (the Share dialog opens with fresh links). */
	async refreshAccess(): Promise<void> {
		if (this.accessError === null) await this.#linkAccess.check();
	}

	/** The token sockets, previews and API calls carry now; null before a claim. */
	get token(): string | null {
		return this.#linkAccess.token;
	}

	/** The token is a host application's: it, not the board's links, decides who gets in. */
	get managedByHost(): boolean {
		return this.#linkAccess.managedByHost;
	}

	/**
	 * Replaces the board's `right` link (editors): the old one stops working at once, for everyone using it.
	 * Resetting the edit link this page uses, the page moves to the new one. Returns words for a failure, or null.
	 */
	async resetLink(right: Right): Promise<string | null> {
		return this.access === 'edit' ? this.#linkAccess.reset(right) : describeAccessProblem('forbidden');
	}

	/**
	 * The first paint, in order: this browser's copy, then the server's preview, then the server's sync
	 * (held until here, at most SYNC_HOLD_MAX_MS), after which the connection moves the phase on.
	 */
	async #start(preview: Promise<string | null>): Promise<void> {
		const bound = new Promise<void>((resolve) => (this.#holdTimer = setTimeout(resolve, SYNC_HOLD_MAX_MS)));
		await Promise.race([this.#local?.load(), bound]);
		if (this.#destroyed) return;
		this.#lifecycle.to('preview');
		await Promise.race([this.#showPreview(preview), bound]);
		if (this.#destroyed) return;
		clearTimeout(this.#holdTimer);
		this.#lifecycle.to('sync');
		this.#provider.releaseHold();
		this.#onConnection();
	}

	/** On a first visit, draws the server's preview of the view until the sync has been applied. */
	async #showPreview(body: Promise<string | null>): Promise<void> {
		// A returning visit draws its local copy instead.
		if (this.#hasShapes()) return;
		const text = await body;
		if (text === null) return; // nothing to show (an empty board, no network): no reason to wait
		const canvas = await this.#canvas;
		try {
			if (this.#destroyed || this.#hasShapes() || this.#provider.synced) return;
			const parsed = parsePreview(text);
			if (!parsed || !canvas.preview(parsed.shapes, parsed.total)) return;
			this.#endPreview = () => canvas.endPreview();
			// The canvas draws at the next frame: a big sync arriving before it would be applied first and the
			// preview never seen. A small one applies within the frame anyway, so it does not wait.
			if (parsed.total >= PREVIEW_FRAME_MIN_SHAPES) await afterNextFrame();
		} catch (error) {
			// Only ever a head start: the synced doc is drawn as it would have been without it.
			console.warn('the board preview could not be drawn', error);
			canvas.endPreview();
		}
	}

	/**
	 * Two transactions go without the doc's 'update' event, which would encode them again for nothing:
	 * - the server's first sync on a socket, when big (a first visit): the server has it, so only this
	 *   browser's copy needs it, and gets the whole doc once the page is idle;
	 * - this browser's copy loading while the server's sync is held: sent back, it would be the whole
	 *   board every visit. The server gets what it lacks in our reply to its step 1, handled after the
	 *   load, and the save tracker counts the load until the server confirms it.
	 */
	#withholds(transaction: Y.Transaction): boolean {
		const provider = this.#provider;
		if (transaction.origin === provider) return !provider.synced && itemsAdded(transaction) >= BULK_SYNC_MIN_ITEMS;
		return this.#local !== null && transaction.origin === this.#local && provider.holding;
	}

	readonly #onConnection = () => {
		const fatal = this.#provider.fatalClose;
		if (fatal && ACCESS_CLOSE_CODES.has(fatal.code) && this.accessError === null) {
			this.#fail(describeCloseCode(fatal.code, fatal.reason));
		}
		const facts = this.#facts();
		if (facts.fatal) this.#lifecycle.to('stopped');
		else if (this.#lifecycle.started) this.#lifecycle.to(connectionPhase(facts));
		if (this.#provider.synced && this.#endPreview) {
			this.#endPreview();
			this.#endPreview = null;
		}
		this.#notify();
	};

	#facts(): ConnectionFacts {
		const p = this.#provider;
		return {
			// While claiming, the socket is as good as on its way.
			socket: this.#linkAccess.claiming && p.socketState === 'closed' ? 'connecting' : p.socketState,
			synced: p.synced,
			// A claim that could not reach the server counts as a failed attempt: the badge says offline, not connecting.
			attempt: Math.max(p.retryState.attempt, this.#linkAccess.claimAttempts),
			fatal: p.fatalClose !== null || this.accessError !== null
		};
	}

	#hasShapes(): boolean {
		return this.#doc.getMap(SHAPES_MAP).size > 0;
	}

	#notify(): void {
		for (const listener of this.#listeners) listener();
	}

	/** The canvas is ready: on a first visit the session draws the server's preview on it until the sync. */
	drawPreviewOn(canvas: PreviewCanvas): void {
		this.#canvasReady(canvas);
	}

	/** Where the session is in its lifecycle (lifecycle.ts). */
	get phase(): Phase {
		this.#subscribe();
		return this.#lifecycle.phase;
	}

	get status(): ConnectionStatus {
		this.#subscribe();
		return connectionStatus(this.#lifecycle.phase, this.#facts(), isOnline());
	}

	/** Why we are not connected, in words, or '' when all is well. */
	get message(): string {
		const status = this.status;
		if (status === 'connected') return '';
		// The page's access banner says it.
		if (this.accessError !== null) return '';
		const fatal = this.#provider.fatalClose;
		if (fatal) return describeCloseCode(fatal.code, fatal.reason) + fatalAdvice(fatal.code);
		const last = this.#provider.lastClose;
		if (last && last.code !== 1006) return describeCloseCode(last.code, last.reason);
		if (status === 'offline') return 'Cannot reach the server; your changes are kept and will sync when it is back.';
		return 'Connecting to the board…';
	}

	/** Reconnection: closes since the last sync, and when the next attempt is due. */
	get retryState(): RetryState {
		this.#subscribe();
		return { ...this.#provider.retryState };
	}

	/** Whole seconds until the next reconnection attempt, or null when none is scheduled. */
	get retryInSeconds(): number | null {
		const at = this.retryState.nextAttemptAt;
		return at === null ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
	}

	/** 'saved': the server stored every local change; 'saving': on their way; 'unsaved': not connected. */
	get save(): SaveState {
		this.#subscribe();
		return this.#provider.saves.state;
	}

	/** This browser's copy holds every change (closing the tab loses nothing, even unsaved). */
	get keptLocally(): boolean {
		this.#subscribe();
		return this.#local?.upToDate ?? false;
	}

	/** Closing now would lose changes: the server has not confirmed them and no local copy holds them. */
	get unsafeToClose(): boolean {
		return this.#provider.saves.unconfirmed > 0 && !(this.#local?.upToDate ?? false);
	}

	/** The last close code from the server, for tests and diagnostics. */
	get lastCloseCode(): number | null {
		this.#subscribe();
		return this.#provider.fatalClose?.code ?? this.#provider.lastClose?.code ?? null;
	}

	/** Reconnects now instead of waiting for the scheduled retry. */
	retryNow(): void {
		this.#provider.retryNow();
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#holdTimer);
		this.#linkAccess.destroy();
		this.#updates.destroy();
		// Our presence is taken away while the socket is still open.
		this.presence.destroy();
		this.#provider.destroy();
		this.#local?.destroy();
		this.images.destroy();
		this.#listeners.clear();
	}
}
