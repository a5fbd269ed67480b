/** `npm run links -- <board>`: prints a board's edit and view links from DATA_DIR or STORAGE_URL, claiming the board if nobody has: an operator's way back in. */
import fs from 'node:fs';
import path from 'node:path';
import { isValidRoomName } from '../../src/lib/shared/wire.ts';
import { linkToken } from '../auth/link-tokens.ts';
import { SECRET_FILE_NAME, loadSecret } from '../auth/secret.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { announceAccessChanged } from '../cluster/node.ts';
import { accessRecordAt } from '../storage/postgres.ts';
import { openSqliteStorage, readStoredAccess } from '../storage/sqlite.ts';
import { BusUnreachableError } from '../cluster/redis-bus.ts';
import { StoreInUseError, StoreUnreachableError, type AccessRecord } from '../storage/types.ts';

class UsageError extends Error {}

/**
 * The board's record, claimed if needed. With no server running this process takes DATA_DIR's lock
 * and claims it itself. With one running (it holds the lock, and keeps records in memory), the record
 * is read beside it, and an unclaimed board is claimed through the running server's API so that its
 * memory and the file agree.
 */
async function accessRecord(config: Config, dataDir: string, board: string): Promise<{ record: AccessRecord; secret: Buffer }> {
	let storage;
	try {
		storage = openSqliteStorage(dataDir);
	} catch (error) {
		if (!(error instanceof StoreInUseError)) throw error;
		return viaRunningServer(config, dataDir, board);
	}
	try {
		const secret = loadSecret(config.auth.secret, dataDir);
		await storage.claimAccess(board);
		return { record: (await storage.loadAccess(board))!, secret };
	} finally {
		await storage.close();
	}
}

async function viaRunningServer(config: Config, dataDir: string, board: string): Promise<{ record: AccessRecord; secret: Buffer }> {
	// The running server made or read the secret; making another here would print links it refuses.
	if (config.auth.secret === null && !fs.existsSync(path.join(dataDir, SECRET_FILE_NAME))) {
		throw new UsageError(`the running server has no ${SECRET_FILE_NAME} in ${dataDir}: it uses SECRET, so run this with the same SECRET`);
	}
	const secret = loadSecret(config.auth.secret, dataDir);
	let record = readStoredAccess(dataDir, board);
	if (record === null) {
		const answered = await claimThroughServer(config, board);
		if (answered !== null) throw new UsageError(`DATA_DIR is held by a running server, which did not answer at ${answered}`);
		record = readStoredAccess(dataDir, board);
		if (record === null) throw new UsageError('the running server claimed the board, but its record cannot be read from DATA_DIR');
	}
	return { record, secret };
}

/** Claims the board through the server at HOST and PORT, so that its memory and storage agree; null when done, else why not. */
async function claimThroughServer(config: Config, board: string): Promise<string | null> {
	const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/api/boards/${board}/claim`;
	let response: Response;
	try {
		response = await fetch(url, { method: 'POST' });
	} catch (error) {
		return `${url} (${String(error)})`;
	}
	if (response.status !== 201 && response.status !== 409) throw new UsageError(`the running server answered ${response.status} to claiming the board`);
	return null;
}

/**
 * On PostgreSQL the record is read and claimed beside the running servers (one atomic statement); a
 * server at HOST and PORT claims it itself when it answers, and otherwise, on a cluster, the bus tells
 * every process to forget what it cached about the board.
 */
async function postgresRecord(config: Config, url: string, dataDir: string, board: string): Promise<{ record: AccessRecord; secret: Buffer }> {
	const secret = loadSecret(config.auth.secret, dataDir);
	let { record } = await accessRecordAt(url, board, false);
	if (record === null) {
		const viaServer = (await claimThroughServer(config, board)) === null;
		const claimed = viaServer ? await accessRecordAt(url, board, false) : await accessRecordAt(url, board, true);
		if (!viaServer && claimed.claimed && config.cluster) await announceAccessChanged(config.cluster.busUrl, board);
		record = claimed.record;
		if (record === null) throw new UsageError('the board was claimed, but its record cannot be read from STORAGE_URL');
	}
	return { record, secret };
}

async function main(): Promise<void> {
	const board = process.argv[2];
	if (board === undefined || !isValidRoomName(board)) throw new UsageError('usage: npm run links -- <board>   (1 to 64 characters from A-Z, a-z, 0-9, _ and -)');
	const config = loadConfig();
	if (config.auth.mode === 'jwt') throw new UsageError('links are turned off on this server (AUTH=jwt): the host application signs tokens');
	const { storage } = config;
	if (storage.engine === 'memory') throw new UsageError('a server without storage keeps no links');
	const { record, secret } =
		storage.engine === 'postgres' ? await postgresRecord(config, storage.url, storage.dataDir, board) : await accessRecord(config, storage.dataDir, board);
	const origin = config.auth.publicOrigin ?? config.origin;
	process.stdout.write(
		`edit: ${origin}/b/${board}#t=${linkToken(secret, board, 'edit', record.editGeneration)}\n` +
			`view: ${origin}/b/${board}#t=${linkToken(secret, board, 'view', record.viewGeneration)}\n`
	);
}

main().catch((error: unknown) => {
	if (error instanceof UsageError || error instanceof ConfigError || error instanceof StoreUnreachableError || error instanceof BusUnreachableError) {
		process.stderr.write(`boardwalk links: ${error.message}\n`);
		process.exit(2);
	}
	process.stderr.write(`boardwalk links: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
