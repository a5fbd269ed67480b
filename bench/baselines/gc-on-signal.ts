/** Preload for memory readings (with --expose-gc): SIGUSR2 runs a full GC, so RSS deltas are not garbage that is yet to be collected. */
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
