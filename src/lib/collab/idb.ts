/** Opening this browser's small IndexedDB databases (image files, versions seen): null where there is none, never a throw. */

/**
 * Opens (creating on first use) database `name` with `stores`; resolves null where IndexedDB is missing
 * or refuses (Node, private modes): the callers then keep things in memory only. A newer tab's upgrade
 * closes this connection instead of being blocked by it.
 */
export function openDatabase(name: string, stores: readonly string[]): Promise<IDBDatabase | null> {
	return new Promise((resolve) => {
		let req: IDBOpenDBRequest;
		try {
			req = indexedDB.open(name, 1);
		} catch {
			return resolve(null);
		}
		req.onupgradeneeded = () => {
			for (const store of stores) req.result.createObjectStore(store);
		};
		req.onsuccess = () => {
			req.result.onversionchange = () => req.result.close();
			resolve(req.result);
		};
		req.onerror = () => resolve(null);
	});
}
