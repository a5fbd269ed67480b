// This browser's copy of a board (src/lib/collab/local-store.ts) in Chromium's own IndexedDB: a change counts as
// kept only once its transaction committed, copies y-indexeddb wrote open (and it opens ours), and a whole-doc
// write replaces what was stored, as does the compaction after many updates.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'esbuild';
import type * as LocalStoreModule from '../../src/lib/collab/local-store.ts';
import type * as Yjs from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { storedRecords } from './board.ts';
import { expect, test } from './fixtures.ts';

declare global {
	interface Window {
		__store: typeof LocalStoreModule & { Y: typeof Yjs; IndexeddbPersistence: typeof IndexeddbPersistence };
	}
}

const ROOT = path.resolve(import.meta.dirname, '../..');
let bundle: Promise<string> | null = null;

/** The store as the app's bundle has it, with Yjs and y-indexeddb (the client before ours), for a page to load. */
function storeBundle(): Promise<string> {
	bundle ??= build({
		stdin: {
			contents: `export * from './src/lib/collab/local-store.ts'; export * as Y from 'yjs'; export { IndexeddbPersistence } from 'y-indexeddb';`,
			resolveDir: ROOT,
			loader: 'ts'
		},
		bundle: true,
		format: 'iife',
		globalName: '__store',
		platform: 'browser',
		target: 'es2022',
		write: false
	}).then((result) => result.outputFiles[0]!.text);
	return bundle;
}

/** A page of the server's origin (IndexedDB belongs to an origin) with the store loaded. */
async function storePage(page: Page, origin: string): Promise<void> {
	await page.goto(`${origin}/healthz`);
	await page.addScriptTag({ content: await storeBundle() });
}


test('a change counts as kept only once the transaction that wrote it committed', async ({ page, server }) => {
	await storePage(page, server.url);
	const result = await page.evaluate(async () => {
		const { LocalStore, Y } = window.__store;
		const name = `boardwalk:ack-${Math.random().toString(36).slice(2)}`;
		const doc = new Y.Doc();
		const store = new LocalStore(name, doc);
		await store.load();
		const loaded = store.upToDate;

		// Another connection keeps a read-write transaction on the store busy: ours cannot commit until it ends.
		const other = await new Promise<IDBDatabase>((resolve) => {
			const open = indexedDB.open(name);
			open.onsuccess = () => resolve(open.result);
		});
		const blocker = other.transaction('updates', 'readwrite');
		let busy = true;
		let rounds = 0;
		const spin = () => {
			const request = blocker.objectStore('updates').count();
			request.onsuccess = () => {
				rounds++;
				if (busy) spin();
			};
		};
		spin();

		doc.getMap('shapes').set('a', 1);
		store.append(Y.encodeStateAsUpdate(doc));
		const asked = store.upToDate;
		// A hundred round trips of the other transaction: all that time, ours waits.
		await new Promise<void>((resolve) => {
			const check = () => (rounds >= 100 ? resolve() : setTimeout(check));
			check();
		});
		const blocked = store.upToDate;
		const committed = new Promise<void>((resolve) => store.onChange(() => store.upToDate && resolve()));
		busy = false;
		await committed;
		other.close();
		store.destroy();
		return { loaded, asked, blocked, name };
	});
	expect(result).toMatchObject({ loaded: true, asked: false, blocked: false });
	expect(await storedRecords(page, result.name)).toBe(1);
});

test('opens a copy y-indexeddb wrote, and y-indexeddb opens the copy it writes', async ({ page, server }) => {
	await storePage(page, server.url);
	const result = await page.evaluate(async () => {
		const { LocalStore, Y, IndexeddbPersistence } = window.__store;
		const name = `boardwalk:compat-${Math.random().toString(36).slice(2)}`;
		// The copy as the previous client left it.
		const before = new Y.Doc();
		const persistence = new IndexeddbPersistence(name, before);
		await persistence.whenSynced;
		before.getMap('shapes').set('a', 'kept by y-indexeddb');
		await persistence.destroy(); // the database closes once its write is done

		const doc = new Y.Doc();
		const store = new LocalStore(name, doc);
		doc.on('update', (update: Uint8Array, origin: unknown) => origin !== store && store.append(update));
		const opened = await store.load();
		const read = doc.getMap('shapes').get('a');
		doc.getMap('shapes').set('b', 'kept by us');
		await new Promise<void>((resolve) => store.onChange(() => store.upToDate && resolve()));
		store.destroy();

		const after = new Y.Doc();
		const again = new IndexeddbPersistence(name, after);
		await again.whenSynced;
		const back = after.getMap('shapes').toJSON();
		await again.destroy();
		return { opened, read, back };
	});
	expect(result).toEqual({ opened: true, read: 'kept by y-indexeddb', back: { a: 'kept by y-indexeddb', b: 'kept by us' } });
});

test('a whole-doc write replaces every stored update, and many updates are compacted into one', async ({ page, server }) => {
	await storePage(page, server.url);
	const name = await page.evaluate(async () => {
		const { LocalStore, Y } = window.__store;
		const name = `boardwalk:whole-${Math.random().toString(36).slice(2)}`;
		const doc = new Y.Doc();
		const store = new LocalStore(name, doc);
		doc.on('update', (update: Uint8Array) => store.append(update));
		await store.load();
		for (let i = 0; i < 3; i++) doc.getMap('shapes').set(`s${i}`, i);
		await new Promise<void>((resolve) => store.onChange(() => store.upToDate && resolve()));
		(window as unknown as { __doc: typeof doc; __live: typeof store }).__doc = doc;
		(window as unknown as { __live: typeof store }).__live = store;
		return name;
	});
	expect(await storedRecords(page, name)).toBe(3);

	await page.evaluate(async () => {
		const store = (window as unknown as { __live: InstanceType<Window['__store']['LocalStore']> }).__live;
		store.storeWholeDoc();
		if (store.upToDate) throw new Error('kept before the whole doc was written');
		await new Promise<void>((resolve) => store.onChange(() => store.upToDate && resolve()));
	});
	expect(await storedRecords(page, name)).toBe(1);

	const limit = await page.evaluate(() => {
		const { COMPACT_AFTER_UPDATES } = window.__store;
		const doc = (window as unknown as { __doc: Yjs.Doc }).__doc;
		for (let i = 0; i < COMPACT_AFTER_UPDATES; i++) doc.getMap('shapes').set(`n${i}`, i);
		return COMPACT_AFTER_UPDATES;
	});
	await expect.poll(() => storedRecords(page, name), { timeout: 10_000 }).toBeLessThan(limit / 10);
	const copy = await page.evaluate(async (db) => {
		const { LocalStore, Y } = window.__store;
		const doc = new Y.Doc();
		const store = new LocalStore(db, doc);
		await store.load();
		store.destroy();
		return doc.getMap('shapes').size;
	}, name);
	expect(copy).toBe(3 + limit);
});
