/**
 * Which pointer does what, as a pure state machine (no DOM, no editor): one finger, a pen or a mouse
 * drives the tool; two fingers pan and pinch and never draw; a finger held still opens the context
 * menu; while a pen is down, fingers (a resting palm) are ignored. `pointer-input.ts` feeds it DOM
 * events and carries out the actions it returns; tests feed it plain objects.
 */
import type { Point } from '$lib/view/camera';

export type PointerKind = 'mouse' | 'pen' | 'touch';

export interface GesturePointer {
	id: number;
	kind: PointerKind;
	/** Position on the canvas, CSS px. */
	at: Point;
	/** Event time, ms. */
	time: number;
}

/** A finger held this long without moving opens the context menu. */
export const LONG_PRESS_MS = 500;
/** How far (CSS px) a finger may wander and still count as held still. */
export const LONG_PRESS_SLOP_PX = 8;

export type GestureAction =
	/** Hand the press, move or release of this pointer to the tool. */
	| { kind: 'down' | 'move' | 'up'; pointer: GesturePointer }
	/** The tool's press ended without a release (the browser took the pointer): the tool's own cancel. */
	| { kind: 'cancel' }
	/** Another gesture took the press over: undo whatever the tool drafted or wrote, leaving no trace. */
	| { kind: 'discard' }
	/** Pan by `pan` (CSS px), then zoom by `scale` around `centre`. */
	| { kind: 'camera'; pan: Point; centre: Point; scale: number }
	/** A finger was held still: open the context menu there. */
	| { kind: 'longPress'; at: Point };

type Mode =
	| { name: 'idle' }
	/** A pointer drives the tool. */
	| { name: 'pressing'; pointer: GesturePointer; origin: Point; holdable: boolean }
	/** Two fingers move the camera. */
	| { name: 'pinching'; ids: [number, number]; distance: number; centre: Point }
	/** Fingers left over from a pinch, a long press or a pen: ignored until every one has lifted. */
	| { name: 'settling' };

export class GestureRecognizer {
	#mode: Mode = { name: 'idle' };
	/** Every finger down, where it is now. */
	readonly #touches = new Map<number, Point>();
	/** A pen is down: fingers are a resting hand, not input. */
	#pen: number | null = null;

	/** 'idle', 'pressing', 'pinching' or 'settling': what tests assert on. */
	get mode(): string {
		return this.#mode.name;
	}

	/** The time at which a held finger becomes a long press, or null when none is pending. */
	get longPressDue(): number | null {
		const m = this.#mode;
		return m.name === 'pressing' && m.holdable ? m.pointer.time + LONG_PRESS_MS : null;
	}

