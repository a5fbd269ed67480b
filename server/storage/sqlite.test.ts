// SQLite passes the storage contract, on a real file and in memory, migrates older files and refuses newer ones.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { tempDataDir } from '../../tests/helpers/test-server.ts';
import { storageContract } from '../../tests/contracts/storage.ts';
import { SQLITE_FILE_NAME, SqliteStorage, openSqliteStorage } from './sqlite.ts';

storageContract('sqlite file', async () => {
	const dir = tempDataDir();
	return { storage: openSqliteStorage(dir), reopen: async () => openSqliteStorage(dir) };
});

storageContract('sqlite in memory', async () => ({ storage: new SqliteStorage(':memory:') }));

describe('sqlite storage', () => {
	it('uses WAL so a crash mid-transaction leaves the last committed state', () => {
		const dir = tempDataDir();
		const storage = openSqliteStorage(dir);
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		db.close();
		void storage.close();
	});

	it('refuses a database written by a newer schema instead of corrupting it', () => {
		const dir = tempDataDir();
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		db.pragma('user_version = 99');
		db.close();
		expect(() => openSqliteStorage(dir)).toThrow(/newer Boardwalk/);
	});

	it('migrates a version 1 file (rowid log) without losing or reordering anything', async () => {
		const dir = tempDataDir();
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		db.exec(`
			CREATE TABLE rooms (name TEXT PRIMARY KEY, snapshot BLOB, updated_at INTEGER NOT NULL) STRICT;
			CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL) STRICT;
			CREATE INDEX updates_by_room ON updates (room, seq);
		`);
		db.pragma('user_version = 1');
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		doc.getMap('shapes').set('a', 1);
		const snapshot = Y.encodeStateAsUpdate(doc);
		doc.getMap('shapes').set('b', 2);
		doc.getMap('shapes').set('a', 3);
		db.prepare('INSERT INTO rooms (name, snapshot, updated_at) VALUES (?, ?, ?)').run('old', snapshot, 1_700_000_000_000);
		for (const u of updates.slice(1)) db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run('old', u);
		db.close();

		const storage = openSqliteStorage(dir);
		const stored = await storage.load('old');
		expect(stored.updates).toHaveLength(2);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, stored.snapshot!);
		for (const u of stored.updates) Y.applyUpdate(copy, u);
		expect(copy.getMap('shapes').toJSON()).toEqual({ a: 3, b: 2 });
		expect(await storage.append('old', [updates[0]!])).toBeGreaterThan(stored.lastSeq);
		expect((await storage.listRooms()).map((r) => [r.name, r.pendingUpdates])).toEqual([['old', 3]]);
		await storage.close();
		const reopened = new Database(path.join(dir, SQLITE_FILE_NAME));
		expect(reopened.pragma('user_version', { simple: true })).toBe(2);
		reopened.close();
	});

	it('keeps appending, in order and without loss, when another connection appended to the same room meanwhile', async () => {
		const dir = tempDataDir();
		const first = openSqliteStorage(dir);
		const second = openSqliteStorage(dir);
		const update = (n: number) => new Uint8Array([n]);
		expect(await first.append('room', [update(1)])).toBe(1);
		// The second learns seq 1 from the file, then the first appends on from its own count.
		expect(await second.append('room', [update(2)])).toBe(2);
		expect(await first.append('room', [update(3), update(4)])).toBe(4);
		expect(await second.append('room', [update(5)])).toBe(5);
		expect(await first.append('room', [update(6)])).toBe(6);
		const stored = await first.load('room');
		expect(stored.updates.map((u) => u[0])).toEqual([1, 2, 3, 4, 5, 6]);
		expect(stored.lastSeq).toBe(6);
		await first.close();
		await second.close();
	});
});
