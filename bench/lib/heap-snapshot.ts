/** Takes V8 heap snapshots of a server child (`--heapsnapshot-signal`) and compares them by constructor. */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchServer } from './servers.ts';

const WRITE_TIMEOUT_MS = 60_000;

/** The Node flags a server needs for `takeHeapSnapshot`; snapshots go to `dir`. */
export const heapSnapshotArgs = (dir: string) => ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];

/** Signals the server to write a snapshot into `dir` (GC runs first) and resolves with its path once complete. */
export async function takeHeapSnapshot(server: BenchServer, dir: string): Promise<string> {
	const before = new Set(fs.readdirSync(dir));
	server.child.kill('SIGUSR2');
	const deadline = Date.now() + WRITE_TIMEOUT_MS;
	for (;;) {
		const fresh = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
		if (fresh) {
			const file = path.join(dir, fresh);
			// Complete once it parses: the file is written in one go but not atomically.
			try {
				JSON.parse(fs.readFileSync(file, 'utf8'));
				return file;
			} catch {
				// still being written
			}
		}
		if (Date.now() > deadline) throw new Error(`no heap snapshot from ${server.label} within ${WRITE_TIMEOUT_MS} ms`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

interface Snapshot {
	snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
	nodes: number[];
	strings: string[];
}

/** Self size and count per "type:name" (constructor name for objects). */
export function sizesByConstructor(file: string): Map<string, { bytes: number; count: number }> {
	const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
	const fields = data.snapshot.meta.node_fields;
	const types = data.snapshot.meta.node_types[0];
	const stride = fields.length;
	const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
	const sizes = new Map<string, { bytes: number; count: number }>();
	for (let i = 0; i < data.nodes.length; i += stride) {
		const type = types[data.nodes[i + typeAt]!]!;
		const name = type === 'object' || type === 'closure' || type === 'native' ? data.strings[data.nodes[i + nameAt]!]! : '';
		const key = name ? `${type}: ${name.slice(0, 60)}` : `(${type})`;
		const entry = sizes.get(key) ?? { bytes: 0, count: 0 };
		entry.bytes += data.nodes[i + sizeAt]!;
		entry.count++;
		sizes.set(key, entry);
	}
	return sizes;
}

/** Growth from `before` to `after`, divided by `per`, largest first. */
export function growthPer(before: Map<string, { bytes: number; count: number }>, after: Map<string, { bytes: number; count: number }>, per: number, top: number) {
	const rows: Array<{ name: string; bytes: number; count: number }> = [];
	for (const [name, a] of after) {
		const b = before.get(name) ?? { bytes: 0, count: 0 };
		rows.push({ name, bytes: (a.bytes - b.bytes) / per, count: (a.count - b.count) / per });
	}
	const total = rows.reduce((sum, r) => sum + r.bytes, 0);
	return { total, rows: rows.sort((x, y) => y.bytes - x.bytes).slice(0, top) };
}
