/** `npm run bench`: server figures as tables, each against a baseline measured in the same run; JSON copies in bench/results/. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { SqliteStorage } from '../server/storage/sqlite.ts';
import { startServerProcess } from '../tests/helpers/server-process.ts';
import { tempDataDir } from '../tests/helpers/test-server.ts';
import { waitFor } from '../tests/helpers/wait.ts';

const quick = process.argv.includes('--quick');
const ROOT = path.resolve(import.meta.dirname, '..');
type Row = Record<string, string | number>;
const results: Record<string, Row[]> = {};

function table(title: string, rows: Row[]): void {
	results[title] = rows;
	console.log(`\n## ${title}`);
	console.table(rows);
}

/** Clock ticks of a process (user + system), from /proc: the server's own CPU cost. */
function cpuMs(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ = 100
}

async function startRawRelay(): Promise<{ child: ChildProcess; wsUrl: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/baselines/raw-relay.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<number>((resolve) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			const match = /"port":(\d+)/.exec(chunk.toString());
			if (match) resolve(Number(match[1]));
		});
	});
	return { child, wsUrl: `ws://127.0.0.1:${port}/ws` };
}

/** One writer sends `count` small shape updates as fast as it can; `readers` clients wait for all of them. */
async function relayRun(wsUrl: string, pid: number, readers: number, count: number) {
	const room = `bench${Math.random().toString(36).slice(2)}`;
	const make = () => {
		const doc = new Y.Doc();
		const provider = new WebsocketProvider(wsUrl, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true });
		provider.awareness.setLocalState(null);
		return { doc, provider };
	};
	const peers = Array.from({ length: readers + 1 }, make);
	await waitFor(() => peers.every((p) => p.provider.wsconnected), 'clients to connect');
	const [writer, ...rest] = peers as [(typeof peers)[0], ...typeof peers];
	const shapes = writer.doc.getMap('shapes');
	const cpuBefore = cpuMs(pid);
	const started = performance.now();
	for (let i = 0; i < count; i++) {
		const shape = new Y.Map<unknown>();
		shape.set('x', i);
		shapes.set(`s${i}`, shape);
		if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve)); // let the socket drain
	}
	await waitFor(() => rest.every((p) => p.doc.getMap('shapes').size === count), 'every reader to receive every update', 120_000, 2);
	const seconds = (performance.now() - started) / 1000;
	const serverCpu = cpuMs(pid) - cpuBefore;
	for (const p of peers) p.provider.destroy();
	return { updatesPerSecond: Math.round(count / seconds), cpuMsPerUpdate: serverCpu / count };
}

async function relayScenario(): Promise<void> {
	const count = quick ? 2000 : 10000;
	const readers = 5;
	const ours = await startServerProcess();
	const raw = await startRawRelay();
	const rows: Row[] = [];
	try {
		// Warm both up once, then measure.
		await relayRun(ours.wsUrl, ours.child.pid!, readers, 200);
		await relayRun(raw.wsUrl, raw.child.pid!, readers, 200);
		const base = await relayRun(raw.wsUrl, raw.child.pid!, readers, count);
		const mine = await relayRun(ours.wsUrl, ours.child.pid!, readers, count);
		rows.push(
			{ server: 'raw ws relay (baseline)', 'updates/s': base.updatesPerSecond, 'server CPU ms/update': base.cpuMsPerUpdate.toFixed(3), 'ratio CPU': '1.00' },
			{
				server: 'boardwalk (stored before relay)',
				'updates/s': mine.updatesPerSecond,
				'server CPU ms/update': mine.cpuMsPerUpdate.toFixed(3),
				'ratio CPU': (mine.cpuMsPerUpdate / base.cpuMsPerUpdate).toFixed(2)
			}
		);
	} finally {
		ours.child.kill('SIGTERM');
		raw.child.kill('SIGTERM');
	}
	table(`one room: 1 writer, ${readers} readers, ${count} updates`, rows);
}

async function appendScenario(): Promise<void> {
	const count = quick ? 5000 : 20000;
	const storage = new SqliteStorage(path.join(tempDataDir(), 'bench.sqlite'));
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (let i = 0; i < count; i++) doc.getMap('shapes').set(`s${i}`, i);
	const rows: Row[] = [];
	let single = 0;
	for (const batch of [1, 10, 100]) {
		const started = performance.now();
		for (let i = 0; i < count; i += batch) await storage.append(`b${batch}`, updates.slice(i, i + batch));
		const perSecond = Math.round(count / ((performance.now() - started) / 1000));
		if (batch === 1) single = perSecond;
		rows.push({ 'updates per transaction': batch, 'appends/s': perSecond, 'ratio vs 1 per transaction': (perSecond / single).toFixed(2) });
	}
	await storage.close();
	table(`SQLite log appends (${count} updates, WAL, synchronous=NORMAL)`, rows);
}

await appendScenario();
await relayScenario();
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const file = path.join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ quick, node: process.version, results }, null, 2));
console.log(`\nwrote ${path.relative(ROOT, file)}`);
process.exit(0);
