// The store-then-relay pipeline: nothing leaves before the updates it depends on are stored, one append per tick, a failed append sends nothing.
import { describe, expect, it } from 'vitest';
import { DurableRelay, type DurableRelayDeps, type RelayPeer } from './durability.ts';

class FakePeer implements RelayPeer {
	received: number[] = [];
	/** Each write the peer's socket would make: the frames sent between a cork and its uncork count as one. */
	writes: number[][] = [];
	private corked: number[] | null = null;

	constructor(readonly name: string) {}

	send(frame: Uint8Array): void {
		this.received.push(frame[0]!);
		if (this.corked) this.corked.push(frame[0]!);
		else this.writes.push([frame[0]!]);
	}
	cork(): void {
		this.corked = [];
	}
	uncork(): void {
		if (this.corked?.length) this.writes.push(this.corked);
		this.corked = null;
	}
}

const bytes = (n: number) => new Uint8Array([n]);

/** A pipeline over fake peers whose appends wait until the test releases them. */
function pipeline(options: { failAppend?: boolean; settled?: () => Promise<void> } = {}) {
	const a = new FakePeer('a');
	const b = new FakePeer('b');
	const c = new FakePeer('c');
	const peers = new Set([a, b, c]);
	const appends: Array<{ batch: number[]; release(): void }> = [];
	const stored: number[] = [];
	const failures: unknown[] = [];
	let settles = 0;
	let seq = 0;
	const deps: DurableRelayDeps<FakePeer> = {
		peers,
		room: 'r',
		storage: {
			append: (_room, batch) =>
				new Promise((resolve, reject) => {
					appends.push({
						batch: batch.map((u) => u[0]!),
						release: () => (options.failAppend ? reject(new Error('disk full')) : resolve((seq += batch.length)))
					});
				})
		},
		log: {
			appended: (batch, lastSeq) => stored.push(...batch.map((u) => u[0]!), -lastSeq),
			settle: async () => {
				settles++;
				await options.settled?.();
			}
		},
		owner: { fail: (error) => failures.push(error) }
	};
	return { relay: new DurableRelay(deps), a, b, c, appends, stored, failures, settles: () => settles };
}

/** Lets the pipeline's setImmediate and promise callbacks run. */
const ticks = async (n = 3) => {
	for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('DurableRelay', () => {
	it('relays an update to every other peer only after it is stored', async () => {
		const { relay, a, b, c, appends } = pipeline();
		relay.update(bytes(1), bytes(11), a);
		await ticks();
		expect(appends.map((x) => x.batch)).toEqual([[1]]);
		expect(b.received).toEqual([]);
		expect(relay.idle).toBe(false);
		appends[0]!.release();
		await relay.flush();
		expect(a.received).toEqual([]);
		expect(b.received).toEqual([11]);
		expect(c.received).toEqual([11]);
		expect(relay.idle).toBe(true);
	});

	it("stores one tick's updates in one append, and each peer gets that tick's frames in one write", async () => {
		const { relay, a, b, appends, stored } = pipeline();
		relay.update(bytes(1), bytes(11), a);
		relay.update(bytes(2), bytes(12), a);
		relay.update(bytes(3), bytes(13), b);
		await ticks();
		expect(appends.map((x) => x.batch)).toEqual([[1, 2, 3]]);
		appends[0]!.release();
		await relay.flush();
		expect(stored).toEqual([1, 2, 3, -3]);
		expect(b.writes).toEqual([[11, 12]]);
		expect(a.writes).toEqual([[13]]);
	});

	it('holds a reply that depends on pending updates until they are stored, and sends it at once when nothing is pending', async () => {
		const { relay, a, b, appends } = pipeline();
		relay.send(b, bytes(50));
		expect(b.received).toEqual([50]);
		relay.update(bytes(1), bytes(11), a);
		relay.send(b, bytes(51));
		expect(b.received).toEqual([50]);
		await ticks();
		appends[0]!.release();
		await relay.flush();
		expect(b.received).toEqual([50, 11, 51]);
	});

	it('updates arriving while an append is in flight wait for the next append, in order', async () => {
		const { relay, a, b, appends } = pipeline();
		relay.update(bytes(1), bytes(11), a);
		await ticks();
		relay.update(bytes(2), bytes(12), a);
		await ticks();
		expect(appends).toHaveLength(1);
		appends[0]!.release();
		await ticks();
		expect(b.received).toEqual([11]);
		expect(appends.map((x) => x.batch)).toEqual([[1], [2]]);
		appends[1]!.release();
		await relay.flush();
		expect(b.received).toEqual([11, 12]);
	});

	it('sends nothing that waited when the append fails, and reports the failure once', async () => {
		const { relay, a, b, appends, failures, settles } = pipeline({ failAppend: true });
		relay.update(bytes(1), bytes(11), a);
		relay.send(b, bytes(51));
		await ticks();
		appends[0]!.release();
		await relay.flush();
		expect(failures).toHaveLength(1);
		expect(b.received).toEqual([]);
		expect(settles()).toBe(0);
	});

	it('settles (the moment to compact) once everything is stored and sent, and sends what arrived meanwhile after it', async () => {
		let releaseSettle!: () => void;
		let first = true;
		const slowFirstSettle = () => {
			if (!first) return Promise.resolve();
			first = false;
			return new Promise<void>((resolve) => (releaseSettle = resolve));
		};
		const { relay, a, b, appends, settles } = pipeline({ settled: slowFirstSettle });
		relay.update(bytes(1), bytes(11), a);
		await ticks();
		appends[0]!.release();
		await ticks();
		expect(settles()).toBe(1);
		// An asynchronous compaction is running: a new update waits behind it, then goes out.
		relay.update(bytes(2), bytes(12), a);
		await ticks();
		expect(appends).toHaveLength(1);
		releaseSettle();
		await ticks();
		appends[1]!.release();
		await relay.flush();
		expect(b.received).toEqual([11, 12]);
		expect(settles()).toBe(2);
	});

	it('drops what waits and accepts nothing once stopped', async () => {
		const { relay, a, b, appends } = pipeline();
		relay.update(bytes(1), bytes(11), a);
		relay.stop();
		relay.broadcast(bytes(20));
		await ticks();
		expect(appends).toHaveLength(0);
		expect(b.received).toEqual([]);
		expect(relay.idle).toBe(true);
	});
});
