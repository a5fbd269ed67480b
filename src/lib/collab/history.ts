/**
 * The board's version history through the history API (docs/protocol.md, "History"), with the page's
 * token: the list, a version's content, saving a named or `before-…` version, renaming and deleting
 * named ones, and whether viewers may browse history. A version never changes, so its content is kept
 * in memory and in IndexedDB (`boardwalk:history`, key `<board> <id>`), and the last list is kept
 * too: versions already seen open offline.
 */
import { openDatabase } from '$lib/collab/idb';
import { API_BOARDS_PREFIX } from '$lib/collab/access';
import type { VersionContent, VersionInfo, VersionReason } from '$lib/shared/history';

/** Why a history call failed, for the panel's words. */
export type HistoryProblem = 'hidden' | 'forbidden' | 'offline' | 'not-found' | 'conflict' | 'server';

export class HistoryError extends Error {
	constructor(
		readonly problem: HistoryProblem,
		message: string
	) {
		super(message);
	}
}

const WORDS: Record<HistoryProblem, string> = {
	hidden: 'The owner keeps this board’s history hidden from viewers.',
	forbidden: 'Your link does not allow that: only editors can save, rename or restore versions.',
	offline: 'You are offline: only versions already opened here can be shown.',
	'not-found': 'That version no longer exists.',
	conflict: 'Automatic versions cannot be deleted; they are thinned out over time.',
	server: 'The server could not answer. Try again in a moment.'
};

export interface VersionList {
	versions: VersionInfo[];
	/** Whether viewers may browse history, when the server says (`historyForViewers`); null when it does not. */
	viewersAllowed: boolean | null;
	/** The list is the one kept here from an earlier visit: the server could not be reached. */
	offline: boolean;
}

export interface HistoryApi {
	/** Newest first. Offline, the last list seen here (or an `offline` error if none). */
	list(): Promise<VersionList>;
	/** From memory, IndexedDB or the server, in that order. */
	content(id: string): Promise<VersionContent>;
	/** Asks the server to store a version of what it holds now: named, or before a restore, a deletion or an import. */
	save(request: { name?: string; reason?: VersionReason }): Promise<VersionInfo>;
	rename(id: string, name: string | null): Promise<void>;
	/** Named versions only (the server answers 409 for automatic ones). */
	remove(id: string): Promise<void>;
	/** Whether people with a view link may browse history. */
	setViewersAllowed(viewers: boolean): Promise<void>;
}

const DATABASE = 'boardwalk:history';
const VERSIONS = 'versions';
const LISTS = 'lists';

/** IndexedDB, or nothing where there is none (then memory alone). */
class HistoryStore {
	readonly #db: Promise<IDBDatabase | null>;

	constructor() {
		this.#db = openDatabase(DATABASE, [VERSIONS, LISTS]);
	}

	async get<T>(store: string, key: string): Promise<T | undefined> {
		const db = await this.#db;
		if (!db) return undefined;
		return new Promise((resolve) => {
			try {
				const req = db.transaction(store).objectStore(store).get(key);
				req.onsuccess = () => resolve(req.result as T | undefined);
				req.onerror = () => resolve(undefined);
			} catch {
				resolve(undefined);
			}
		});
	}

	async put(store: string, key: string, value: unknown): Promise<void> {
		const db = await this.#db;
		if (!db) return;
		await new Promise<void>((resolve) => {
			try {
				const tx = db.transaction(store, 'readwrite');
				tx.objectStore(store).put(value, key);
				tx.oncomplete = () => resolve();
				tx.onerror = tx.onabort = () => resolve();
			} catch {
				resolve();
			}
		});
	}
}

let sharedStore: HistoryStore | null = null;
const memory = new Map<string, VersionContent>();

function problemOf(status: number, body: Record<string, unknown>): HistoryProblem {
	if (status === 403) return body.error === 'history-hidden' ? 'hidden' : 'forbidden';
	if (status === 401) return 'forbidden';
	if (status === 404) return 'not-found';
	if (status === 409) return 'conflict';
	return 'server';
}

