// Three Boardwalk processes on one PostgreSQL and one Redis, stock y-websocket clients spread over them: every rule of docs/cluster.md.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { connectClient, openRaw, type TestClient } from '../helpers/clients.ts';
import { CLUSTER_SECRET, startCluster, type TestCluster } from '../helpers/cluster.ts';
import { storedShapes as storedIn } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { encodeAwareness, encodeAwarenessUpdate, encodeUpdate } from '../../server/frames.ts';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import type { ServerProcess } from '../helpers/server-process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

let cluster: TestCluster;
const clients: TestClient[] = [];

beforeAll(async () => {
	// Short intervals so that the bounds the tests wait for are seconds, not the defaults' tens of seconds.
	cluster = await startCluster(3, { CLUSTER_CATCH_UP_MS: '200', CLUSTER_PROCESS_TIMEOUT_MS: '1500', ROOM_UNLOAD_DELAY_MS: '60000' });
}, 120_000);
afterEach(() => {
	for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
	await cluster?.stop();
});

async function client(process: number, board: string, awareness = false): Promise<TestClient> {
	const c = await connectClient(cluster.processes[process]!.wsUrl, board, { awareness });
	clients.push(c);
	return c;
}

/** A process of its own for a test that kills or stops it (the three shared ones stay up). */
async function extraProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
	return cluster.start(env);
}

const alive = (p: ServerProcess) => p.child.exitCode === null && p.child.signalCode === null;

/** Points a client's provider at another process, as a load balancer would on its next connect. */
function moveTo(c: TestClient, p: ServerProcess): void {
	c.provider.serverUrl = p.wsUrl;
}

/** What the cluster's database holds for `board`, read as an operator's tool would, beside the processes. */
async function storedShapes(board: string): Promise<Record<string, unknown>> {
	const storage = await PostgresStorage.open(cluster.postgres.url, { cluster: true });
	try {
		return await storedIn(storage, board);
	} finally {
		await storage.close();
	}
}

