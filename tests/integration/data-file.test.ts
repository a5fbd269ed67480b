// A data file that is empty, foreign, truncated or damaged stops the server at start-up with a clear message; a board whose stored snapshot cannot be decoded is closed with 4004 and logged once, and other boards keep working.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/wire.ts';
import { createLogger } from '../../server/log.ts';
import { SQLITE_FILE_NAME, openSqliteStorage } from '../../server/storage/sqlite.ts';
import { connectClient, openRaw } from '../helpers/clients.ts';
import { ServerExitedError, startServerProcess } from '../helpers/server-process.ts';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

/** A store with a few boards in it, closed, and the path of its file. */
async function storeWithBoards(): Promise<{ dataDir: string; file: string }> {
	const dataDir = tempDataDir();
	const storage = openSqliteStorage(dataDir);
	for (let i = 0; i < 40; i++) await storage.append(`board-${i}`, [new Uint8Array(3000).fill(i)]);
	await storage.close();
	return { dataDir, file: path.join(dataDir, SQLITE_FILE_NAME) };
}

async function startFails(dataDir: string): Promise<ServerExitedError> {
	const error = await startServerProcess({ dataDir }).then(
		(started) => {
			started.child.kill('SIGKILL');
			throw new Error('the server started on a damaged data file');
		},
		(error: unknown) => error
	);
	expect(error).toBeInstanceOf(ServerExitedError);
	return error as ServerExitedError;
}

describe('a damaged data file', () => {
	const cases: Array<{ name: string; damage: (file: string) => void; says: RegExp }> = [
		{ name: 'a zero-length file', damage: (file) => fs.writeFileSync(file, ''), says: /empty \(0 bytes\)/ },
		{
			name: 'a garbled file',
			damage: (file) => fs.writeFileSync(file, Buffer.from('PK\u0003\u0004 this is a zip file, not a database'.repeat(200))),
			says: /not an SQLite database/
		},
		{ name: 'a truncated file', damage: (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), says: /malformed|quick_check/ }
	];
	for (const { name, damage, says } of cases) {
		it(`stops the server at start-up with a clear message and no stack trace: ${name}`, async () => {
			const { dataDir, file } = await storeWithBoards();
			damage(file);
			const error = await startFails(dataDir);
			expect(error.code).toBe(4);
			expect(error.stderr).toContain('cannot be read as a Boardwalk store');
			expect(error.stderr).toMatch(says);
			expect(error.stderr).not.toMatch(/^\s+at /m);
			expect(error.lines.join('\n')).not.toMatch(/"stack"/);
		}, 30_000);
	}
});

describe('a board whose stored data cannot be decoded', () => {
	let server: TestServer;
	afterEach(async () => {
		await server.stop();
	});

	it('closes its sockets with 4004 and logs once; other boards keep working', async () => {
		const dataDir = tempDataDir();
		const doc = new Y.Doc();
		doc.getMap('shapes').set('a', 'x'.repeat(100));
		const update = Y.encodeStateAsUpdate(doc);
		const storage = openSqliteStorage(dataDir);
		await storage.compact('broken', update.subarray(0, update.length - 20), 0);
		await storage.close();

		const lines: string[] = [];
		const sink = new Writable({
			write(chunk: Buffer, _encoding, done) {
				lines.push(...chunk.toString().split('\n').filter(Boolean));
				done();
			}
		});
		server = await startTestServer({ dataDir, log: createLogger('info', sink) });
		for (let i = 0; i < 3; i++) {
			const raw = await openRaw(server.wsUrl, 'broken');
			expect((await raw.closed).code).toBe(CloseCode.BoardUnreadable);
		}
		expect((await fetch(`${server.url}/preview/broken`)).status).toBe(503);
		const a = await connectClient(server.wsUrl, 'fine');
		const b = await connectClient(server.wsUrl, 'fine');
		a.shapes.set('k', 1);
		await waitFor(() => b.shapes.get('k') === 1, 'another board to sync');
		a.destroy();
		b.destroy();
		const reports = lines.filter((line) => line.includes('"broken"') && JSON.parse(line).level >= 50);
		expect(reports).toHaveLength(1);
		expect(reports[0]).toContain('board unreadable');
	});
});
