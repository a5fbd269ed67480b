/**
 * Preload for memory readings (with --expose-gc): SIGUSR2 runs a full GC, so RSS deltas are not garbage
 * that is yet to be collected. With BENCH_HEAP_DIR set, it also writes the heap's figures after that GC
 * to <dir>/<pid>.json, since RSS alone cannot tell live objects from free space V8 keeps.
 */
import fs from 'node:fs';
import path from 'node:path';

const heapDir = process.env.BENCH_HEAP_DIR;

process.on('SIGUSR2', () => {
	(globalThis as { gc?: () => void }).gc?.();
	if (!heapDir) return;
	const { heapUsed, heapTotal } = process.memoryUsage();
	fs.writeFileSync(path.join(heapDir, `${process.pid}.json`), JSON.stringify({ heapUsed, heapTotal }));
});