describe('cluster', () => {
	it('relays strokes and presence between clients on different processes', async () => {
		const [a, b, c] = await Promise.all([client(0, 'spread', true), client(1, 'spread', true), client(2, 'spread', true)]);
		a.shapes.set('from-a', 1);
		b.shapes.set('from-b', 2);
		c.shapes.set('from-c', 3);
		for (const x of [a, b, c]) await waitFor(() => x.shapes.size === 3, 'every client to see the three strokes');
		a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
		const seesAda = (x: TestClient) => [...x.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Ada');
		await waitFor(() => seesAda(b) && seesAda(c), 'the clients on the other processes to see Ada');
		expect(await storedShapes('spread')).toEqual({ 'from-a': 1, 'from-b': 2, 'from-c': 3 });
	});

	it('delivers an update that was stored but never published, within the catch-up bound', async () => {
		const [a, b] = await Promise.all([client(0, 'unpublished'), client(1, 'unpublished')]);
		a.shapes.set('first', 1);
		await waitFor(() => b.shapes.size === 1, 'b to see the first stroke');
		// A writer that dies between "stored" and "published": the update is in the log, on no bus.
		const writer = await PostgresStorage.open(cluster.postgres.url, { cluster: true });
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc));
		const before = Y.encodeStateVector(doc);
		doc.getMap('shapes').set('orphan', 'stored');
		await writer.append('unpublished', [Y.encodeStateAsUpdate(doc, before)]);
		await writer.close();
		await waitFor(() => a.shapes.get('orphan') === 'stored' && b.shapes.get('orphan') === 'stored', 'both clients to get the unpublished update from storage');
	});

	it('delivers an update whose process was killed between storing and publishing it', async () => {
		const observer = await client(0, 'died-before-publish');
		const doomed = await extraProcess({ BOARDWALK_FAILPOINT: 'die-before-publish' });
		const writer = await connectClient(doomed.wsUrl, 'died-before-publish');
		clients.push(writer);
		writer.shapes.set('last-words', 'stored');
		expect((await doomed.exited).signal).toBe('SIGKILL');
		expect(await storedShapes('died-before-publish')).toEqual({ 'last-words': 'stored' });
		await waitFor(() => observer.shapes.get('last-words') === 'stored', 'the observer on another process to get it from storage');
	});

	it('loses nothing any client saw when a process is killed with -9 mid-stream; its clients converge on another process', async () => {
		const doomed = await extraProcess({ COMPACT_AFTER_UPDATES: '7' });
		const writer = await connectClient(doomed.wsUrl, 'killed');
		clients.push(writer);
		const observer = await client(0, 'killed');
		const N = 300;
		for (let n = 0; n < N; n++) writer.shapes.set(`s${n}`, n);
		await waitFor(() => observer.shapes.size >= N / 3, 'the observer on another process to see a third of the strokes');
		doomed.child.kill('SIGKILL');
		expect((await doomed.exited).signal).toBe('SIGKILL');
		const seen = Object.keys(observer.shapes.toJSON());
		const stored = await storedShapes('killed');
		for (const key of seen) expect(stored[key], `${key}, seen by the observer, is stored`).toBeDefined();
		// Its client reconnects elsewhere (here: to process 1) and brings what was not stored yet.
		moveTo(writer, cluster.processes[1]!);
		await waitFor(() => observer.shapes.size === N && writer.provider.wsconnected, 'the writer, moved to another process, and the observer to converge');
		await waitFor(async () => Object.keys(await storedShapes('killed')).length === N, 'every stroke to be stored');
	});

	it('drops the presence of a killed process within its timeout, and refuses an id that a client of another process holds', async () => {
		const doomed = await extraProcess();
		const ghost = await connectClient(doomed.wsUrl, 'presence', { awareness: true });
		clients.push(ghost);
		ghost.provider.awareness.setLocalStateField('user', { name: 'Ghost' });
		const observer = await client(2, 'presence', true);
		const ghostId = ghost.doc.clientID;
		const nameOf = (id: number) => (observer.provider.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;
		await waitFor(() => nameOf(ghostId) === 'Ghost', 'the observer to see Ghost');

		// A socket on a third process claims Ghost's id, then writes a stroke: the stroke crosses the bus
		// after anything that socket's presence would have sent, so once it arrived a spoof would have too.
		const spoofer = await openRaw(cluster.processes[1]!.wsUrl, 'presence');
		const spoof = { clientId: ghostId, clock: 1_000, stateJson: JSON.stringify({ user: { name: 'Mallory' } }) };
		spoofer.socket.send(encodeAwareness(encodeAwarenessUpdate([spoof])));
		const marker = new Y.Doc();
		marker.getMap('shapes').set('marker', 1);
		spoofer.socket.send(encodeUpdate(Y.encodeStateAsUpdate(marker)));
		await waitFor(() => observer.doc.getMap('shapes').get('marker') === 1, 'the spoofer\'s stroke to arrive');
		expect(nameOf(ghostId)).toBe('Ghost');
		spoofer.socket.terminate();

		doomed.child.kill('SIGKILL');
		await doomed.exited;
		// Well before the client's own 30 s timeout: the server dropped it (CLUSTER_PROCESS_TIMEOUT_MS is 1.5 s here).
		await waitFor(() => !observer.provider.awareness.getStates().has(ghostId), 'Ghost to disappear', 10_000);
	});

	it('lets one process compact a board at a time; a process stopped past its lease overwrites nothing when it resumes', async () => {
		const env = { COMPACT_AFTER_UPDATES: '5', COMPACT_WHEN_IDLE_MS: '3600000', CLUSTER_LEASE_MS: '1000' };
		const [first, second] = [await extraProcess(env), await extraProcess(env)];
		const db = new pg.Client({ connectionString: cluster.postgres.url });
		await db.connect();
		const lease = async () =>
			(await db.query<{ holder: string; fence: string }>("SELECT holder, fence FROM compaction_leases WHERE room = 'fenced'")).rows[0] ?? null;
		const snapshotSeq = async () => Number((await db.query<{ s: string }>("SELECT snapshot_seq AS s FROM rooms WHERE name = 'fenced'")).rows[0]?.s ?? 0);
		const holds = (p: ServerProcess, l: { holder: string } | null) => l !== null && l.holder.includes(`/${p.child.pid}/`);
		try {
			const a = await connectClient(first.wsUrl, 'fenced');
			clients.push(a);
			for (let n = 0; n < 6; n++) a.shapes.set(`a${n}`, n);
			// The second process joins only now: serving the board, it could have taken the lease first.
			await waitFor(async () => holds(first, await lease()) && (await snapshotSeq()) > 0, 'the first process to take the lease and compact');
			const b = await connectClient(second.wsUrl, 'fenced');
			clients.push(b);
			const firstFence = Number((await lease())!.fence);
			first.child.kill('SIGSTOP');
			// The second process compacts once the stopped one's lease ran out (by the database's clock).
			let n = 0;
			await waitFor(
				async () => {
					b.shapes.set(`b${n++}`, n);
					return holds(second, await lease());
				},
				'the second process to take over the lease',
				20_000,
				100
			);
			await waitFor(async () => (await snapshotSeq()) > 6, 'the second process to compact');
			expect(Number((await lease())!.fence)).toBeGreaterThan(firstFence);
			const newest = await snapshotSeq();
			first.child.kill('SIGCONT');
			for (let m = 0; m < 6; m++) a.shapes.set(`late${m}`, m);
			await waitFor(() => b.shapes.size === 6 + n + 6 && a.shapes.size === 6 + n + 6, 'both processes to relay the late strokes');
			await waitFor(async () => Object.keys(await storedShapes('fenced')).length === 6 + n + 6, 'every stroke to be in storage');
			expect(await snapshotSeq()).toBeGreaterThanOrEqual(newest);
			expect(alive(first) && alive(second)).toBe(true);
		} finally {
			first.child.kill('SIGCONT');
			await db.end();
		}
	});

	it('closes a socket on another process when a link is reset', async () => {
		const origin = cluster.processes[0]!;
		const claimed = await fetch(`${origin.url}/api/boards/revoked/claim`, { method: 'POST' });
		expect(claimed.status).toBe(201);
		const { token } = (await claimed.json()) as { token: string };
		const elsewhere = await openRaw(cluster.processes[2]!.wsUrl, `revoked?token=${token}`);
		const reset = await fetch(`${origin.url}/api/boards/revoked/links/reset`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ right: 'edit' })
		});
		expect(reset.status).toBe(200);
		expect(await elsewhere.closed).toEqual({ code: 4001, reason: 'link reset' });
	});

	it('npm run links claims a board on the shared database, and every process then asks for its links', async () => {
		const open = await openRaw(cluster.processes[1]!.wsUrl, 'ops');
		const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/links.ts'), 'ops'], {
			cwd: ROOT,
			// No server answers on this port: the tool claims in the database and tells the processes on the bus.
			env: { ...process.env, STORAGE_URL: cluster.postgres.url, BUS_URL: cluster.redis.url, SECRET: CLUSTER_SECRET, PORT: '9', HOST: '127.0.0.1' }
		});
		expect(await open.closed).toEqual({ code: 4001, reason: 'link required' });
		const token = /^edit: \S+#t=(\S+)$/m.exec(stdout)![1]!;
		const editor = await connectClient(cluster.processes[2]!.wsUrl, 'ops', { params: { token } });
		clients.push(editor);
		expect(editor.provider.synced).toBe(true);
	});

	it('keeps serving and storing on each process while the bus is down, and relays across again when it returns', async () => {
		const [a, b] = await Promise.all([client(0, 'bus-down', true), client(1, 'bus-down', true)]);
		const busUp = async (p: ServerProcess) => (await (await fetch(`${p.url}/metrics`)).text()).includes('boardwalk_bus_up 1');
		expect(await busUp(cluster.processes[0]!)).toBe(true);
		await cluster.redis.down();
		a.shapes.set('while-down-a', 1);
		b.shapes.set('while-down-b', 2);
		// Cross-process delivery goes on from storage, at the catch-up interval.
		await waitFor(() => a.shapes.size === 2 && b.shapes.size === 2, 'both strokes to reach both clients through storage');
		await waitFor(async () => !(await busUp(cluster.processes[0]!)), '/metrics to report the bus down');
		expect(await storedShapes('bus-down')).toEqual({ 'while-down-a': 1, 'while-down-b': 2 });
		await cluster.redis.up();
		await waitFor(
			() => cluster.processes.slice(0, 3).every((p) => p.lines.some((line) => line.includes('bus restored'))),
			'every process to reconnect to the bus'
		);
		expect(await busUp(cluster.processes[0]!)).toBe(true);
		a.provider.awareness.setLocalStateField('user', { name: 'Back' });
		await waitFor(
			() => [...b.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Back'),
			'presence to cross again'
		);
		expect(cluster.processes.slice(0, 3).every(alive)).toBe(true);
	});

	it('acknowledges nothing while the database is down, crashes nothing, and resyncs every client when it returns', async () => {
		const [a, b] = await Promise.all([client(0, 'db-down'), client(1, 'db-down')]);
		a.shapes.set('before', 1);
		await waitFor(() => b.shapes.size === 1, 'b to see the first stroke');
		await cluster.postgres.down();
		a.shapes.set('during', 2);
		// Not stored, so relayed to nobody: the room closes its sockets (1013) and the clients keep their edits.
		await waitFor(() => !a.provider.wsconnected || !a.provider.synced, 'the writer to lose its room');
		expect(b.shapes.has('during')).toBe(false);
		await cluster.postgres.up();
		await waitFor(() => b.shapes.get('during') === 2, 'the edit made during the outage to reach b once the database is back', 30_000);
		expect(await storedShapes('db-down')).toEqual({ before: 1, during: 2 });
		expect(cluster.processes.slice(0, 3).every(alive)).toBe(true);
	});
});
