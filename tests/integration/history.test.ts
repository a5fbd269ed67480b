// Version history against a real server and stock y-websocket clients, timed by a clock the test moves (no sleeps):
// versions by the policy, thinning, named versions, a version before a large deletion, rights, and restore converging.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { VersionContent, VersionInfo } from '../../src/lib/shared/history.ts';
import { SHAPE_DEFAULTS, keysBetween } from '../../src/lib/shared/model/index.ts';
import { OpenedClients, type TestClient } from '../helpers/clients.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startTestServer, storedShapes, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

let server: TestServer;
const clients = new OpenedClients(() => server.wsUrl);
afterEach(async () => {
	clients.closeAll();
	await server?.stop();
});

async function start(clock: ManualClock, env: Record<string, string> = {}): Promise<void> {
	server = await startTestServer({ historyClock: clock, env, roomUnloadDelayMs: 60_000 });
}

/** A rect's fields as a client stores them (a Y.Map per shape). */
function rectMap(index: string, x: number): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries({ ...SHAPE_DEFAULTS.rect, type: 'rect', index, x })) map.set(key, value);
	return map;
}

function addRects(client: TestClient, ids: string[], x = 0): void {
	const indices = keysBetween(null, null, ids.length);
	client.doc.transact(() => {
		ids.forEach((id, i) => client.shapes.set(id, rectMap(indices[i]!, x)));
	});
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Waits until the server stored every shape id the client holds (and none it deleted). */
async function stored(board: string, client: TestClient): Promise<void> {
	const want = JSON.stringify(client.shapes.toJSON());
	await waitFor(async () => JSON.stringify(await storedShapes(server.storage, board)) === want, 'the client\'s edits to be stored');
}

const headers = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function versions(board: string, token?: string): Promise<VersionInfo[]> {
	const response = await fetch(`${server.url}/api/boards/${board}/versions`, { headers: headers(token) });
	expect(response.status).toBe(200);
	return ((await response.json()) as { versions: VersionInfo[] }).versions;
}

async function content(board: string, id: string, token?: string): Promise<VersionContent> {
	const response = await fetch(`${server.url}/api/boards/${board}/versions/${id}`, { headers: headers(token) });
	expect(response.status).toBe(200);
	return (await response.json()) as VersionContent;
}

function post(board: string, body: unknown, token?: string): Promise<Response> {
	return fetch(`${server.url}/api/boards/${board}/versions`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers(token) } });
}

async function versionCount(board: string, n: number): Promise<VersionInfo[]> {
	let list: VersionInfo[] = [];
	await waitFor(async () => (list = await server.storage.listVersions(board)).length === n, `${n} versions of ${board}`);
	return list;
}

describe('automatic versions', () => {
	it('stores one after a minute of quiet, with who edited and what changed, and none while nothing changed', async () => {
		const clock = new ManualClock();
		await start(clock);
		const ada = await clients.client('quiet', undefined, true);
		ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#e11d48' });
		addRects(ada, ids('r', 3));
		await stored('quiet', ada);
		clock.advance(59 * SECOND);
		expect(await server.storage.listVersions('quiet')).toEqual([]);
		clock.advance(1 * SECOND);
		const [first] = await versionCount('quiet', 1);
		expect(first).toMatchObject({ kind: 'auto', name: null, shapes: 3, summary: { added: 3, deleted: 0, changed: 0 }, editors: [{ name: 'Ada', color: '#e11d48' }] });
		expect((await content('quiet', first!.id)).shapes.map((s) => s.id).sort()).toEqual(['r0', 'r1', 'r2']);

		// An update that leaves the shapes as they were: no version.
		ada.shapes.get('r0') instanceof Y.Map && (ada.shapes.get('r0') as Y.Map<unknown>).set('x', 0);
		await stored('quiet', ada);
		clock.advance(2 * MINUTE);
		await server.boardwalk.registry.recordVersion('quiet', 'named', 'flush'); // waits for the recorder's queue
		const list = await versionCount('quiet', 2);
		expect(list.map((v) => v.kind)).toEqual(['named', 'auto']);

		// A real change: the next version counts it against the newest one.
		(ada.shapes.get('r1') as Y.Map<unknown>).set('x', 50);
		ada.shapes.delete('r2');
		await stored('quiet', ada);
		clock.advance(MINUTE);
		const [third] = await versionCount('quiet', 3);
		expect(third).toMatchObject({ kind: 'auto', shapes: 2, summary: { added: 0, deleted: 1, changed: 1 } });
	});

	it('stores one every ten minutes of continuous editing, though the board is never quiet', async () => {
		const clock = new ManualClock();
		await start(clock);
		const ada = await clients.client('busy');
		for (let i = 0; i < 19; i++) {
			addRects(ada, [`s${i}`]);
			await stored('busy', ada);
			clock.advance(30 * SECOND);
		}
		// 9.5 minutes of edits every 30 s: nothing yet; the next 30 s reach ten minutes after the first edit.
		expect(await server.storage.listVersions('busy')).toEqual([]);
		addRects(ada, ['s19']);
		await stored('busy', ada);
		clock.advance(30 * SECOND);
		const [version] = await versionCount('busy', 1);
		expect(version!.shapes).toBe(20);
	});

	it('stores the last changes when the board unloads', async () => {
		const clock = new ManualClock();
		server = await startTestServer({ historyClock: clock, roomUnloadDelayMs: 10 });
		const ada = await clients.client('unload');
		addRects(ada, ids('u', 4));
		await stored('unload', ada);
		clients.closeAll();
		const [version] = await versionCount('unload', 1);
		expect(version).toMatchObject({ kind: 'auto', shapes: 4 });
	});

	it('thins automatic versions older than a day to the newest of each hour', async () => {
		const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0));
		await start(clock);
		const ada = await clients.client('thin');
		for (let i = 0; i < 3; i++) {
			addRects(ada, [`t${i}`]);
			await stored('thin', ada);
			clock.advance(MINUTE);
			await versionCount('thin', i + 1);
		}
		const [newestOfHour] = await server.storage.listVersions('thin');
		clock.advance(25 * HOUR);
		addRects(ada, ['t9']);
		await stored('thin', ada);
		clock.advance(MINUTE);
		await waitFor(async () => (await server.storage.listVersions('thin')).length === 2, 'the hour\'s older versions to be thinned');
		const list = await server.storage.listVersions('thin');
		expect(list[1]!.id).toBe(newestOfHour!.id);
		expect(list[0]!.shapes).toBe(4);
	});
});

