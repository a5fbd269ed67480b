// The server as users run it on STORAGE_URL: boards stored in PostgreSQL across a restart; an unreachable database stops the start with exit code 2.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectClient } from '../helpers/clients.ts';
import { ServerExitedError, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { startPostgres, type Service } from '../helpers/services.ts';
import { waitFor } from '../helpers/wait.ts';

let postgres: Service;
const servers: ServerProcess[] = [];

beforeAll(async () => {
	postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
	for (const server of servers) {
		if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
		await server.exited;
	}
	await postgres?.stop();
});

/** A loopback port with nothing listening: taken from the kernel, then closed again. */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe('server on STORAGE_URL', () => {
	it('exits with code 2 and one clear line when the database cannot be reached at start', async () => {
		const port = await closedPort();
		const error = await startServerProcess({ env: { STORAGE_URL: `postgres://boardwalk:hunter2@127.0.0.1:${port}/boardwalk` } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ServerExitedError);
		const { code, stderr } = error as ServerExitedError;
		expect(code).toBe(2);
		const lines = stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(new RegExp(`^boardwalk: cannot reach postgres://127\\.0\\.0\\.1:${port}/boardwalk: .*ECONNREFUSED`));
		expect(stderr).not.toContain('hunter2');
	}, 30_000);

	it('stores boards in PostgreSQL: a board drawn on one server is there after a restart', async () => {
		const env = { STORAGE_URL: postgres.url };
		const first = await startServerProcess({ env });
		servers.push(first);
		expect(first.lines.some((line) => line.includes('"engine":"postgres"'))).toBe(true);
		const writer = await connectClient(first.wsUrl, 'pg-board');
		writer.shapes.set('s1', { kind: 'rect', x: 1 });
		const db = new pg.Client({ connectionString: postgres.url });
		await db.connect();
		await waitFor(
			async () => (await db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM log WHERE room = 'pg-board'")).rows[0]!.n > 0,
			'the update to be stored in PostgreSQL'
		);
		await db.end();
		writer.destroy();
		first.child.kill('SIGTERM');
		expect((await first.exited).code).toBe(0);

		// The first let go of the writer lock on its way out: a new server takes the same database over.
		const second = await startServerProcess({ env });
		servers.push(second);
		const reader = await connectClient(second.wsUrl, 'pg-board');
		expect(reader.shapes.get('s1')).toEqual({ kind: 'rect', x: 1 });
		reader.destroy();

		// While it runs, a third on the same database is refused (one writer per database), exit code 3.
		const refused = await startServerProcess({ env }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ServerExitedError);
		expect((refused as ServerExitedError).code).toBe(3);
		expect((refused as ServerExitedError).stderr).toContain(`in use by a single Boardwalk process (not in cluster mode): boardwalk process ${second.child.pid}`);
	}, 60_000);
});
