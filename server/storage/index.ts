/** openStorage(config): the storage engine the configuration names, opened (and its one-writer lock taken). */
import { MemoryStorage } from './memory.ts';
import { openSqliteStorage } from './sqlite.ts';
import type { RoomStorage } from './types.ts';
import { withoutCredentials } from './url.ts';

/**
 * Where boards are stored. One member per engine: SQLite in DATA_DIR (the default), PostgreSQL when
 * STORAGE_URL is a postgres:// URL (DATA_DIR then keeps only the generated secret, when SECRET is
 * unset); `memory` keeps nothing past the process (the bench's "persistence off", tests) and no
 * environment variable selects it. Only PostgreSQL can be shared by the processes of a cluster.
 */
export type StorageConfig =
	| { engine: 'sqlite'; dataDir: string }
	| {
			engine: 'postgres';
			url: string;
			dataDir: string;
			/** Cluster mode (BUS_URL set): share the database with other Boardwalk processes instead of owning it. */
			cluster?: boolean;
	  }
	| { engine: 'memory' };

/**
 * Opens the configured engine; throws StoreInUseError when another process writes the same store,
 * StoreUnreachableError when PostgreSQL cannot be reached.
 */
export async function openStorage(config: StorageConfig): Promise<RoomStorage> {
	switch (config.engine) {
		case 'sqlite':
			return openSqliteStorage(config.dataDir);
		case 'postgres': {
			// Loaded only when chosen: a SQLite server never loads the PostgreSQL client.
			const { openPostgresStorage } = await import('./postgres.ts');
			return openPostgresStorage(config.url, { cluster: config.cluster === true });
		}
		case 'memory':
			return new MemoryStorage();
	}
}

/** The store in a log line or message: never a secret (a later URL's credentials stay out). */
export function describeStorage(config: StorageConfig): { engine: string; dataDir?: string; url?: string } {
	switch (config.engine) {
		case 'sqlite':
			return { engine: 'sqlite', dataDir: config.dataDir };
		case 'postgres':
			return { engine: 'postgres', url: withoutCredentials(config.url) };
		case 'memory':
			return { engine: 'memory' };
	}
}