/** The history API of one board, authorised with the token `token()` returns at each call. */
export function historyApi(board: string, token: () => string | null, fetcher: typeof fetch = (...args) => fetch(...args)): HistoryApi {
	const store = typeof indexedDB === 'undefined' ? null : (sharedStore ??= new HistoryStore());
	const base = `${API_BOARDS_PREFIX}${encodeURIComponent(board)}`;
	const key = (id: string) => `${board} ${id}`;

	async function call(path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
		const t = token();
		const headers: Record<string, string> = t ? { Authorization: `Bearer ${t}` } : {};
		if (init.body !== undefined) headers['Content-Type'] = 'application/json';
		let response: Response;
		try {
			response = await fetcher(`${base}${path}`, {
				method: init.method ?? 'GET',
				headers,
				body: init.body === undefined ? undefined : JSON.stringify(init.body)
			});
		} catch {
			throw new HistoryError('offline', WORDS.offline);
		}
		const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
		if (!response.ok) {
			const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
			const problem = problemOf(response.status, record);
			throw new HistoryError(problem, WORDS[problem]);
		}
		return body;
	}

	return {
		async list() {
			try {
				const body = (await call('/versions')) as { versions?: VersionInfo[]; historyForViewers?: unknown } | null;
				const versions = Array.isArray(body?.versions) ? body.versions : [];
				void store?.put(LISTS, board, versions);
				const viewersAllowed = typeof body?.historyForViewers === 'boolean' ? body.historyForViewers : null;
				return { versions, viewersAllowed, offline: false };
			} catch (error) {
				if (error instanceof HistoryError && error.problem === 'offline') {
					const kept = await store?.get<VersionInfo[]>(LISTS, board);
					if (kept) return { versions: kept, viewersAllowed: null, offline: true };
				}
				throw error;
			}
		},
		async content(id) {
			const known = memory.get(key(id)) ?? (await store?.get<VersionContent>(VERSIONS, key(id)));
			if (known) {
				memory.set(key(id), known);
				return known;
			}
			const content = (await call(`/versions/${encodeURIComponent(id)}`)) as VersionContent;
			if (!content || !Array.isArray(content.shapes)) throw new HistoryError('server', WORDS.server);
			memory.set(key(id), content);
			void store?.put(VERSIONS, key(id), content);
			return content;
		},
		async save(request) {
			return (await call('/versions', { method: 'POST', body: request })) as VersionInfo;
		},
		async rename(id, name) {
			await call(`/versions/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } });
		},
		async remove(id) {
			await call(`/versions/${encodeURIComponent(id)}`, { method: 'DELETE' });
			memory.delete(key(id));
		},
		async setViewersAllowed(viewers) {
			await call('/history-access', { method: 'POST', body: { viewers } });
		}
	};
}

/** "just now", "5 min ago", "3 h ago", "yesterday 14:05", or the date. */
export function relativeTime(at: number, now: number): string {
	const seconds = Math.max(0, Math.round((now - at) / 1000));
	if (seconds < 45) return 'just now';
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min ago`;
	const hours = Math.round(minutes / 60);
	if (hours < 12) return `${hours} h ago`;
	const date = new Date(at);
	const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
	const today = new Date(now);
	const yesterday = new Date(now - 24 * 3600 * 1000);
	if (date.toDateString() === today.toDateString()) return `today ${time}`;
	if (date.toDateString() === yesterday.toDateString()) return `yesterday ${time}`;
	return `${date.toLocaleDateString([], { day: 'numeric', month: 'short', year: date.getFullYear() === today.getFullYear() ? undefined : 'numeric' })} ${time}`;
}

/** "12 shapes added, 3 deleted"; "No changes" when nothing changed. */
export function describeSummary(summary: { added: number; deleted: number; changed: number }): string {
	const parts: string[] = [];
	const shapes = (n: number) => (n === 1 ? 'shape' : 'shapes');
	const first = (n: number, verb: string) => (parts.length === 0 ? `${n} ${shapes(n)} ${verb}` : `${n} ${verb}`);
	if (summary.added > 0) parts.push(first(summary.added, 'added'));
	if (summary.changed > 0) parts.push(first(summary.changed, 'changed'));
	if (summary.deleted > 0) parts.push(first(summary.deleted, 'deleted'));
	return parts.length === 0 ? 'No changes' : parts.join(', ');
}

/** What the panel calls each kind. */
export const KIND_LABELS: Record<VersionInfo['kind'], string> = {
	auto: 'Automatic',
	named: 'Named',
	'before-delete': 'Before a deletion',
	'before-import': 'Before an import',
	'before-restore': 'Before a restore'
};