describe('named versions', () => {
	it('are created, renamed and deleted by editors; automatic ones cannot be deleted', async () => {
		const clock = new ManualClock();
		await start(clock);
		const ada = await clients.client('named');
		addRects(ada, ids('n', 2));
		await stored('named', ada);
		const created = await post('named', { name: '  Before the demo ' });
		expect(created.status).toBe(201);
		const info = (await created.json()) as VersionInfo;
		expect(info).toMatchObject({ kind: 'named', name: 'Before the demo', shapes: 2 });
		expect((await post('named', { name: 'x'.repeat(101) })).status).toBe(400);
		expect((await post('named', { reason: 'sideways' })).status).toBe(400);

		const renamed = await fetch(`${server.url}/api/boards/named/versions/${info.id}`, { method: 'PATCH', body: JSON.stringify({ name: 'Demo' }) });
		expect(renamed.status).toBe(200);
		expect(((await renamed.json()) as VersionInfo).name).toBe('Demo');
		expect((await versions('named'))[0]!.name).toBe('Demo');

		addRects(ada, ['n9']);
		await stored('named', ada);
		clock.advance(MINUTE);
		const [auto] = (await versionCount('named', 2)).filter((v) => v.kind === 'auto');
		const refused = await fetch(`${server.url}/api/boards/named/versions/${auto!.id}`, { method: 'DELETE' });
		expect(refused.status).toBe(409);
		expect(((await refused.json()) as { error: string }).error).toBe('automatic-version');
		expect((await fetch(`${server.url}/api/boards/named/versions/${info.id}`, { method: 'DELETE' })).status).toBe(204);
		expect((await fetch(`${server.url}/api/boards/named/versions/${info.id}`, { method: 'DELETE' })).status).toBe(404);
		expect((await versions('named')).map((v) => v.id)).toEqual([auto!.id]);
	});
});

describe('a large deletion', () => {
	it('stores the board as it was before one transaction deleted 25 shapes', async () => {
		const clock = new ManualClock();
		await start(clock);
		const ada = await clients.client('purge');
		addRects(ada, ids('d', 30), 7);
		await stored('purge', ada);
		// A small deletion stores nothing early.
		ada.doc.transact(() => ids('d', 30).slice(25, 27).forEach((id) => ada.shapes.delete(id)));
		await stored('purge', ada);
		expect(await server.storage.listVersions('purge')).toEqual([]);

		ada.doc.transact(() => ids('d', 25).forEach((id) => ada.shapes.delete(id)));
		await stored('purge', ada);
		const [version] = await versionCount('purge', 1);
		expect(version).toMatchObject({ kind: 'before-delete', shapes: 28 });
		const { shapes } = await content('purge', version!.id);
		expect(shapes.map((s) => s.id).sort()).toEqual([...ids('d', 25), 'd27', 'd28', 'd29'].sort());
		expect(shapes.every((s) => s.type === 'rect' && s.x === 7)).toBe(true);
	});
});

