// Exactly one process writes a DATA_DIR: a second server is refused before it listens, and a writer that breaks the rule cannot make compaction drop rows.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/wire.ts';
import { SQLITE_FILE_NAME, openSqliteStorage } from '../../server/storage/sqlite.ts';
import { StoreInUseError } from '../../server/storage/types.ts';
import { connectClient, openRaw, type TestClient } from '../helpers/clients.ts';
import { ServerExitedError, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { startTestServer, storedShapes as storedIn, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const clients: TestClient[] = [];
const processes: ServerProcess[] = [];
const servers: TestServer[] = [];

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	for (const p of processes.splice(0)) p.child.kill('SIGKILL');
	for (const s of servers.splice(0)) await s.stop();
});

async function client(wsUrl: string, room: string): Promise<TestClient> {
	const c = await connectClient(wsUrl, room);
	clients.push(c);
	return c;
}

/** What storage holds for `room`, as a doc's shapes. */
async function storedShapes(dataDir: string, room: string): Promise<Record<string, unknown>> {
	const storage = openSqliteStorage(dataDir);
	try {
		return await storedIn(storage, room);
	} finally {
		await storage.close();
	}
}

describe('one writer per DATA_DIR', () => {
	it('a second server process on the same folder exits at once, naming the folder and the first, which keeps serving', async () => {
		const first = await startServerProcess();
		processes.push(first);
		const writer = await client(first.wsUrl, 'shared');
		const reader = await client(first.wsUrl, 'shared');
		for (let n = 0; n < 20; n++) writer.shapes.set(`s${n}`, n);
		await waitFor(() => reader.shapes.size === 20, 'the reader to see 20 shapes');

		const refusal = await startServerProcess({ dataDir: first.dataDir }).then(
			(second) => {
				processes.push(second);
				return null;
			},
			(error: unknown) => error
		);
		expect(refusal).toBeInstanceOf(ServerExitedError);
		const { code, stderr, lines } = refusal as ServerExitedError;
		expect(code).toBe(3);
		expect(stderr).toContain(`DATA_DIR ${first.dataDir} is in use by process ${first.child.pid} on this host`);
		expect(lines.some((line) => line.includes('listening'))).toBe(false);

		// The first still relays, stores and serves everything.
		writer.shapes.set('after', true);
		await waitFor(() => reader.shapes.get('after') === true, 'the reader to see a write made after the refusal');
		const fresh = await client(first.wsUrl, 'shared');
		expect(fresh.shapes.size).toBe(21);
		first.child.kill('SIGTERM');
		expect((await first.exited).code).toBe(0);
		expect(Object.keys(await storedShapes(first.dataDir, 'shared'))).toHaveLength(21);
	});

	it('a second server in the same process is refused before it stores anything, and the first compacts without losing an update', async () => {
		const first = await startTestServer({ compactAfterUpdates: 3 });
		servers.push(first);
		await expect(startTestServer({ dataDir: first.dataDir })).rejects.toBeInstanceOf(StoreInUseError);
		const writer = await client(first.wsUrl, 'board');
		const reader = await client(first.wsUrl, 'board');
		for (let n = 0; n < 10; n++) writer.shapes.set(`s${n}`, n);
		await waitFor(() => reader.shapes.size === 10, 'the reader to see 10 shapes');
		writer.destroy();
		reader.destroy();
		await first.stop();
		expect(Object.keys(await storedShapes(first.dataDir, 'board'))).toHaveLength(10);
	});

	it("a writer that ignores the lock cannot make compaction drop its row: the room's next append fails it with 1013", async () => {
		const dataDir = tempDataDir();
		const server = await startTestServer({ dataDir });
		servers.push(server);
		const writer = await client(server.wsUrl, 'board');
		const watcher = await openRaw(server.wsUrl, 'board');
		writer.shapes.set('mine', 1);
		await waitFor(async () => (await server.storage.load('board')).updates.length === 1, 'the first update to be stored');

		// Another process appends the next seq of the room behind the server's back.
		const other = new Y.Doc();
		other.getMap('shapes').set('theirs', 2);
		const intruder = new Database(path.join(dataDir, SQLITE_FILE_NAME));
		intruder.prepare('INSERT INTO log (room, seq, at, data) VALUES (?, ?, ?, ?)').run('board', 2, Date.now(), Y.encodeStateAsUpdate(other));
		intruder.close();

		writer.shapes.set('next', 3);
		expect((await watcher.closed).code).toBe(CloseCode.TryAgainLater);
		writer.destroy();
		await server.stop();
		// The room compacted nothing over the taken seq: the other's row is intact. (The client keeps its
		// refused edit and may have sent it again after reconnecting, so `next` may be stored too.)
		expect(await storedShapes(dataDir, 'board')).toMatchObject({ mine: 1, theirs: 2 });
	});
});
