import { describe, expect, it } from 'vitest';
import { GestureRecognizer, LONG_PRESS_MS, type GestureAction, type GesturePointer, type PointerKind } from '$lib/editor/gestures';

const finger = (id: number, x: number, y: number, time = 0): GesturePointer => ({ id, kind: 'touch', at: { x, y }, time });
const of = (kind: PointerKind, id: number, x: number, y: number, time = 0): GesturePointer => ({ id, kind, at: { x, y }, time });
const kinds = (actions: GestureAction[]) => actions.map((a) => a.kind);

describe('gesture recognizer: fingers', () => {
	it('hands one finger to the tool: down, moves, up', () => {
		const g = new GestureRecognizer();
		expect(kinds(g.down(finger(1, 10, 10)))).toEqual(['down']);
		expect(kinds(g.move(finger(1, 40, 10)))).toEqual(['move']);
		expect(kinds(g.up(finger(1, 40, 10)))).toEqual(['up']);
		expect(g.mode).toBe('idle');
	});

	it('turns a second finger into a pinch that discards what the first one began and never reaches the tool', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 100, 100));
		g.move(finger(1, 110, 100));
		expect(kinds(g.down(finger(2, 200, 100)))).toEqual(['discard']);
		expect(g.mode).toBe('pinching');
		// One finger moves: the centre moves half as far, and the span narrows from 90 to 70.
		const one = g.move(finger(1, 130, 100));
		expect(one).toEqual([{ kind: 'camera', pan: { x: 10, y: 0 }, centre: { x: 165, y: 100 }, scale: 70 / 90 }]);
		// The other follows by as much: together a pan of 20 and back to the span they began with.
		const other = g.move(finger(2, 220, 100));
		expect(other).toEqual([{ kind: 'camera', pan: { x: 10, y: 0 }, centre: { x: 175, y: 100 }, scale: 90 / 70 }]);
		// Spreading doubles the span: zoom ×2 around the new centre.
		const spread = g.move(finger(2, 310, 100));
		expect(spread[0]).toMatchObject({ kind: 'camera', centre: { x: 220, y: 100 } });
		expect((spread[0] as { scale: number }).scale).toBeCloseTo(180 / 90);
		const all = [...g.up(finger(1, 130, 100)), ...g.move(finger(2, 320, 120)), ...g.up(finger(2, 320, 120))];
		expect(all.filter((a) => a.kind === 'down' || a.kind === 'move' || a.kind === 'up')).toEqual([]);
	});

	it('does not draw with the finger left after a pinch until it lifts', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 0, 0));
		g.down(finger(2, 50, 0));
		g.up(finger(2, 50, 0));
		expect(g.mode).toBe('settling');
		expect(g.move(finger(1, 30, 30))).toEqual([]);
		expect(g.up(finger(1, 30, 30))).toEqual([]);
		expect(g.mode).toBe('idle');
		expect(kinds(g.down(finger(3, 0, 0)))).toEqual(['down']);
	});

	it('pinches again when a finger lands beside the one left over', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 0, 0));
		g.down(finger(2, 50, 0));
		g.up(finger(2, 50, 0));
		expect(g.down(finger(3, 100, 0))).toEqual([]);
		expect(g.mode).toBe('pinching');
		expect(kinds(g.move(finger(3, 120, 0)))).toEqual(['camera']);
	});

	it('opens the context menu after a finger is held still, discarding the press', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 100, 100, 1000));
		g.move(finger(1, 103, 102, 1200));
		expect(g.longPressDue).toBe(1000 + LONG_PRESS_MS);
		expect(g.timeout(1000 + LONG_PRESS_MS - 1)).toEqual([]);
		expect(g.timeout(1000 + LONG_PRESS_MS)).toEqual([{ kind: 'discard' }, { kind: 'longPress', at: { x: 100, y: 100 } }]);
		// The finger lifting afterwards does nothing more.
		expect(g.move(finger(1, 104, 102))).toEqual([]);
		expect(g.up(finger(1, 104, 102))).toEqual([]);
		expect(g.mode).toBe('idle');
	});

	it('is no long press once the finger has moved, nor for a mouse or a pen', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 100, 100));
		g.move(finger(1, 120, 100));
		expect(g.longPressDue).toBeNull();
		expect(g.timeout(10_000)).toEqual([]);
		g.up(finger(1, 120, 100));
		g.down(of('mouse', 9, 0, 0));
		expect(g.longPressDue).toBeNull();
		g.up(of('mouse', 9, 0, 0));
		g.down(of('pen', 8, 0, 0));
		expect(g.longPressDue).toBeNull();
	});

	it('ends a long press when a second finger lands first: a pinch instead', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 0, 0, 0));
		g.down(finger(2, 50, 0, 100));
		expect(g.longPressDue).toBeNull();
		expect(g.timeout(LONG_PRESS_MS)).toEqual([]);
	});

	it('gives a browser-cancelled press to the tool as a cancel', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 0, 0));
		expect(g.cancel(finger(1, 0, 0))).toEqual([{ kind: 'cancel' }]);
		expect(g.mode).toBe('idle');
	});
});

describe('gesture recognizer: pen and palm', () => {
	it('ignores fingers while the pen is down', () => {
		const g = new GestureRecognizer();
		expect(kinds(g.down(of('pen', 5, 10, 10)))).toEqual(['down']);
		expect(g.down(finger(1, 300, 300))).toEqual([]);
		expect(g.move(finger(1, 320, 300))).toEqual([]);
		expect(g.down(finger(2, 400, 300))).toEqual([]);
		expect(kinds(g.move(of('pen', 5, 20, 10)))).toEqual(['move']);
		expect(g.up(finger(1, 320, 300))).toEqual([]);
		expect(kinds(g.up(of('pen', 5, 20, 10)))).toEqual(['up']);
		expect(g.mode).toBe('idle');
	});

	it('cancels what a palm started when the pen lands, and keeps ignoring that palm', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 300, 300));
		g.move(finger(1, 310, 300));
		expect(kinds(g.down(of('pen', 5, 10, 10)))).toEqual(['discard', 'down']);
		expect(g.move(finger(1, 320, 300))).toEqual([]);
		expect(g.up(finger(1, 320, 300))).toEqual([]);
		expect(kinds(g.move(of('pen', 5, 30, 10)))).toEqual(['move']);
		expect(kinds(g.up(of('pen', 5, 30, 10)))).toEqual(['up']);
	});

	it('keeps a palm that outlasts the pen from drawing until it lifts', () => {
		const g = new GestureRecognizer();
		g.down(finger(1, 300, 300));
		g.down(of('pen', 5, 10, 10));
		g.up(of('pen', 5, 10, 10));
		expect(g.move(finger(1, 330, 300))).toEqual([]);
		expect(g.up(finger(1, 330, 300))).toEqual([]);
		expect(g.mode).toBe('idle');
	});

	it('passes pen and mouse hover to the tool, never a finger', () => {
		const g = new GestureRecognizer();
		expect(kinds(g.move(of('mouse', 1, 5, 5)))).toEqual(['move']);
		expect(kinds(g.move(of('pen', 2, 5, 5)))).toEqual(['move']);
		expect(g.move(finger(3, 5, 5))).toEqual([]);
	});
});
