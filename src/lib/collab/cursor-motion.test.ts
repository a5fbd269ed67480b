import { describe, expect, it } from 'vitest';
import { CURSOR_IDLE_MS, CURSOR_SMOOTHING_MS, CursorTracks, approach, lerp } from '$lib/collab/cursor-motion';

describe('approach', () => {
	it('does not move in no time and covers ~63 % of the way in one time constant', () => {
		expect(approach({ x: 0, y: 0 }, { x: 100, y: 0 }, 0)).toEqual({ x: 0, y: 0 });
		const p = approach({ x: 0, y: 0 }, { x: 100, y: 0 }, CURSOR_SMOOTHING_MS);
		expect(p.x).toBeCloseTo(100 * (1 - Math.exp(-1)));
		expect(p.y).toBe(0);
	});

	it('reaches the same place whatever the frame rate', () => {
		let fast = { x: 0, y: 0 };
		for (let i = 0; i < 6; i++) fast = approach(fast, { x: 120, y: -60 }, 1000 / 120);
		const slow = approach({ x: 0, y: 0 }, { x: 120, y: -60 }, 50);
		expect(fast.x).toBeCloseTo(slow.x, 6);
		expect(fast.y).toBeCloseTo(slow.y, 6);
	});

	it('snaps onto the target when it is practically there', () => {
		expect(approach({ x: 99.99, y: 0 }, { x: 100, y: 0 }, 1000)).toEqual({ x: 100, y: 0 });
	});

	it('lerps', () => {
		expect(lerp(10, 20, 0.25)).toBe(12.5);
	});
});

describe('CursorTracks', () => {
	it('draws a new cursor where it is, then eases it to each new position', () => {
		const tracks = new CursorTracks();
		tracks.update(new Map([[1, { x: 0, y: 0 }]]), 0);
		expect(tracks.tracks.get(1)?.shown).toEqual({ x: 0, y: 0 });
		expect(tracks.step(0)).toBe(false);

		tracks.update(new Map([[1, { x: 100, y: 100 }]]), 10);
		expect(tracks.step(10)).toBe(true);
		expect(tracks.step(26)).toBe(true);
		const mid = tracks.tracks.get(1)!.shown;
		expect(mid.x).toBeGreaterThan(0);
		expect(mid.x).toBeLessThan(100);
		let t = 26;
		while (tracks.step((t += 16))) if (t > 5000) throw new Error('never arrived');
		expect(tracks.tracks.get(1)?.shown).toEqual({ x: 100, y: 100 });
	});

	it('drops cursors that leave the board or whose person left', () => {
		const tracks = new CursorTracks();
		tracks.update(new Map([[1, { x: 0, y: 0 }], [2, { x: 5, y: 5 }]]), 0);
		tracks.update(new Map([[1, null]]), 1);
		expect([...tracks.tracks.keys()]).toEqual([]);
		// Back on the board somewhere else: appears there, no glide from the old spot.
		tracks.update(new Map([[1, { x: 500, y: 500 }]]), 2);
		expect(tracks.tracks.get(1)?.shown).toEqual({ x: 500, y: 500 });
	});

	it('marks a cursor idle after it has not moved for a while, and wakes it on the next move', () => {
		const tracks = new CursorTracks();
		tracks.update(new Map([[1, { x: 0, y: 0 }]]), 0);
		expect(tracks.isIdle(1, CURSOR_IDLE_MS - 1)).toBe(false);
		// Unchanged positions (other fields of the peer's state changed) are not moves.
		tracks.update(new Map([[1, { x: 0, y: 0 }]]), CURSOR_IDLE_MS - 1);
		expect(tracks.isIdle(1, CURSOR_IDLE_MS)).toBe(true);
		tracks.update(new Map([[1, { x: 1, y: 0 }]]), CURSOR_IDLE_MS + 5);
		expect(tracks.isIdle(1, CURSOR_IDLE_MS + 6)).toBe(false);
	});
});
