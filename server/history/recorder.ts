/** One loaded room's history: automatic versions by the policy, a version before a large deletion, named versions on request. */
import { randomBytes } from 'node:crypto';
import { isEmptySummary, summarize, type VersionEditor, type VersionInfo, type VersionKind } from '../../src/lib/shared/history.ts';
import type { Shape } from '../../src/lib/shared/model/index.ts';
import type { Logger } from '../log.ts';
import type { VersionStorage } from '../storage/types.ts';
import { decodeVersionContent, encodeVersionContent } from './content.ts';
import type { HistoryClock, HistoryPolicy } from './policy.ts';

/** What a version is made of: the room (objects, not callbacks, as in DurableRelayDeps). */
export interface HistorySource {
	/** The board's valid shapes as stored (pending updates stored first); null when the room cannot say (gone, rebuilding). */
	storedShapes(): Promise<Shape[] | null>;
}

/** On a cluster, whether this process writes the board's automatic versions: it holds the compaction lease (CompactionRight.take). */
export interface HistoryRight {
	take(): Promise<boolean>;
}

export interface RecorderDeps {
	storage: VersionStorage;
	board: string;
	policy: HistoryPolicy;
	clock: HistoryClock;
	log: Logger;
	source: HistorySource;
	right?: HistoryRight | null;
}

/** A version id: its time first (sortable), then randomness; url-safe. */
function newVersionId(createdAt: number): string {
	return `${createdAt.toString(36)}-${randomBytes(6).toString('base64url')}`;
}

/**
 * Edits arm one timer: it fires `quietMs` after the last edit, or `maxIntervalMs` after the first edit
 * the newest version does not hold, whichever comes first; an edit only moves a number (no timer is
 * re-armed per update). Versions are written one at a time, in order.
 */
export class HistoryRecorder {
	/** Ms (clock) of the first and the last edit not in a version yet; null: none. */
	private firstEditAt: number | null = null;
	private lastEditAt = 0;
	private timer: unknown = null;
	/** Who edited since the last version, by whatever identifies them (a connection). */
	private readonly editors = new Map<unknown, VersionEditor | null>();
	/** The shapes of the newest version, for the next one's summary; undefined until read from storage. */
	private previous: Shape[] | null | undefined = undefined;
	private chain: Promise<unknown> = Promise.resolve();
	private stopped = false;

	constructor(private readonly deps: RecorderDeps) {}

	/** Whether edits are waiting for a version. */
	get dirty(): boolean {
		return this.firstEditAt !== null;
	}

	/** The board changed (an update was applied); `who` identifies the editor, `editor` resolves it once per version. */
	edited(who: unknown = null, editor?: () => VersionEditor | null): void {
		if (this.stopped) return;
		const now = this.deps.clock.now();
		this.lastEditAt = now;
		if (who !== null && !this.editors.has(who)) this.editors.set(who, editor?.() ?? null);
		if (this.firstEditAt === null) {
			this.firstEditAt = now;
			this.arm();
		}
	}

	private arm(): void {
		if (this.timer !== null || this.firstEditAt === null || this.stopped) return;
		const { quietMs, maxIntervalMs } = this.deps.policy;
		const due = Math.min(this.lastEditAt + quietMs, this.firstEditAt + maxIntervalMs);
		this.timer = this.deps.clock.setTimeout(() => this.fire(), Math.max(0, due - this.deps.clock.now()));
	}

	private fire(): void {
		this.timer = null;
		if (this.firstEditAt === null || this.stopped) return;
		const { quietMs, maxIntervalMs } = this.deps.policy;
		const now = this.deps.clock.now();
		if (now < this.lastEditAt + quietMs && now < this.firstEditAt + maxIntervalMs) {
			this.arm();
			return;
		}
		void this.automatic().catch((error: unknown) => this.deps.log.error({ err: error }, 'storing an automatic version failed'));
	}

