/** Bench-only entry: our server exactly as server/main.ts builds it, but over the in-memory store instead of SQLite. */
import { startBoardwalk } from '../../server/boardwalk.ts';
import { loadConfig } from '../../server/config.ts';

const boardwalk = await startBoardwalk({ ...loadConfig(), storage: { engine: 'memory' } });

const stop = async (): Promise<void> => {
	await boardwalk.stop();
	process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
