/**
 * Smooth motion for other people's cursors: peers send positions ~30 times a second, we draw
 * at the display's frame rate, easing each cursor toward its latest reported position. Pure.
 */
import type { Point } from '$lib/shared/model/geometry';

/** Time constant of the easing: after this long a cursor has covered ~63 % of the way to its target. */
export const CURSOR_SMOOTHING_MS = 40;
/** A cursor that has not moved for this long fades out (it stays where it is). */
export const CURSOR_IDLE_MS = 10_000;
/** Closer than this (board units) to the target counts as arrived. */
const ARRIVED_DISTANCE = 0.05;

export function lerp(a: number, b: number, t: number): number {
	return a + (b - a) * t;
}

/**
 * Where a cursor at `current` should be drawn `dtMs` later when heading for `target`:
 * exponential easing, so the result is the same whatever the frame rate.
 */
export function approach(current: Point, target: Point, dtMs: number, smoothingMs = CURSOR_SMOOTHING_MS): Point {
	const t = dtMs <= 0 ? 0 : 1 - Math.exp(-dtMs / smoothingMs);
	const next = { x: lerp(current.x, target.x, t), y: lerp(current.y, target.y, t) };
	return Math.hypot(target.x - next.x, target.y - next.y) < ARRIVED_DISTANCE ? { ...target } : next;
}

export interface CursorTrack {
	/** Where it is drawn now (board units). */
	shown: Point;
	/** The latest position the peer reported. */
	target: Point;
	/** When (local clock, ms) the peer last reported a new position. */
	movedAt: number;
}

/** The cursors of everyone else, keyed by awareness client id. */
export class CursorTracks {
	readonly tracks = new Map<number, CursorTrack>();
	#frameAt: number | null = null;

	/** Takes the latest reported positions; peers missing or with a null cursor are dropped. */
	update(cursors: ReadonlyMap<number, Point | null>, now: number): void {
		for (const id of this.tracks.keys()) if (!cursors.get(id)) this.tracks.delete(id);
		for (const [id, target] of cursors) {
			if (!target) continue;
			const track = this.tracks.get(id);
			// A cursor that (re)appears is drawn where it is, not glided in from where it left.
			if (!track) this.tracks.set(id, { shown: { ...target }, target: { ...target }, movedAt: now });
			else if (track.target.x !== target.x || track.target.y !== target.y) {
				track.target = { ...target };
				track.movedAt = now;
			}
		}
	}

	/** Advances every cursor to time `now`; returns true while any is still on its way. */
	step(now: number): boolean {
		const dt = this.#frameAt === null ? 0 : Math.min(now - this.#frameAt, 250);
		this.#frameAt = now;
		let moving = false;
		for (const track of this.tracks.values()) {
			track.shown = approach(track.shown, track.target, dt);
			if (track.shown.x !== track.target.x || track.shown.y !== track.target.y) moving = true;
		}
		if (!moving) this.#frameAt = null;
		return moving;
	}

	isIdle(id: number, now: number): boolean {
		const track = this.tracks.get(id);
		return track !== undefined && now - track.movedAt >= CURSOR_IDLE_MS;
	}
}