	/** Stores an automatic version if the shapes changed since the newest one (and, on a cluster, this process holds the lease). */
	automatic(): Promise<VersionInfo | null> {
		return this.serially(async () => {
			if (this.firstEditAt === null) return null;
			this.firstEditAt = null;
			if (this.deps.right && !(await this.deps.right.take())) {
				this.editors.clear();
				return null;
			}
			const shapes = await this.deps.source.storedShapes();
			if (shapes === null) return null;
			const info = await this.write('auto', null, shapes, 'if changed');
			if (info) {
				const { board, clock, policy } = this.deps;
				await this.deps.storage.thinVersions(board, clock.now(), policy.retention);
			}
			return info;
		});
	}

	/** Stores a version of the stored shapes now, changed or not (an editor asked: named, or before a restore or import). */
	explicit(kind: Exclude<VersionKind, 'auto'>, name: string | null): Promise<VersionInfo | null> {
		return this.serially(async () => {
			const shapes = await this.deps.source.storedShapes();
			if (shapes === null) return null;
			return this.write(kind, name, shapes, 'always');
		});
	}

	/**
	 * One update deleted many shapes: a `before-delete` version of `shapes` (the board as it was), read
	 * synchronously by the caller while the deleted shapes could still be read.
	 */
	beforeDelete(shapes: Shape[]): void {
		if (this.stopped) return;
		void this.serially(async () => {
			if (this.deps.right && !(await this.deps.right.take())) return null;
			return this.write('before-delete', null, shapes, 'always');
		}).catch((error: unknown) => this.deps.log.error({ err: error }, 'storing a before-delete version failed'));
	}

	/** The room unloads: a last automatic version if edits wait for one; no timer after. */
	async unload(): Promise<void> {
		this.clearTimer();
		try {
			if (this.firstEditAt !== null) await this.automatic();
			else await this.chain;
		} catch (error) {
			this.deps.log.error({ err: error }, 'storing the last version at unload failed');
		}
		this.stopped = true;
	}

	stop(): void {
		this.stopped = true;
		this.clearTimer();
	}

	private clearTimer(): void {
		if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
		this.timer = null;
	}

	private serially<T>(work: () => Promise<T>): Promise<T> {
		const run = this.chain.then(work, work);
		this.chain = run.catch(() => {});
		return run;
	}

	private async write(kind: VersionKind, name: string | null, shapes: Shape[], when: 'if changed' | 'always'): Promise<VersionInfo | null> {
		const { storage, board, clock } = this.deps;
		const previous = await this.previousShapes();
		const summary = summarize(previous, shapes);
		if (when === 'if changed' && isEmptySummary(summary)) {
			this.editors.clear();
			return null;
		}
		const content = encodeVersionContent(shapes);
		const createdAt = clock.now();
		const editors = this.takeEditors();
		const info: VersionInfo = { id: newVersionId(createdAt), createdAt, kind, name, editors, summary, shapes: shapes.length, bytes: content.byteLength };
		await storage.addVersion(board, info, content);
		this.previous = shapes;
		return info;
	}

	private takeEditors(): VersionEditor[] {
		const seen = new Set<string>();
		const editors: VersionEditor[] = [];
		for (const editor of this.editors.values()) {
			if (editor === null) continue;
			const key = `${editor.name}\u0000${editor.color}`;
			if (seen.has(key)) continue;
			seen.add(key);
			editors.push(editor);
		}
		this.editors.clear();
		return editors;
	}

	/** The newest stored version's shapes (null: the board has none), read once per room. */
	private async previousShapes(): Promise<Shape[] | null> {
		if (this.previous !== undefined) return this.previous;
		const { storage, board } = this.deps;
		const newest = (await storage.listVersions(board))[0];
		const stored = newest ? await storage.getVersion(board, newest.id) : null;
		try {
			this.previous = stored ? decodeVersionContent(stored.content) : null;
		} catch (error) {
			this.deps.log.warn({ err: error }, 'the newest version cannot be read; the next summary counts every shape as added');
			this.previous = null;
		}
		return this.previous;
	}
}