describe('rights', () => {
	async function claim(board: string): Promise<{ edit: string; view: string }> {
		const response = await fetch(`${server.url}/api/boards/${board}/claim`, { method: 'POST' });
		expect(response.status).toBe(201);
		const { links } = (await response.json()) as { links: { edit: string; view: string } };
		const token = (link: string) => new URL(link).hash.slice('#t='.length);
		return { edit: token(links.edit), view: token(links.view) };
	}

	it('hides history from viewers until an editor shares it; viewers never write it', async () => {
		await start(new ManualClock());
		const { edit, view } = await claim('private');
		const created = await post('private', { name: 'v1' }, edit);
		expect(created.status).toBe(201);
		const { id } = (await created.json()) as VersionInfo;

		const hidden = await fetch(`${server.url}/api/boards/private/versions`, { headers: headers(view) });
		expect(hidden.status).toBe(403);
		expect(await hidden.json()).toMatchObject({ error: 'history-hidden', message: expect.any(String) });
		expect((await fetch(`${server.url}/api/boards/private/versions/${id}`, { headers: headers(view) })).status).toBe(403);
		expect((await fetch(`${server.url}/api/boards/private/versions`)).status).toBe(403);

		const share = (viewers: boolean, token: string) =>
			fetch(`${server.url}/api/boards/private/history-access`, { method: 'POST', body: JSON.stringify({ viewers }), headers: headers(token) });
		expect((await share(true, view)).status).toBe(403);
		const listed = async () => ((await (await fetch(`${server.url}/api/boards/private/versions`, { headers: headers(edit) })).json()) as { historyForViewers: boolean }).historyForViewers;
		expect(await listed()).toBe(false);
		expect((await share(true, edit)).status).toBe(200);
		expect(await listed()).toBe(true);
		expect((await versions('private', view)).map((v) => v.id)).toEqual([id]);
		const read = await fetch(`${server.url}/api/boards/private/versions/${id}`, { headers: headers(view) });
		expect(read.status).toBe(200);
		expect(read.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');

		const viewerPost = await post('private', { name: 'mine' }, view);
		expect(viewerPost.status).toBe(403);
		expect(await viewerPost.json()).toMatchObject({ error: 'edit-required' });
		expect((await fetch(`${server.url}/api/boards/private/versions/${id}`, { method: 'DELETE', headers: headers(view) })).status).toBe(403);
		expect((await fetch(`${server.url}/api/boards/private/versions/${id}`, { method: 'PATCH', body: '{"name":"x"}', headers: headers(view) })).status).toBe(403);
		expect((await share(false, edit)).status).toBe(200);
		expect((await fetch(`${server.url}/api/boards/private/versions`, { headers: headers(view) })).status).toBe(403);
	});
});

describe('restore', () => {
	it('writes a version back as a forward change that converges across clients while another edits', async () => {
		const clock = new ManualClock();
		await start(clock);
		const ada = await clients.client('restore');
		const bob = await clients.client('restore');
		addRects(ada, ids('k', 5), 1);
		await stored('restore', ada);
		const saved = (await (await post('restore', { name: 'good' })).json()) as VersionInfo;

		// Mistakes: three deleted, one moved.
		ada.doc.transact(() => {
			for (const id of ['k0', 'k1', 'k2']) ada.shapes.delete(id);
			(ada.shapes.get('k3') as Y.Map<unknown>).set('x', 99);
		});
		await waitFor(() => bob.shapes.size === 2, 'bob to see the mistakes');

		// Restore as the client does it: one transaction making the live shapes equal the version's.
		const { shapes } = await content('restore', saved.id);
		clock.advance(SECOND);
		expect((await post('restore', { reason: 'before-restore' })).status).toBe(201);
		ada.doc.transact(() => {
			const wanted = new Set(shapes.map((s) => s.id));
			for (const id of [...ada.shapes.keys()]) if (!wanted.has(id)) ada.shapes.delete(id);
			for (const shape of shapes) {
				const { id, ...fields } = shape as unknown as Record<string, unknown> & { id: string };
				let map = ada.shapes.get(id) as Y.Map<unknown> | undefined;
				if (!map) ada.shapes.set(id, (map = new Y.Map()));
				for (const [key, value] of Object.entries(fields)) if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
			}
		});
		// Meanwhile Bob, not yet seeing the restore, draws something new.
		addRects(bob, ['bob-new'], 3);

		const view = (c: TestClient) => JSON.stringify(c.shapes.toJSON(), Object.keys(c.shapes.toJSON()).sort());
		await waitFor(() => ada.shapes.size === 6 && bob.shapes.size === 6, 'both clients to converge');
		await waitFor(() => JSON.stringify(ada.shapes.toJSON()) === JSON.stringify(bob.shapes.toJSON()) || view(ada) === view(bob), 'the same shapes on both');
		for (const id of ids('k', 5)) expect((bob.shapes.get(id) as Y.Map<unknown>).get('x')).toBe(1);
		expect(bob.shapes.has('bob-new')).toBe(true);
		await stored('restore', bob);
		const list = await server.storage.listVersions('restore');
		expect(list.map((v) => v.kind)).toEqual(['before-restore', 'named']);
		expect(list[0]!.summary).toEqual({ added: 0, deleted: 3, changed: 1 });
	});
});
