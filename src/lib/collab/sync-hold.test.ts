// The hold stage on its own: frames wait until released, only the open socket's come back, and a stale reply is named exactly once.
import { describe, expect, it } from 'vitest';
import { SyncHold } from '$lib/collab/sync-hold';

const frame = (n: number) => new Uint8Array([0, 1, n]);
const EMPTY = new Uint8Array([0]);
const LOADED = new Uint8Array([1, 7, 3]);

describe('SyncHold', () => {
	it('keeps frames until released, then gives back those of the open socket in order', () => {
		const hold = new SyncHold();
		expect(hold.holding).toBe(true);
		expect(hold.keep(1, frame(1))).toBe(true);
		expect(hold.keep(2, frame(2))).toBe(true);
		expect(hold.keep(2, frame(3))).toBe(true);
		const released = hold.release(2, EMPTY);
		expect(released.frames).toEqual([frame(2), frame(3)]);
		expect(hold.holding).toBe(false);
		expect(hold.keep(2, frame(4))).toBe(false);
	});

	it('asks again when the doc grew after the socket asked, and names the next step 2 on it stale once', () => {
		const hold = new SyncHold();
		hold.asked(1, EMPTY);
		expect(hold.release(1, LOADED).askAgain).toBe(true);
		expect(hold.dropStale(2)).toBe(false); // another socket's reply is not the stale one
		expect(hold.dropStale(1)).toBe(true);
		expect(hold.dropStale(1)).toBe(false);
	});

	it('keeps the reply when the doc is as it was when the socket asked (a first visit), or when that socket is gone', () => {
		const first = new SyncHold();
		first.asked(1, EMPTY);
		expect(first.release(1, new Uint8Array([0])).askAgain).toBe(false);
		expect(first.dropStale(1)).toBe(false);

		const reconnected = new SyncHold();
		reconnected.asked(1, EMPTY);
		expect(reconnected.release(2, LOADED).askAgain).toBe(false);
		expect(reconnected.release(null, LOADED).askAgain).toBe(false);
	});

	it('does not hold at all when created released, and drops everything when stopped', () => {
		const open = new SyncHold(false);
		expect(open.holding).toBe(false);
		expect(open.keep(1, frame(1))).toBe(false);

		const stopped = new SyncHold();
		stopped.asked(1, EMPTY);
		stopped.keep(1, frame(1));
		stopped.stop();
		expect(stopped.holding).toBe(false);
		expect(stopped.release(1, LOADED)).toEqual({ frames: [], askAgain: false });
	});
});
