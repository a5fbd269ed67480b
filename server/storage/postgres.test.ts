// PostgreSQL passes the storage contract against a PostgreSQL of its own, migrates by version, refuses newer schemas and second writers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type Service } from '../../tests/helpers/services.ts';
import { storageAdminContract, storageContract } from '../../tests/contracts/storage.ts';
import { waitFor } from '../../tests/helpers/wait.ts';
import { SCHEMA_VERSION, WRITER_LOCK_KEY, openPostgresStorage } from './postgres.ts';
import { StoreInUseError, StoreUnreachableError } from './types.ts';

let postgres: Service;
let admin: pg.Client;
let databases = 0;

beforeAll(async () => {
	postgres = await startPostgres();
	admin = new pg.Client({ connectionString: postgres.url });
	await admin.connect();
}, 60_000);
afterAll(async () => {
	await admin?.end();
	await postgres?.stop();
});

/** A fresh, empty database on the test's PostgreSQL: each test a store of its own, as each SQLite test has its own folder. */
async function freshDatabase(): Promise<string> {
	const name = `store_${++databases}`;
	await admin.query(`CREATE DATABASE ${name}`);
	const url = new URL(postgres.url);
	url.pathname = `/${name}`;
	return url.toString();
}

storageContract('postgres', async () => {
	const url = await freshDatabase();
	const open = () => openPostgresStorage(url);
	return { storage: await open(), reopen: open, secondWriter: { kind: 'refused', open } };
});

storageAdminContract('postgres', async () => openPostgresStorage(await freshDatabase()));

describe('postgres storage', () => {
	it('creates its schema at start and records its version', async () => {
		const url = await freshDatabase();
		const storage = await openPostgresStorage(url);
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		expect((await client.query('SELECT version FROM boardwalk_schema')).rows).toEqual([{ version: SCHEMA_VERSION }]);
		await client.end();
		await storage.close();
		// A restart finds the schema in place and keeps what was stored.
		const again = await openPostgresStorage(url);
		await again.append('room', [new Uint8Array([1])]);
		await again.close();
		const third = await openPostgresStorage(url);
		expect((await third.load('room')).updates).toEqual([new Uint8Array([1])]);
		await third.close();
	});

	it('refuses a database written by a newer schema instead of corrupting it', async () => {
		const url = await freshDatabase();
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		await client.query('CREATE TABLE boardwalk_schema (version INTEGER NOT NULL); INSERT INTO boardwalk_schema VALUES (99)');
		await client.end();
		await expect(openPostgresStorage(url)).rejects.toThrow(/newer Boardwalk \(schema 99\)/);
		// The refusal let go of the writer lock: nothing holds the database.
		const after = new pg.Client({ connectionString: url });
		await after.connect();
		expect((await after.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).rows).toEqual([{ n: 0 }]);
		await after.end();
	});

	it('names the holding process, and keeps credentials out, when a second writer is refused', async () => {
		const url = await freshDatabase();
		const first = await openPostgresStorage(url);
		const refusal = await openPostgresStorage(url).catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(StoreInUseError);
		expect((refusal as Error).message).toContain(`boardwalk process ${process.pid}`);
		expect((refusal as StoreInUseError).store).not.toContain('postgres@');
		await first.close();
	});

	it('fails an append loudly, and stores nothing of it, when another writer broke the rule and took its seq', async () => {
		const url = await freshDatabase();
		const storage = await openPostgresStorage(url);
		expect(await storage.append('room', [new Uint8Array([1])])).toBe(1);
		const intruder = new pg.Client({ connectionString: url });
		await intruder.connect();
		await intruder.query('INSERT INTO log (room, seq, at, data) VALUES ($1, 2, 0, $2)', ['room', Buffer.from([99])]);
		await intruder.end();
		await expect(storage.append('room', [new Uint8Array([2]), new Uint8Array([3])])).rejects.toThrow(/already stored by another writer/);
		expect((await storage.load('room')).updates.map((u) => u[0])).toEqual([1, 99]);
		await storage.close();
	});

	it('takes the writer lock again before writing when its session was lost, and refuses to write while another holds it', async () => {
		const url = await freshDatabase();
		const storage = await openPostgresStorage(url);
		await storage.append('room', [new Uint8Array([1])]);
		const session = async () => {
			const client = new pg.Client({ connectionString: url });
			await client.connect();
			return client;
		};
		// The lock's session dies (as in a database restart or a network cut).
		const dba = await session();
		await dba.query(
			"SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
		);
		// Someone else takes the lock meanwhile: our next write must not go through without it.
		const other = await session();
		// The terminated session's lock may take a moment to be released: wait on the condition.
		await waitFor(
			async () => (await other.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [WRITER_LOCK_KEY])).rows[0]!.locked,
			'the other session to take the writer lock'
		);
		await expect(storage.append('room', [new Uint8Array([2])])).rejects.toBeInstanceOf(StoreInUseError);
		expect((await storage.load('room')).updates).toHaveLength(1);
		// Once the other lets go, the next write takes the lock back and is stored.
		await other.end();
		await expect(storage.append('room', [new Uint8Array([2])])).resolves.toBe(2);
		await dba.end();
		await storage.close();
	});

	it('reports an unreachable database as StoreUnreachableError, without the password', async () => {
		const url = new URL(postgres.url);
		url.port = '1'; // nothing listens on port 1
		url.password = 'secret-password';
		const error = await openPostgresStorage(url.toString()).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StoreUnreachableError);
		expect((error as Error).message).toContain('127.0.0.1:1');
		expect((error as Error).message).not.toContain('secret-password');
	});
});