	down(p: GesturePointer): GestureAction[] {
		if (p.kind === 'touch') {
			// A palm resting while the pen draws.
			if (this.#pen !== null) return [];
			this.#touches.set(p.id, p.at);
			return this.#fingerDown(p);
		}
		if (p.kind === 'pen') {
			const actions: GestureAction[] = [];
			this.#pen = p.id;
			const m = this.#mode;
			if (m.name === 'pressing' && m.pointer.kind === 'pen') return [];
			// The palm landed first: whatever it started goes, and the fingers down stay ignored.
			if (m.name === 'pressing' && m.pointer.kind === 'touch') actions.push({ kind: 'discard' });
			else if (m.name === 'pressing') return [];
			this.#mode = { name: 'pressing', pointer: p, origin: p.at, holdable: false };
			actions.push({ kind: 'down', pointer: p });
			return actions;
		}
		if (this.#mode.name !== 'idle') return [];
		this.#mode = { name: 'pressing', pointer: p, origin: p.at, holdable: false };
		return [{ kind: 'down', pointer: p }];
	}

	#fingerDown(p: GesturePointer): GestureAction[] {
		const m = this.#mode;
		if (this.#touches.size === 1 && m.name === 'idle') {
			this.#mode = { name: 'pressing', pointer: p, origin: p.at, holdable: true };
			return [{ kind: 'down', pointer: p }];
		}
		if (this.#touches.size !== 2 || m.name === 'pinching') return [];
		// A second finger: a pinch, and whatever the first one started never happened.
		const [a, b] = [...this.#touches.keys()] as [number, number];
		this.#mode = { name: 'pinching', ids: [a, b], ...this.#span(a, b) };
		return m.name === 'pressing' && m.pointer.kind === 'touch' ? [{ kind: 'discard' }] : [];
	}

	move(p: GesturePointer): GestureAction[] {
		if (p.kind === 'touch') {
			if (!this.#touches.has(p.id)) return [];
			this.#touches.set(p.id, p.at);
		}
		const m = this.#mode;
		if (m.name === 'pinching') {
			if (!m.ids.includes(p.id)) return [];
			const next = this.#span(m.ids[0], m.ids[1]);
			this.#mode = { ...m, ...next };
			return [
				{
					kind: 'camera',
					pan: { x: next.centre.x - m.centre.x, y: next.centre.y - m.centre.y },
					centre: next.centre,
					scale: next.distance / Math.max(1, m.distance)
				}
			];
		}
		if (m.name === 'pressing') {
			if (p.id !== m.pointer.id) return [];
			if (m.holdable && Math.hypot(p.at.x - m.origin.x, p.at.y - m.origin.y) > LONG_PRESS_SLOP_PX) m.holdable = false;
			m.pointer = { ...p, time: m.pointer.time };
			return [{ kind: 'move', pointer: p }];
		}
		// Hover, for the tools that show it: a mouse or a pen above the screen, never a finger.
		if (m.name === 'idle' && p.kind !== 'touch') return [{ kind: 'move', pointer: p }];
		return [];
	}

	up(p: GesturePointer): GestureAction[] {
		return this.#end(p, 'up');
	}

	cancel(p: GesturePointer): GestureAction[] {
		return this.#end(p, 'cancel');
	}

	/** Called at or after `longPressDue`: a finger held still becomes a context menu, and draws nothing. */
	timeout(now: number): GestureAction[] {
		const m = this.#mode;
		const due = this.longPressDue;
		if (m.name !== 'pressing' || due === null || now < due) return [];
		this.#mode = { name: 'settling' };
		return [{ kind: 'discard' }, { kind: 'longPress', at: m.origin }];
	}

	#end(p: GesturePointer, how: 'up' | 'cancel'): GestureAction[] {
		if (p.kind === 'touch') {
			if (!this.#touches.delete(p.id)) return [];
		}
		if (p.kind === 'pen' && p.id === this.#pen) this.#pen = null;
		const m = this.#mode;
		const actions: GestureAction[] = [];
		if (m.name === 'pressing' && m.pointer.id === p.id) {
			actions.push(how === 'up' ? { kind: 'up', pointer: p } : { kind: 'cancel' });
			this.#mode = { name: 'settling' };
		} else if (m.name === 'pinching' && m.ids.includes(p.id)) {
			const left = [...this.#touches.keys()];
			// A third finger was down: it and the one that stayed carry on the pinch.
			this.#mode = left.length >= 2 ? { name: 'pinching', ids: [left[0]!, left[1]!], ...this.#span(left[0]!, left[1]!) } : { name: 'settling' };
		}
		// Nothing starts again until every finger (and the pen) has lifted.
		if (this.#mode.name === 'settling' && this.#touches.size === 0 && this.#pen === null) this.#mode = { name: 'idle' };
		return actions;
	}

	#span(a: number, b: number): { distance: number; centre: Point } {
		const pa = this.#touches.get(a)!;
		const pb = this.#touches.get(b)!;
		return { distance: Math.hypot(pa.x - pb.x, pa.y - pb.y), centre: { x: (pa.x + pb.x) / 2, y: (pa.y + pb.y) / 2 } };
	}
}
