/** openStorage(config): the storage engine the configuration names, opened (and, for SQLite, its folder locked). */
import { MemoryStorage } from './memory.ts';
import { openSqliteStorage } from './sqlite.ts';
import type { RoomStorage } from './types.ts';

/**
 * Where boards are stored. One member per engine: SQLite in DATA_DIR is what config.ts reads from the
 * environment; `memory` keeps nothing past the process (the bench's "persistence off", tests) and no
 * environment variable selects it. Another engine (PostgreSQL, chosen by a `STORAGE_URL`) adds its
 * member here and its case in `openStorage`, and config.ts learns to read it.
 */
export type StorageConfig = { engine: 'sqlite'; dataDir: string } | { engine: 'memory' };

/** Opens the configured engine; throws StoreInUseError when another process writes the same store. */
export async function openStorage(config: StorageConfig): Promise<RoomStorage> {
	switch (config.engine) {
		case 'sqlite':
			return openSqliteStorage(config.dataDir);
		case 'memory':
			return new MemoryStorage();
	}
}

/** The store in a log line or message: never a secret (a later URL's credentials stay out). */
export function describeStorage(config: StorageConfig): { engine: string; dataDir?: string } {
	switch (config.engine) {
		case 'sqlite':
			return { engine: 'sqlite', dataDir: config.dataDir };
		case 'memory':
			return { engine: 'memory' };
	}
}
