/** Stock y-websocket clients that each move one shape of their own and time every move they see from the others. */
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { SHAPE_DEFAULTS } from '../../src/lib/shared/model/schema.ts';
import { nowMs } from '../lib/proc-stats.ts';
import { Histogram } from '../lib/stats.ts';

const CONNECT_TIMEOUT_MS = 60_000;
const POLL_MS = 20;
/** The send loop wakes this often and sends what the rate says is due since the start. */
const TICK_MS = 2;

interface Mover {
	doc: Y.Doc;
	provider: WebsocketProvider;
	shapes: Y.Map<Y.Map<unknown>>;
	own: Y.Map<unknown> | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

export class Movers {
	private movers: Mover[] = [];
	private readonly histogram = new Histogram();
	private received = 0;
	private reconnects = 0;
	private cpuAtRun = process.cpuUsage();

	async connect(wsUrl: string, room: string, count: number, awaitSync: boolean, token?: string): Promise<number> {
		for (let i = 0; i < count; i++) {
			const doc = new Y.Doc();
			const provider = new WebsocketProvider(wsUrl, room, doc, {
				WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
				disableBc: true,
				...(token === undefined ? {} : { params: { token } })
			});
			provider.awareness.setLocalState(null);
			let opened = 0;
			provider.on('status', ({ status }: { status: string }) => {
				if (status === 'connected' && ++opened > 1) this.reconnects++;
			});
			const shapes = doc.getMap<Y.Map<unknown>>('shapes');
			shapes.observeDeep((events, transaction) => this.observe(events, transaction));
			this.movers.push({ doc, provider, shapes, own: null });
		}
		const ready = () => this.movers.every((m) => m.provider.wsconnected && (!awaitSync || m.provider.synced));
		const deadline = Date.now() + CONNECT_TIMEOUT_MS;
		while (!ready()) {
			if (Date.now() > deadline) throw new Error(`clients of ${room} did not connect within ${CONNECT_TIMEOUT_MS} ms`);
			await sleep(POLL_MS);
		}
		return this.movers.length;
	}

	private observe(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void {
		if (transaction.local) return;
		const now = nowMs();
		for (const event of events) {
			if (!(event instanceof Y.YMapEvent) || !event.keysChanged.has('t')) continue;
			const sentAt = (event.target as Y.Map<unknown>).get('t');
			if (typeof sentAt !== 'number') continue;
			this.histogram.record(now - sentAt);
			this.received++;
		}
	}

	addShapes(): void {
		for (const mover of this.movers) {
			const shape = new Y.Map<unknown>(Object.entries({ type: 'rect', ...SHAPE_DEFAULTS.rect, index: 'a0' }));
			mover.shapes.set(`bench${mover.doc.clientID}`, shape);
			mover.own = shape;
		}
	}

	/** The fewest shapes any client sees (0 without clients: Infinity would not survive IPC). */
	shapeCount(): number {
		return this.movers.length === 0 ? 0 : Math.min(...this.movers.map((m) => m.shapes.size));
	}

	/** Open loop: sends what is due at `ratePerSec` since the start, however late the loop wakes. */
	async run(ratePerSec: number, durationMs: number): Promise<{ sent: number; elapsedMs: number }> {
		this.histogram.reset();
		this.received = 0;
		this.cpuAtRun = process.cpuUsage();
		const movers = this.movers.filter((m) => m.own !== null);
		if (movers.length === 0 || ratePerSec <= 0) return { sent: 0, elapsedMs: 0 };
		const maxBurst = Math.max(1, Math.ceil(ratePerSec / 10));
		const started = nowMs();
		let sent = 0;
		for (let elapsed = 0; elapsed < durationMs; elapsed = nowMs() - started) {
			const due = Math.min(maxBurst, Math.floor((ratePerSec * elapsed) / 1000) - sent);
			for (let i = 0; i < due; i++, sent++) {
				const mover = movers[sent % movers.length]!;
				const own = mover.own!;
				mover.doc.transact(() => {
					own.set('x', sent);
					own.set('y', sent);
					own.set('t', nowMs());
				});
			}
			await sleep(TICK_MS);
		}
		return { sent, elapsedMs: nowMs() - started };
	}

	progress(): number {
		return this.received;
	}

	collect() {
		const cpu = process.cpuUsage(this.cpuAtRun);
		return { received: this.received, histogram: this.histogram.toData(), cpuMs: (cpu.user + cpu.system) / 1000, reconnects: this.reconnects };
	}

	hashes(): string[] {
		return this.movers.map((m) =>
			createHash('sha1').update(Y.encodeStateVector(m.doc)).update(canonical(m.shapes.toJSON())).digest('hex')
		);
	}

	close(): void {
		for (const mover of this.movers) {
			mover.provider.destroy();
			mover.doc.destroy();
		}
		this.movers = [];
	}
}
