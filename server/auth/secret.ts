/** The server secret that link tokens are derived from: SECRET, or 32 random bytes kept in DATA_DIR/boardwalk.secret. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SECRET_FILE_NAME = 'boardwalk.secret';
const SECRET_BYTES = 32;

/**
 * The secret for link tokens. `configured` (SECRET) wins; otherwise the file in `dataDir` is read, or
 * created on first start with 32 random bytes, readable by the server's user only (0600). Changing
 * SECRET or deleting the file makes every link invalid at once (README, "Sharing and access").
 * `dataDir` null (a store in memory) gets a secret for this process only.
 */
export function loadSecret(configured: string | null, dataDir: string | null): Buffer {
	if (configured !== null) return Buffer.from(configured, 'utf8');
	if (dataDir === null) return randomBytes(SECRET_BYTES);
	const file = path.join(dataDir, SECRET_FILE_NAME);
	const existing = readSecretFile(file);
	if (existing) return existing;
	fs.mkdirSync(dataDir, { recursive: true });
	const secret = randomBytes(SECRET_BYTES);
	try {
		// `wx`: never overwrite a secret another process wrote meanwhile; the mode applies as the file is made.
		fs.writeFileSync(file, `${secret.toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		return readSecretFile(file) ?? secret;
	}
	return secret;
}

function readSecretFile(file: string): Buffer | null {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8').trim();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
	const secret = Buffer.from(text, 'base64url');
	// A file cut short (a full disk) would make a weak secret: refuse it rather than sign with it.
	if (secret.byteLength < SECRET_BYTES) {
		throw new Error(`${file} does not hold a ${SECRET_BYTES}-byte secret: delete it to have a new one made (every link changes) or restore it from a backup`);
	}
	return secret;
}
