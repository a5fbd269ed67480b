// The cluster tests' nginx balances round-robin without stickiness, passes WebSockets, and skips a dead upstream.
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startNginx, type Nginx } from '../helpers/nginx.ts';

/** A stand-in for one Boardwalk process: answers its name over HTTP and echoes WebSocket frames on /ws. */
interface Upstream {
	name: string;
	address: string;
	/** Every WebSocket frame it received, with whether it was binary. */
	received: { data: Buffer; isBinary: boolean }[];
	/** Headers of the plain HTTP requests it answered. */
	requests: http.IncomingHttpHeaders[];
	close(): Promise<void>;
}

async function startUpstream(name: string): Promise<Upstream> {
	const requests: http.IncomingHttpHeaders[] = [];
	const server = http.createServer((request, response) => (requests.push(request.headers), response.end(name)));
	const sockets = new Set<net.Socket>();
	server.on('connection', (socket) => (sockets.add(socket), socket.once('close', () => sockets.delete(socket))));
	const received: Upstream['received'] = [];
	// Strict as RFC 6455 §4.1 asks (ws alone would also take an HTTP/1.0 handshake): a proxy speaking 1.0 upstream fails here.
	const wss = new WebSocketServer({ server, path: '/ws', verifyClient: ({ req }: { req: http.IncomingMessage }) => req.httpVersion === '1.1' });
	wss.on('connection', (socket) => {
		socket.on('message', (data, isBinary) => {
			received.push({ data: data as Buffer, isBinary });
			socket.send(data, { binary: isBinary });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		name,
		address: `127.0.0.1:${port}`,
		received,
		requests,
		close: async () => {
			if (!server.listening) return;
			wss.close();
			// nginx keeps no idle connections here, but a half-open one must not hold close() up.
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

async function whoAnswers(url: string): Promise<string> {
	const response = await fetch(url);
	expect(response.status).toBe(200);
	return response.text();
}

let nginx: Nginx | undefined;
const upstreams: Upstream[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.terminate();
	await nginx?.stop();
	nginx = undefined;
	await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

async function cluster(): Promise<[Upstream, Upstream]> {
	const pair: [Upstream, Upstream] = [await startUpstream('alpha'), await startUpstream('beta')];
	upstreams.push(...pair);
	nginx = await startNginx(pair.map((upstream) => upstream.address));
	return pair;
}

describe('nginx in front of a cluster', () => {
	it('sends consecutive requests from one client to the upstreams in turn, with Host and X-Forwarded-For', async () => {
		const [alpha, beta] = await cluster();
		const answers: string[] = [];
		for (let i = 0; i < 6; i++) answers.push(await whoAnswers(`${nginx!.url}/`));
		// Sticky balancing (ip_hash, a cookie) would give one name six times.
		expect(new Set(answers)).toEqual(new Set(['alpha', 'beta']));
		for (let i = 1; i < answers.length; i++) expect(answers[i]).not.toBe(answers[i - 1]);
		for (const headers of [...alpha.requests, ...beta.requests]) {
			// With the port: the origin check compares it with the Origin of a page served through nginx.
			expect(headers.host).toBe(new URL(nginx!.url).host);
			expect(headers['x-forwarded-for']).toBe('127.0.0.1');
		}
	}, 60_000);

	it('passes a WebSocket upgrade through and carries a binary frame both ways', async () => {
		const [alpha, beta] = await cluster();
		const client = new WebSocket(nginx!.wsUrl);
		clients.push(client);
		const sent = Buffer.from([0, 1, 2, 253, 254, 255]);
		const echoed = new Promise<{ data: Buffer; isBinary: boolean }>((resolve, reject) => {
			client.once('message', (data, isBinary) => resolve({ data: data as Buffer, isBinary }));
			client.once('error', reject);
		});
		await new Promise<void>((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
		client.send(sent);
		const reply = await echoed;
		expect(reply.isBinary).toBe(true);
		expect(Buffer.compare(reply.data, sent)).toBe(0);
		const arrived = [...alpha.received, ...beta.received];
		expect(arrived).toHaveLength(1);
		expect(arrived[0]!.isBinary).toBe(true);
		expect(Buffer.compare(arrived[0]!.data, sent)).toBe(0);
	}, 60_000);

	it('serves every request from the live upstream when the other is down', async () => {
		const [alpha] = await cluster();
		await alpha.close();
		for (let i = 0; i < 4; i++) expect(await whoAnswers(`${nginx!.url}/`)).toBe('beta');
	}, 60_000);
});
