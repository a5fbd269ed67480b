/** Presence over Yjs awareness: who is here, their colour, and where their pointer is. Never persisted; cursor updates are throttled. */
import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import type { Point } from '$lib/editor/camera';

/** Cursor moves are droppable presence traffic: at most this often per client. */
export const CURSOR_INTERVAL_MS = 50;
const IDENTITY_KEY = 'boardwalk:identity';

export const PRESENCE_COLORS = ['#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5', '#0c8599', '#c2255c', '#5f3dc4'];
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Puffin', 'Badger', 'Gecko', 'Marten', 'Ibis', 'Koala', 'Narwhal'];

export interface Identity {
	name: string;
	color: string;
}

export interface Peer extends Identity {
	clientId: number;
	/** Board coordinates, or null when their pointer is off the board. */
	cursor: Point | null;
}

function pick<T>(list: readonly T[]): T {
	return list[Math.floor(Math.random() * list.length)]!;
}

/** A name and colour for this browser, kept across boards and reloads. */
export function loadIdentity(): Identity {
	try {
		const stored = JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null') as Identity | null;
		if (stored && typeof stored.name === 'string' && typeof stored.color === 'string') return stored;
	} catch {
		// Corrupt or blocked storage: make a fresh identity.
	}
	const identity = { name: `Guest ${pick(ANIMALS)}`, color: pick(PRESENCE_COLORS) };
	try {
		localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
	} catch {
		// Storage blocked: the identity lasts for this page only.
	}
	return identity;
}

function asPeer(clientId: number, state: Record<string, unknown>): Peer | null {
	const user = state.user as Partial<Identity> | undefined;
	if (!user || typeof user.name !== 'string' || typeof user.color !== 'string') return null;
	const c = state.cursor as Partial<Point> | null | undefined;
	const cursor = c && Number.isFinite(c.x) && Number.isFinite(c.y) ? { x: c.x!, y: c.y! } : null;
	return { clientId, name: user.name.slice(0, 40), color: user.color, cursor };
}

export class Presence {
	readonly identity: Identity;
	readonly #awareness: Awareness;
	readonly #subscribe: () => void;
	#pendingCursor: Point | null | undefined;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#lastSent = 0;

	constructor(awareness: Awareness, identity: Identity = loadIdentity()) {
		this.identity = identity;
		this.#awareness = awareness;
		awareness.setLocalStateField('user', identity);
		this.#subscribe = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
	}

	/** Everyone else on the board with a valid presence entry. */
	get peers(): Peer[] {
		this.#subscribe();
		const peers: Peer[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID) continue;
			const peer = asPeer(clientId, state);
			if (peer) peers.push(peer);
		}
		return peers;
	}

	/** Shares the local pointer (board units), throttled; null hides it. */
	setCursor(cursor: Point | null): void {
		this.#pendingCursor = cursor;
		const wait = this.#lastSent + CURSOR_INTERVAL_MS - performance.now();
		if (wait <= 0) this.#flush();
		else this.#timer ??= setTimeout(() => this.#flush(), wait);
	}

	#flush(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		if (this.#pendingCursor === undefined) return;
		this.#lastSent = performance.now();
		this.#awareness.setLocalStateField('cursor', this.#pendingCursor);
		this.#pendingCursor = undefined;
	}

	destroy(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#awareness.setLocalState(null);
	}
}
