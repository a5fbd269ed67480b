// Two people on one board behind nginx, each tab's socket on a different cluster process: strokes and presence cross as on one process.
import { test, expect, type Browser, type Page, type WebSocketRoute } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { startNginx, type Nginx } from '../helpers/nginx.ts';
import { drag, pickTool, types, waitConnected } from './board.ts';

let cluster: TestCluster;
let nginx: Nginx;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	cluster = await startCluster(2, {
		// Debug: each socket's 'connection opened' / 'connection closed' lines say which process holds it.
		LOG_LEVEL: 'debug',
		// The storage poll far beyond expect's timeout: what arrives in time came over the bus.
		CLUSTER_CATCH_UP_MS: '60000'
	});
	nginx = await startNginx(cluster.processes.map((p) => `127.0.0.1:${p.port}`));
});

test.afterAll(async () => {
	await nginx?.stop();
	await cluster?.stop();
});

/** Per process, how many sockets of `board` are open now, from its log lines. */
function openSockets(board: string): number[] {
	return cluster.processes.map((p) => {
		const open = new Set<unknown>();
		for (const line of p.lines) {
			let event: { msg?: string; room?: string; conn?: unknown };
			try {
				event = JSON.parse(line);
			} catch {
				continue;
			}
			if (event.room !== board) continue;
			if (event.msg === 'connection opened') open.add(event.conn);
			else if (event.msg === 'connection closed') open.delete(event.conn);
		}
		return open.size;
	});
}

/** Waits until `total` sockets of `board` are open across the cluster (a reloaded tab's old one closed), and returns them per process. */
async function settledSockets(board: string, total: number): Promise<number[]> {
	await expect.poll(() => openSockets(board).reduce((a, b) => a + b, 0)).toBe(total);
	return openSockets(board);
}

/** A separate person: a browser context of its own, so the tabs share no storage. */
async function person(browser: Browser): Promise<Page> {
	return (await browser.newContext()).newPage();
}

// Same selectors as presence.e2e.ts.
const peopleList = (page: Page, count: number) => page.getByRole('list', { name: `People on this board: ${count}` });
const cursorOf = (page: Page, name: string) => page.locator(`.cursor[data-name="${name}"]`);
async function ownName(page: Page): Promise<string> {
	const avatar = page.getByRole('button', { name: /\(you\): change your name/ });
	return (await avatar.getAttribute('title'))!.replace(/ \(you\)$/, '');
}

/** Sockets B opens before one lands on the process A's is not on. */
const MAX_PLACEMENT_ATTEMPTS = 8;

test('two tabs on two processes behind round-robin nginx see each other’s strokes and presence', async ({ browser }) => {
	const board = `e2e${randomBytes(9).toString('base64url')}`;
	const a = await person(browser);
	const b = await person(browser);
	try {
		await a.goto(`${nginx.url}/b/${board}`);
		await a.waitForURL(/#t=e/);
		const link = a.url();
		await waitConnected(a);
		const processOfA = (await settledSockets(board, 1)).indexOf(1);

		// Round-robin spreads every request (page, assets, API, socket) in turn, and how many a page load
		// makes varies, so B's first socket may land beside A's. Then only B's socket is closed (the page
		// reconnects by itself): each retry is one request, and an extra one on every other miss flips the
		// parity should something else come between, so two retries suffice; the bound covers stray traffic.
		const socketsOfB: WebSocketRoute[] = [];
		await b.routeWebSocket(/\/ws\//, (ws) => {
			ws.connectToServer();
			socketsOfB.push(ws);
		});
		await b.goto(link);
		await waitConnected(b);
		let sockets = await settledSockets(board, 2);
		for (let attempt = 1; sockets[processOfA] !== 1 && attempt < MAX_PLACEMENT_ATTEMPTS; attempt++) {
			if (attempt % 2 === 0) await fetch(`${nginx.url}/healthz`);
			const misplaced = socketsOfB.length;
			socketsOfB.at(-1)!.close({ code: 1012, reason: 'test: reconnect elsewhere' });
			await expect.poll(() => socketsOfB.length).toBeGreaterThan(misplaced);
			await waitConnected(b);
			sockets = await settledSockets(board, 2);
		}
		expect(sockets, 'one socket on each process').toEqual([1, 1]);

		// Strokes, both ways.
		await pickTool(a, 'Rectangle (R)');
		await drag(a, [300, 200], [420, 300]);
		await expect.poll(() => types(b)).toEqual(['rect']);
		await b.keyboard.press('o');
		await drag(b, [500, 200], [620, 300]);
		await expect.poll(() => types(a)).toEqual(['rect', 'ellipse']);

		// Presence: each lists the other, and A's named pointer moves on B's screen.
		await expect(peopleList(a, 2)).toBeVisible();
		await expect(peopleList(b, 2)).toBeVisible();
		const nameA = await ownName(a);
		await a.mouse.move(300, 450);
		await a.mouse.move(520, 480, { steps: 5 });
		await expect(cursorOf(b, nameA)).toHaveText(nameA);

		// Nothing above moved a socket: the two tabs were served by two processes throughout.
		expect(openSockets(board)).toEqual([1, 1]);
	} finally {
		await a.context().close();
		await b.context().close();
	}
});
