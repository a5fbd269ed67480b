/** Recovery from a kill -9: stock clients of one board (in the bench process) timed until each holds what a writer wrote after the kill. */
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { SHAPE_DEFAULTS, SHAPES_MAP } from '../../src/lib/shared/model/schema.ts';
import { provider, whenSynced } from './board-clients.ts';

const MARK = 'failover-mark';
/** Fast enough next to the providers' own reconnect backoff (200 ms first). */
const CHECK_MS = 5;
const RECOVERY_TIMEOUT_MS = 30_000;

interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	disconnects: number;
}

export interface Recovery {
	/** kill -9 → every reader holds the writer's state (state vector and mark), in ms. */
	ms: number;
	/** Readers whose socket closed (the ones the killed process served). */
	cutOff: number;
}

function open(wsUrl: string, room: string): Client {
	const doc = new Y.Doc();
	const client: Client = { doc, provider: provider(wsUrl, room, doc), disconnects: 0 };
	client.provider.on('status', ({ status }: { status: string }) => {
		if (status === 'disconnected') client.disconnects++;
	});
	return client;
}

const sameState = (a: Y.Doc, b: Y.Doc) => Buffer.from(Y.encodeStateVector(a)).equals(Y.encodeStateVector(b));
const markOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(SHAPES_MAP).get(MARK)?.get('x');

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (!check()) {
		if (performance.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
	}
}

/**
 * `readers` clients on `readerUrl` and one writer on `writerUrl` join `room` and agree on a mark. Then
 * `kill` runs (it sends SIGKILL), the writer moves the mark at once, and `afterKill` runs (a restart, for
 * a lone process); the time runs from just before `kill` until every reader has the writer's state.
 */
export async function timeRecovery(options: {
	readerUrl: string;
	writerUrl: string;
	room: string;
	readers: number;
	/** Resolves once the readers are spread as the caller needs (e.g. some on the process to kill). */
	ready?: () => Promise<void>;
	kill: () => void;
	afterKill?: () => Promise<void>;
}): Promise<Recovery> {
	// Each provider adds a process exit listener; this many at once is expected here.
	process.setMaxListeners(Math.max(process.getMaxListeners(), options.readers + 11));
	const writer = open(options.writerUrl, options.room);
	const readers = Array.from({ length: options.readers }, () => open(options.readerUrl, options.room));
	const everyone = [writer, ...readers];
	try {
		await Promise.all(everyone.map((c) => whenSynced(c.provider, 'a failover client')));
		const mark = new Y.Map<unknown>(Object.entries({ type: 'rect', ...SHAPE_DEFAULTS.rect, index: 'a0' }));
		writer.doc.getMap<Y.Map<unknown>>(SHAPES_MAP).set(MARK, mark);
		const caughtUp = () => readers.every((r) => markOf(r.doc) === markOf(writer.doc) && sameState(r.doc, writer.doc));
		await until(caughtUp, RECOVERY_TIMEOUT_MS, 'the readers did not see the mark before the kill');
		await options.ready?.();
		const before = readers.map((r) => r.disconnects);
		const started = performance.now();
		options.kill();
		mark.set('x', 1);
		const recovered = until(caughtUp, RECOVERY_TIMEOUT_MS, 'the readers did not recover after the kill');
		// Awaited below; a failing restart must not leave it rejected with nobody listening.
		recovered.catch(() => {});
		await options.afterKill?.();
		await recovered;
		const ms = performance.now() - started;
		return { ms, cutOff: readers.filter((r, i) => r.disconnects > before[i]!).length };
	} finally {
		for (const c of everyone) {
			c.provider.destroy();
			c.doc.destroy();
		}
	}
}
