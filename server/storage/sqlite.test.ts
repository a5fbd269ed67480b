// SQLite passes the storage contract, on a real file and in memory, and refuses files from a newer schema.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { tempDataDir } from '../../tests/helpers/test-server.ts';
import { storageContract } from './contract.ts';
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
});
