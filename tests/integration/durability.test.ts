// Nothing a client has seen is lost: across a graceful restart, and across kill -9 of the server process.
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, openRaw, type TestClient } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const clients: TestClient[] = [];
const processes: ServerProcess[] = [];

afterEach(() => {
	for (const c of clients.splice(0)) c.destroy();
	for (const p of processes.splice(0)) p.child.kill('SIGKILL');
});

async function client(wsUrl: string, room: string) {
	const c = await connectClient(wsUrl, room);
	clients.push(c);
	return c;
}

async function serverProcess(options: Parameters<typeof startServerProcess>[0] = {}) {
	const p = await startServerProcess(options);
	processes.push(p);
	return p;
}

describe('durability', () => {
	it('keeps every update across a graceful restart', async () => {
		const first = await startTestServer();
		const writer = await client(first.wsUrl, 'restart');
		for (let n = 0; n < 100; n++) writer.shapes.set(`s${n}`, n);
		const reader = await client(first.wsUrl, 'restart');
		await waitFor(() => reader.shapes.size === 100, 'the reader to see 100 shapes');
		writer.destroy();
		reader.destroy();
		await first.stop();

		const second = await startTestServer({ dataDir: first.dataDir });
		const fresh = await client(second.wsUrl, 'restart');
		expect(fresh.shapes.size).toBe(100);
		await second.stop();
	});

	it('loses nothing a second client saw when the server is killed with SIGKILL', async () => {
		// Small compaction thresholds so compaction runs (and could be interrupted) during the test too.
		const env = { COMPACT_AFTER_UPDATES: '7' };
		const first = await serverProcess({ env });
		const writer = await client(first.wsUrl, 'crash');
		const observer = await client(first.wsUrl, 'crash');
		const N = 300;
		for (let n = 0; n < N; n++) writer.shapes.set(`s${n}`, n);
		await waitFor(() => observer.shapes.size === N, `the observer to see ${N} updates`);
		first.child.kill('SIGKILL');
		expect((await first.exited).signal).toBe('SIGKILL');
		writer.destroy();
		observer.destroy();

		const second = await serverProcess({ dataDir: first.dataDir });
		const fresh = await client(second.wsUrl, 'crash');
		expect(fresh.shapes.size).toBe(N);
		for (let n = 0; n < N; n++) expect(fresh.shapes.get(`s${n}`)).toBe(n);
	});

	it('stores every room and closes sockets with 1001 on SIGTERM, then exits 0', async () => {
		const server = await serverProcess();
		const writer = await client(server.wsUrl, 'term');
		const raw = await openRaw(server.wsUrl, 'term');
		writer.shapes.set('kept', 'yes');
		// The raw socket got the server's sync step 1 and then the relayed update.
		await waitFor(() => raw.frames.length >= 2, 'the update to reach the raw socket');
		server.child.kill('SIGTERM');
		expect((await raw.closed).code).toBe(1001);
		expect((await server.exited).code).toBe(0);
		writer.destroy();
		expect(server.lines.some((l) => l.includes('"stopped"'))).toBe(true);

		const again = await serverProcess({ dataDir: server.dataDir });
		const fresh = await client(again.wsUrl, 'term');
		expect(fresh.shapes.get('kept')).toBe('yes');
	});
});
