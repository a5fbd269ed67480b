// kill -9 while versions are being written: the store opens afterwards, and every version it lists is whole.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeVersionContent } from '../../server/history/content.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { SHAPE_DEFAULTS, keysBetween } from '../../src/lib/shared/model/index.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { waitFor } from '../helpers/wait.ts';

const processes: ServerProcess[] = [];
const opened: TestClient[] = [];
afterEach(() => {
	for (const c of opened.splice(0)) c.destroy();
	for (const p of processes.splice(0)) p.child.kill('SIGKILL');
});

describe('kill -9 during version writes', () => {
	it('leaves each version whole or absent, and the store opens', async () => {
		const server = await startServerProcess();
		processes.push(server);
		const client = await connectClient(server.wsUrl, 'crash');
		opened.push(client);
		// A board big enough that each version takes a while to encode and write.
		const n = 3000;
		const indices = keysBetween(null, null, n);
		client.doc.transact(() => {
			for (let i = 0; i < n; i++) {
				const map = new Y.Map<unknown>();
				for (const [key, value] of Object.entries({ ...SHAPE_DEFAULTS.text, type: 'text', index: indices[i]!, x: i, text: `note ${i} `.repeat(8) })) map.set(key, value);
				client.shapes.set(`s${i}`, map);
			}
		});
		const first = await fetch(`${server.url}/api/boards/crash/versions`, { method: 'POST', body: '{"name":"first"}' });
		expect(first.status).toBe(201);
		expect(((await first.json()) as { shapes: number }).shapes).toBe(n);

		// Many writes in flight, the server killed while they are.
		let answered = 0;
		const writes = Array.from({ length: 40 }, (_, i) =>
			fetch(`${server.url}/api/boards/crash/versions`, { method: 'POST', body: JSON.stringify({ name: `v${i}` }) }).then(
				() => answered++,
				() => {}
			)
		);
		await waitFor(() => answered >= 3, 'a few versions to be written');
		server.child.kill('SIGKILL');
		await server.exited;
		await Promise.all(writes);

		const storage = openSqliteStorage(server.dataDir);
		try {
			const versions = await storage.listVersions('crash');
			expect(versions.length).toBeGreaterThanOrEqual(4);
			expect(versions.length).toBeLessThan(41);
			for (const info of versions) {
				const stored = await storage.getVersion('crash', info.id);
				expect(stored!.content.byteLength).toBe(info.bytes);
				expect(decodeVersionContent(stored!.content)).toHaveLength(n);
			}
		} finally {
			await storage.close();
		}
	}, 60_000);
});
