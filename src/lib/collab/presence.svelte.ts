/**
 * Presence over Yjs awareness: who is here, their name and colour, pointer, selection and
 * viewport (schema in docs/schema.md "Awareness"). Never persisted; cursor and viewport
 * updates are throttled. Peers' states are validated before anything reads them.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import type { Box, Point } from '$lib/shared/model/geometry';
import { COLOR_PATTERN } from '$lib/shared/model/schema';
import { Throttle } from '$lib/util/throttle';
import {
	CURSOR_INTERVAL_MS,
	VIEWPORT_INTERVAL_MS,
	cleanName,
	parseIdentity,
	parsePeerState,
	shareSelection,
	type AwarenessState,
	type Editing,
	type Identity,
	type Peer,
	type Viewport
} from '$lib/collab/presence-state';

export type { Editing, Identity, Peer, Viewport };

const IDENTITY_KEY = 'boardwalk:identity';

/** Distinct from each other and from the app's own violet (your selection handles). */
export const PRESENCE_COLORS = ['#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5', '#0c8599', '#c2255c', '#66a80f'];
const ADJECTIVES = ['Brave', 'Calm', 'Clever', 'Curious', 'Gentle', 'Happy', 'Jolly', 'Lucky', 'Nimble', 'Quiet', 'Sunny', 'Swift'];
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Puffin', 'Badger', 'Gecko', 'Marten', 'Ibis', 'Koala', 'Narwhal', 'Fox', 'Wren'];

function pick<T>(list: readonly T[]): T {
	return list[Math.floor(Math.random() * list.length)]!;
}

function storeIdentity(identity: Identity): void {
	try {
		localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
	} catch {
		// Storage blocked: the identity lasts for this page only.
	}
}

/**
 * The colour to show this client in: its own, unless someone who joined earlier (lower client
 * id) already shows in it; then the first palette colour nobody here uses. Every client applies
 * the same rule, so people present at the same time never share a colour while one is free.
 */
export function resolveColor(preferred: string, clientId: number, peers: readonly Peer[]): string {
	if (!peers.some((p) => p.clientId < clientId && p.user.color === preferred)) return preferred;
	const used = new Set(peers.map((p) => p.user.color));
	return PRESENCE_COLORS.find((c) => !used.has(c)) ?? preferred;
}

