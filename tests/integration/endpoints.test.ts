// HTTP surface: room-name validation before the upgrade, plain GETs on the socket path, health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgradeStatus } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.stop());

const upgradeStatusOf = (path: string) => upgradeStatus(`ws://127.0.0.1:${server.port}${path}`);

describe('room names', () => {
	it.each(['a', 'Board_1-x', 'A'.repeat(64)])('accepts %s', async (name) => {
		expect(await upgradeStatusOf(`/ws/${name}`)).toBe(101);
	});

	it.each([
		['an empty name', '/ws/'],
		['a name over 64 characters', `/ws/${'a'.repeat(65)}`],
		['a space', '/ws/bad%20name'],
		['a slash', '/ws/a/b'],
		['a dot', '/ws/a.b'],
		['unicode', '/ws/%C3%A9t%C3%A9'],
		['a broken escape', '/ws/%E0%A4%A']
	])('refuses %s with 400 before upgrading', async (_what, path) => {
		expect(await upgradeStatusOf(path)).toBe(400);
	});

	it('explains itself to a plain GET of a room path', async () => {
		const response = await fetch(`${server.url}/ws/some-room`);
		expect(response.status).toBe(426);
	});
});
