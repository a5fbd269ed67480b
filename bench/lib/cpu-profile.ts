/** Reads a V8 .cpuprofile (from `node --cpu-prof`) and sums self time per function and per package. */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
	/** µs on the monotonic clock (the one process.hrtime reads, so the bench can pick a window). */
	startTime: number;
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export interface SelfTime {
	name: string;
	ms: number;
	/** Share of the time the process was not idle. */
	share: number;
}

const IDLE = '(idle)';

/** `file:///…/node_modules/yjs/dist/yjs.mjs` → `yjs/dist/yjs.mjs`; repo files relative to the repo. */
function shortUrl(url: string, root: string): string {
	const plain = url.replace(/^file:\/\//, '');
	const modules = plain.lastIndexOf('/node_modules/');
	if (modules >= 0) return plain.slice(modules + '/node_modules/'.length);
	return plain.startsWith(root) ? path.relative(root, plain) : plain;
}

/** The package (or our own top folder) a frame belongs to: where the time goes, coarsely. */
function area(url: string, name: string, root: string): string {
	if (!url) return name.startsWith('(') ? name : '(native)';
	if (url.startsWith('node:')) return 'node internals';
	const short = shortUrl(url, root);
	if (short === url.replace(/^file:\/\//, '')) return short.split('/').slice(0, 3).join('/');
	const parts = short.split('/');
	return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The profile of `pid`'s main thread in `dir` (tsx adds a loader thread, which writes its own file). */
export function findProfile(dir: string, pid: number): string {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.0.`));
	if (files.length === 0) throw new Error(`no CPU profile of pid ${pid} in ${dir}`);
	return path.join(dir, files[0]!);
}

/** Monotonic time window in µs (process.hrtime.bigint() / 1000n): only samples inside it count. */
export interface Window {
	fromUs: number;
	toUs: number;
}

export function summarizeProfile(file: string, root: string, top: number, window?: Window): { functions: SelfTime[]; areas: SelfTime[]; busyMs: number } {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const functions = new Map<string, number>();
	const areas = new Map<string, number>();
	let busyUs = 0;
	let at = profile.startTime;
	profile.samples.forEach((id, i) => {
		const us = profile.timeDeltas[i] ?? 0;
		at += us;
		if (window && (at < window.fromUs || at > window.toUs)) return;
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		const name = functionName || '(anonymous)';
		if (name === IDLE) return;
		busyUs += us;
		// Line numbers of .ts files are those of tsx's output, not of the source: leave them out.
		const file = url ? shortUrl(url, root) : '';
		const key = !url ? name : file.endsWith('.ts') ? `${name} ${file}` : `${name} ${file}:${lineNumber + 1}`;
		functions.set(key, (functions.get(key) ?? 0) + us);
		const where = area(url, name, root);
		areas.set(where, (areas.get(where) ?? 0) + us);
	});
	const ranked = (m: Map<string, number>, n: number): SelfTime[] =>
		[...m.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([name, us]) => ({ name, ms: us / 1000, share: us / busyUs }));
	return { functions: ranked(functions, top), areas: ranked(areas, 12), busyMs: busyUs / 1000 };
}
