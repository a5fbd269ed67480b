// `npm run links -- <board>`: an operator gets a board's links from DATA_DIR, with the server running or not, and they open the board.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { tempDataDir } from '../helpers/test-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

let server: ServerProcess | null = null;
afterEach(async () => {
	server?.child.kill('SIGTERM');
	await server?.exited;
	server = null;
});

async function links(board: string, env: Record<string, string>): Promise<{ edit: string; view: string }> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/links.ts'), board], {
		cwd: ROOT,
		env: { ...process.env, ...env }
	});
	const [, edit] = /^edit: (\S+)$/m.exec(stdout)!;
	const [, view] = /^view: (\S+)$/m.exec(stdout)!;
	return { edit: edit!, view: view! };
}

const token = (link: string) => new URL(link).hash.slice('#t='.length);

describe('npm run links', () => {
	it('claims an open board through the running server, prints links that work, and prints the same ones once it stopped', async () => {
		const dataDir = tempDataDir();
		server = await startServerProcess({ dataDir });
		const env = { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(server.port), ORIGIN: 'https://board.example.com' };
		const printed = await links('ops', env);
		expect(printed.edit).toMatch(/^https:\/\/board\.example\.com\/b\/ops#t=e[A-Za-z0-9_-]{22}$/);
		// Claimed now: the running server needs a link, and takes the printed ones.
		expect((await fetch(`${server.url}/api/boards/ops/access`)).status).toBe(403);
		const access = await fetch(`${server.url}/api/boards/ops/access`, { headers: { authorization: `Bearer ${token(printed.edit)}` } });
		expect(await access.json()).toMatchObject({ access: 'edit', claimed: true });
		const viewer = await fetch(`${server.url}/api/boards/ops/access`, { headers: { authorization: `Bearer ${token(printed.view)}` } });
		expect(await viewer.json()).toMatchObject({ access: 'view' });

		server.child.kill('SIGTERM');
		await server.exited;
		server = null;
		expect(await links('ops', env)).toEqual(printed);
	});
});