/** A name and colour for this browser, kept across boards and reloads. */
export function loadIdentity(): Identity {
	try {
		const stored = parseIdentity(JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null'));
		if (stored) return stored;
	} catch {
		// Corrupt or blocked storage: make a fresh identity.
	}
	const identity = { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(PRESENCE_COLORS) };
	storeIdentity(identity);
	return identity;
}

export class Presence {
	/** Name and colour as others see them (the colour may differ from the stored one: see resolveColor). */
	identity = $state.raw<Identity>({ name: '', color: '' });
	/** The name (and maybe colour) come from the token that opened the board (a host application's JWT): renaming is off. */
	pinned = $state(false);
	/** The colour this browser keeps across visits, or the one the token gives. */
	#preferredColor: string;
	readonly #awareness: Awareness;
	readonly #subscribe: () => void;
	readonly #cursor = new Throttle(CURSOR_INTERVAL_MS);
	readonly #viewport = new Throttle(VIEWPORT_INTERVAL_MS);
	readonly #caret = new Throttle(CURSOR_INTERVAL_MS);
	#editing: Editing | null = null;
	#shared: Pick<AwarenessState, 'selection' | 'selectionBox'> = { selection: [], selectionBox: null };

	constructor(awareness: Awareness, identity: Identity = loadIdentity()) {
		this.identity = identity;
		this.#preferredColor = identity.color;
		this.#awareness = awareness;
		// One local state with every field, so peers never see a half-built entry.
		awareness.setLocalState({ user: identity, cursor: null, ...this.#shared, viewport: null, editing: null } satisfies AwarenessState);
		awareness.on('change', this.#checkColor);
		this.#checkColor();
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
	}

	get clientId(): number {
		return this.#awareness.clientID;
	}

	/** Everyone else on the board with a valid presence entry, in the order they joined. */
	get peers(): Peer[] {
		this.#subscribe();
		return this.#peerList();
	}

	#peerList(): Peer[] {
		const peers: Peer[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID) continue;
			const peer = parsePeerState(clientId, state);
			if (peer) peers.push(peer);
		}
		return peers;
	}

	/** Renames this user everywhere at once, and for the next visit. Returns false for a blank name. */
	rename(name: string): boolean {
		const clean = cleanName(name);
		if (!clean || this.pinned) return false;
		if (clean === this.identity.name) return true;
		this.identity = { ...this.identity, name: clean };
		storeIdentity({ name: clean, color: this.#preferredColor });
		this.#awareness.setLocalStateField('user', this.identity);
		return true;
	}

	/**
	 * Shows this user as the token names them (the server rewrites any other name anyway), for this board
	 * only: the name this browser keeps for other boards is left alone.
	 */
	pin(user: { name: string; color?: string }): void {
		const name = cleanName(user.name);
		if (!name) return;
		this.pinned = true;
		if (user.color && COLOR_PATTERN.test(user.color)) this.#preferredColor = user.color;
		this.identity = { name, color: resolveColor(this.#preferredColor, this.clientId, this.#peerList()) };
		this.#awareness.setLocalStateField('user', this.identity);
	}

	/** Shares the local pointer (board units), throttled; null hides it. */
	setCursor(cursor: Point | null): void {
		this.#cursor.run(() => this.#awareness.setLocalStateField('cursor', cursor));
		// Leaving the board is sent at once, so the pointer does not linger on others' screens.
		if (cursor === null) this.#cursor.flush();
	}

	/**
	 * Shares which shapes are selected here, bounded (see shareSelection: ids up to a cap, else the box
	 * around them, from `boundsOf`); sent only when what is shared changes.
	 */
	setSelection(ids: readonly string[], boundsOf: (ids: readonly string[]) => Box | null): void {
		const next = shareSelection(ids, boundsOf);
		const before = this.#shared;
		const sameIds = next.selection.length === before.selection.length && next.selection.every((id, i) => id === before.selection[i]);
		const a = next.selectionBox;
		const b = before.selectionBox;
		const sameBox = a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h && a.count === b.count);
		if (sameIds && sameBox) return;
		this.#shared = next;
		const state = this.#awareness.getLocalState();
		// Both fields in one update: peers never see the ids of one selection with the box of another.
		if (state) this.#awareness.setLocalState({ ...state, ...next });
	}

	/**
	 * Shares the shape this user types into and their caret. Starting or stopping (another id) is sent
	 * at once; caret moves at most every CURSOR_INTERVAL_MS.
	 */
	setEditing(editing: Editing | null): void {
		const before = this.#editing;
		if (before?.id === editing?.id && before?.caret === editing?.caret) return;
		this.#editing = editing;
		this.#caret.run(() => this.#awareness.setLocalStateField('editing', this.#editing));
		if (before?.id !== editing?.id) this.#caret.flush();
	}

	/** Shares what this user is looking at, throttled, for anyone following them. */
	setViewport(viewport: Viewport): void {
		this.#viewport.run(() => this.#awareness.setLocalStateField('viewport', viewport));
	}

	readonly #checkColor = (): void => {
		const color = resolveColor(this.#preferredColor, this.clientId, this.#peerList());
		if (color === this.identity.color) return;
		this.identity = { ...this.identity, color };
		this.#awareness.setLocalStateField('user', this.identity);
	};

	destroy(): void {
		this.#awareness.off('change', this.#checkColor);
		this.#cursor.cancel();
		this.#viewport.cancel();
		this.#caret.cancel();
		this.#awareness.setLocalState(null);
	}
}
