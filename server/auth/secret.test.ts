// The server secret: SECRET wins; otherwise made once in DATA_DIR, readable by its owner only, and read again on every start.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../../tests/helpers/test-server.ts';
import { SECRET_FILE_NAME, loadSecret } from './secret.ts';

describe('loadSecret', () => {
	it('makes 32 random bytes in DATA_DIR/boardwalk.secret with mode 0600, and reads the same on the next start', () => {
		const dir = tempDataDir();
		const first = loadSecret(null, dir);
		expect(first.byteLength).toBe(32);
		const file = path.join(dir, SECRET_FILE_NAME);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(loadSecret(null, dir)).toEqual(first);
		expect(loadSecret(null, tempDataDir())).not.toEqual(first);
	});

	it('uses SECRET when set, and writes no file', () => {
		const dir = tempDataDir();
		expect(loadSecret('s'.repeat(32), dir).toString()).toBe('s'.repeat(32));
		expect(fs.existsSync(path.join(dir, SECRET_FILE_NAME))).toBe(false);
	});

	it('refuses a file cut short rather than signing with a weak secret', () => {
		const dir = tempDataDir();
		fs.writeFileSync(path.join(dir, SECRET_FILE_NAME), 'abc\n');
		expect(() => loadSecret(null, dir)).toThrow(/does not hold a 32-byte secret/);
	});
});
