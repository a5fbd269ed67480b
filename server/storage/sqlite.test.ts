// SQLite passes the storage contract, on a real file and in memory, migrates older files, refuses newer ones and second writers.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { tempDataDir } from '../../tests/helpers/test-server.ts';
import { storageAdminContract, storageContract } from '../../tests/contracts/storage.ts';
import { IMAGE_TABLES } from './sqlite-images.ts';
import { HOLDER_FILE_NAME } from './dir-lock.ts';
import { SQLITE_FILE_NAME, SqliteStorage, openSqliteStorage, readStoredAccess } from './sqlite.ts';
import { StoreInUseError } from './types.ts';

storageContract('sqlite file', async () => {
	const dir = tempDataDir();
	const open = async () => openSqliteStorage(dir);
	return { storage: await open(), reopen: open, secondWriter: { kind: 'refused', open } };
});

// Nobody else can open a connection's private in-memory database: a second one is a store of its own.
storageContract('sqlite in memory', async () => ({
	storage: new SqliteStorage(':memory:'),
	secondWriter: { kind: 'separate', open: async () => new SqliteStorage(':memory:') }
}));

storageAdminContract('sqlite file', async () => openSqliteStorage(tempDataDir()));

describe('sqlite storage', () => {
	it('uses WAL so a crash mid-transaction leaves the last committed state', () => {
		const dir = tempDataDir();
		const storage = openSqliteStorage(dir);
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		db.close();
		void storage.close();
	});

	it('can be backed up online while a server holds the folder: the lock is on a file of its own', async () => {
		const dir = tempDataDir();
		const storage = openSqliteStorage(dir);
		await storage.append('room', [new Uint8Array([1])]);
		const reader = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
		const copy = path.join(tempDataDir(), 'backup.sqlite');
		await reader.backup(copy);
		reader.close();
		const backup = new Database(copy, { readonly: true });
		expect(backup.prepare('SELECT COUNT(*) AS n FROM log').get()).toEqual({ n: 1 });
		backup.close();
		await storage.close();
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
		expect(reopened.pragma('user_version', { simple: true })).toBe(5);
		reopened.close();
	});

	it('migrates a version 2 file: its boards stay, unclaimed, and can be claimed', async () => {
		const dir = tempDataDir();
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		db.exec(`
			CREATE TABLE rooms (name TEXT PRIMARY KEY, snapshot BLOB, snapshot_seq INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL) STRICT;
			CREATE TABLE log (room TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (room, seq)) STRICT, WITHOUT ROWID;
		`);
		db.pragma('user_version = 2');
		db.prepare('INSERT INTO log (room, seq, at, data) VALUES (?, ?, ?, ?)').run('old', 1, 0, Y.encodeStateAsUpdate(new Y.Doc()));
		db.close();

		const storage = openSqliteStorage(dir);
		expect((await storage.load('old')).updates).toHaveLength(1);
		expect(await storage.loadAccess('old')).toBeNull();
		expect(readStoredAccess(dir, 'old')).toBeNull();
		expect(await storage.claimAccess('old')).toBe(true);
		// A reader beside the running server (npm run links) sees the claim.
		expect(readStoredAccess(dir, 'old')).toEqual({ editGeneration: 0, viewGeneration: 0, historyForViewers: false });
		await storage.close();
		const reopened = new Database(path.join(dir, SQLITE_FILE_NAME));
		expect(reopened.pragma('user_version', { simple: true })).toBe(5);
		reopened.close();
	});

	it('migrates a version 3 file: its boards and access records stay, and it can store images', async () => {
		const dir = tempDataDir();
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		db.exec(`
			CREATE TABLE rooms (name TEXT PRIMARY KEY, snapshot BLOB, snapshot_seq INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL) STRICT;
			CREATE TABLE log (room TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (room, seq)) STRICT, WITHOUT ROWID;
			CREATE TABLE access (board TEXT PRIMARY KEY, edit_generation INTEGER NOT NULL, view_generation INTEGER NOT NULL, claimed_at INTEGER NOT NULL) STRICT;
		`);
		db.pragma('user_version = 3');
		db.prepare('INSERT INTO log (room, seq, at, data) VALUES (?, ?, ?, ?)').run('old', 1, 0, Y.encodeStateAsUpdate(new Y.Doc()));
		db.prepare('INSERT INTO access VALUES (?, 2, 5, 0)').run('old');
		db.close();

		const storage = openSqliteStorage(dir);
		expect((await storage.load('old')).updates).toHaveLength(1);
		expect(await storage.loadAccess('old')).toEqual({ editGeneration: 2, viewGeneration: 5, historyForViewers: false });
		expect(await storage.putImage('old', 'a'.repeat(64), { mime: 'image/png', bytes: new Uint8Array([1, 2]) }, 0)).toBe('created');
		expect(await storage.boardImageBytes('old')).toBe(2);
		await storage.close();
		const reopened = new Database(path.join(dir, SQLITE_FILE_NAME));
		expect(reopened.pragma('user_version', { simple: true })).toBe(5);
		reopened.close();
	});

	it('migrates a version 4 file: access records stay with history hidden from viewers, and it can store versions', async () => {
		const dir = tempDataDir();
		const db = new Database(path.join(dir, SQLITE_FILE_NAME));
		db.exec(`
			CREATE TABLE rooms (name TEXT PRIMARY KEY, snapshot BLOB, snapshot_seq INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL) STRICT;
			CREATE TABLE log (room TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (room, seq)) STRICT, WITHOUT ROWID;
			CREATE TABLE access (board TEXT PRIMARY KEY, edit_generation INTEGER NOT NULL, view_generation INTEGER NOT NULL, claimed_at INTEGER NOT NULL) STRICT;
			${IMAGE_TABLES}
		`);
		db.pragma('user_version = 4');
		db.prepare('INSERT INTO access VALUES (?, 1, 3, 0)').run('old');
		db.close();

		const storage = openSqliteStorage(dir);
		expect(await storage.loadAccess('old')).toEqual({ editGeneration: 1, viewGeneration: 3, historyForViewers: false });
		expect(await storage.setHistoryForViewers('old', true)).toEqual({ editGeneration: 1, viewGeneration: 3, historyForViewers: true });
		const info = { id: 'v', createdAt: 1, kind: 'auto' as const, name: null, editors: [], summary: { added: 0, deleted: 0, changed: 0 }, shapes: 0, bytes: 1 };
		await storage.addVersion('old', info, new Uint8Array([1]));
		expect(await storage.listVersions('old')).toEqual([info]);
		await storage.close();
		const reopened = new Database(path.join(dir, SQLITE_FILE_NAME));
		expect(reopened.pragma('user_version', { simple: true })).toBe(5);
		reopened.close();
	});

	it('names the folder and the process holding it when a second writer is refused', () => {
		const dir = tempDataDir();
		const first = openSqliteStorage(dir);
		let refusal: unknown;
		try {
			openSqliteStorage(dir);
		} catch (error) {
			refusal = error;
		}
		expect(refusal).toBeInstanceOf(StoreInUseError);
		expect((refusal as Error).message).toContain(`DATA_DIR ${dir}`);
		expect((refusal as Error).message).toContain(`process ${process.pid} on this host`);
		void first.close();
		// The holder's name goes with the lock.
		expect(fs.existsSync(path.join(dir, HOLDER_FILE_NAME))).toBe(false);
	});

	it('fails an append loudly, and stores nothing of it, when another writer broke the rule and took its seq', async () => {
		const dir = tempDataDir();
		const storage = openSqliteStorage(dir);
		const update = (n: number) => new Uint8Array([n]);
		expect(await storage.append('room', [update(1)])).toBe(1);
		// A writer that ignores the lock (the folder shared over a network file system, say) appends seq 2.
		const intruder = new Database(path.join(dir, SQLITE_FILE_NAME));
		intruder.prepare('INSERT INTO log (room, seq, at, data) VALUES (?, ?, ?, ?)').run('room', 2, Date.now(), update(99));
		intruder.close();
		await expect(storage.append('room', [update(2), update(3)])).rejects.toThrow(/seq 2 was already stored by another writer/);
		// Nothing of the refused batch was stored beside the intruder's row.
		expect((await storage.load('room')).updates.map((u) => u[0])).toEqual([1, 99]);
		await storage.close();
	});
});
