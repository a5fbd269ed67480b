import { describe, expect, it } from 'vitest';
import { UploadQueue, type PendingStore, type UploadOutcome } from '$lib/collab/upload-queue';

/** A store in memory, standing for IndexedDB: what a reload would find. */
function memoryStore(initial: string[] = []): PendingStore & { keys: Set<string> } {
	const keys = new Set(initial);
	return { keys, list: async () => [...keys], put: async (h) => void keys.add(h), remove: async (h) => void keys.delete(h) };
}

/** Timers run by hand. */
function manualTimers() {
	const due: { run: () => void; ms: number }[] = [];
	return {
		due,
		setTimer: (run: () => void, ms: number) => {
			const t = { run, ms };
			due.push(t);
			return t;
		},
		clearTimer: (t: unknown) => void due.splice(due.indexOf(t as (typeof due)[number]), 1),
		fire() {
			const next = due.shift();
			next?.run();
		}
	};
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the upload queue', () => {
	it('uploads an image at once and forgets it once the server has it', async () => {
		const store = memoryStore();
		const uploaded: string[] = [];
		const queue = new UploadQueue({ store, upload: async (h) => (uploaded.push(h), { ok: true }) });
		expect(await queue.add('a')).toEqual({ ok: true });
		await flush();
		expect(uploaded).toEqual(['a']);
		expect(store.keys.size).toBe(0);
		expect(queue.status).toEqual({ pending: 0, waiting: 0, error: null });
	});

	it('keeps an image added offline, waits, and uploads it when back online', async () => {
		const store = memoryStore();
		const timers = manualTimers();
		let online = false;
		const uploaded: string[] = [];
		const upload = async (h: string): Promise<UploadOutcome> => {
			if (!online) return { ok: false, retry: true, message: 'offline' };
			uploaded.push(h);
			return { ok: true };
		};
		const queue = new UploadQueue({ store, upload, ...timers, random: () => 0.5 });
		expect(await queue.add('a')).toMatchObject({ ok: false, retry: true });
		expect(store.keys.has('a')).toBe(true);
		expect(queue.status).toMatchObject({ pending: 1, waiting: 1 });
		// A retry while still offline keeps it, and backs off.
		timers.fire();
		await flush();
		expect(timers.due).toHaveLength(1);
		online = true;
		queue.retryNow();
		await flush();
		await flush();
		expect(uploaded).toEqual(['a']);
		expect(store.keys.size).toBe(0);
		expect(queue.status.pending).toBe(0);
	});

	it('picks up, after a reload, uploads a previous page left', async () => {
		const store = memoryStore(['left-behind']);
		const uploaded: string[] = [];
		const queue = new UploadQueue({ store, upload: async (h) => (uploaded.push(h), { ok: true }) });
		await queue.restore();
		await flush();
		await flush();
		expect(uploaded).toEqual(['left-behind']);
		expect(store.keys.size).toBe(0);
	});

	it('drops an upload the server refuses for good, with its words', async () => {
		const store = memoryStore();
		const queue = new UploadQueue({ store, upload: async () => ({ ok: false, retry: false, message: 'Over the board quota.' }) });
		expect(await queue.add('a')).toMatchObject({ ok: false, retry: false });
		await flush();
		expect(store.keys.size).toBe(0);
		expect(queue.status).toEqual({ pending: 0, waiting: 0, error: 'Over the board quota.' });
		queue.clearError();
		expect(queue.status.error).toBeNull();
	});

	it('waits as long as the server says when it answers "too many"', async () => {
		const timers = manualTimers();
		let calls = 0;
		const queue = new UploadQueue({
			store: memoryStore(),
			upload: async () => (++calls === 1 ? { ok: false, retry: true, message: 'slow down', retryAfterMs: 7_000 } : { ok: true }),
			...timers
		});
		await queue.add('a');
		expect(timers.due.map((t) => t.ms)).toEqual([7_000]);
		timers.fire();
		await flush();
		await flush();
		expect(calls).toBe(2);
		expect(queue.status.pending).toBe(0);
	});

	it('sends one upload at a time, in order', async () => {
		const order: string[] = [];
		let running = 0;
		const queue = new UploadQueue({
			store: memoryStore(),
			upload: async (h) => {
				running++;
				expect(running).toBe(1);
				await flush();
				order.push(h);
				running--;
				return { ok: true };
			}
		});
		await Promise.all([queue.add('a'), queue.add('b'), queue.add('c')]);
		expect(order).toEqual(['a', 'b', 'c']);
	});
});
