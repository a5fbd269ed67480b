/** A process's own CPU time and resident memory, read from /proc (Linux). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Node flags for a server child whose heap the bench may collect (SIGUSR2 → gc(), see baselines/gc-on-signal.ts). */
export const GC_ON_SIGNAL_ARGS = ['--expose-gc', '--import', path.resolve(import.meta.dirname, '../baselines/gc-on-signal.ts')];

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** User + system CPU time the process used so far, in ms (10 ms resolution). */
export function cpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the ")" that closes the command name; utime and stime are fields 14 and 15 of the whole line.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
	if (!match) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(match[1]) * 1024;
}

/**
 * Median of `samples` RSS readings `intervalMs` apart: one reading catches GC mid-flight. With `gcSignal`
 * (a child started with GC_ON_SIGNAL_ARGS), each reading follows a full GC in the child.
 */
export async function settledRss(pid: number, samples = 5, intervalMs = 200, gcSignal = false): Promise<number> {
	const readings: number[] = [];
	for (let i = 0; i < samples; i++) {
		if (gcSignal) process.kill(pid, 'SIGUSR2');
		if (i > 0 || gcSignal) await new Promise((resolve) => setTimeout(resolve, intervalMs));
		readings.push(rssBytes(pid));
	}
	readings.sort((a, b) => a - b);
	return readings[Math.floor(readings.length / 2)]!;
}

/** Monotonic clock in ms, shared by every process on the machine (CLOCK_MONOTONIC): cross-process latencies. */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time all processes on the machine spent busy (not idle or waiting on I/O), in ms, from /proc/stat. */
export function machineBusyMs(): number {
	const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
	const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
	return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / USER_HZ;
}

/** A table note with the machine's load average now: other work on the machine skews latency (not CPU per update). */
export function loadNote(when: string): string {
	return `${when}: load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores (other work on the machine skews latency, not CPU per update).`;
}
