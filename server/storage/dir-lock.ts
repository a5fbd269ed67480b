/** An exclusive lock on a data folder, held by one process for its life: how SQLite keeps to one writer per store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreInUseError } from './types.ts';

export const LOCK_FILE_NAME = 'boardwalk.lock';
/** Who holds the lock, for the message a refused process prints (the lock file itself cannot be read while held). */
export const HOLDER_FILE_NAME = 'boardwalk.lock.json';

interface Holder {
	pid: number;
	host: string;
	startedAt: string;
}

/**
 * The lock is SQLite's own file lock (POSIX `fcntl`) on a small database of its own, taken with
 * `locking_mode=EXCLUSIVE` and a write transaction that is never committed: the kernel drops it when
 * the process ends however it ends (kill -9 included), so there is no stale lock to guess about, and
 * SQLite refuses it to other connections of this process as well as to other processes. The board
 * file itself stays in normal locking mode, so `sqlite3 .backup` can read it while the server runs.
 */
export class DataDirLock {
	private constructor(
		private readonly db: Database.Database,
		private readonly holderFile: string
	) {}

	/** Takes the lock on `dir` (created if missing) or throws StoreInUseError naming the holder. */
	static acquire(dir: string): DataDirLock {
		fs.mkdirSync(dir, { recursive: true });
		const db = new Database(path.join(dir, LOCK_FILE_NAME));
		try {
			// Refused at once rather than waiting: a second server should stop, not queue behind the first.
			db.pragma('busy_timeout = 0');
			db.pragma('locking_mode = EXCLUSIVE');
			db.exec('BEGIN EXCLUSIVE');
		} catch (error) {
			db.close();
			if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new StoreInUseError(`DATA_DIR ${dir}`, describeHolder(dir));
			throw error;
		}
		const holderFile = path.join(dir, HOLDER_FILE_NAME);
		const holder: Holder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
		// Written after the lock is ours, and renamed into place so a reader never sees half of it.
		const temp = `${holderFile}.${process.pid}`;
		fs.writeFileSync(temp, `${JSON.stringify(holder)}\n`);
		fs.renameSync(temp, holderFile);
		return new DataDirLock(db, holderFile);
	}

	get held(): boolean {
		return this.db.open;
	}

	release(): void {
		if (!this.db.open) return;
		fs.rmSync(this.holderFile, { force: true });
		this.db.close();
	}
}

function describeHolder(dir: string): string {
	try {
		const holder = JSON.parse(fs.readFileSync(path.join(dir, HOLDER_FILE_NAME), 'utf8')) as Holder;
		const where = holder.host === os.hostname() ? 'on this host' : `on host ${holder.host}`;
		return `process ${holder.pid} ${where} (started ${holder.startedAt})`;
	} catch {
		// Between another process taking the lock and writing its name.
		return 'another process';
	}
}
