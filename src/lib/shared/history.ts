/** Version history as server and browser agree on it (issue 18): what a version is, and its summary against the previous one. */

import type { Shape } from './model/index.ts';

/** Why a version was stored: the automatic policy, a name, or just before something that replaces much of the board. */
export type VersionKind = 'auto' | 'named' | 'before-delete' | 'before-import' | 'before-restore';
/** The `reason`s a client may give when it asks the server to store a version. */
export const VERSION_REASONS = ['before-delete', 'before-import', 'before-restore'] as const;
export type VersionReason = (typeof VERSION_REASONS)[number];
/** Longest name of a named version. */
export const MAX_VERSION_NAME_LENGTH = 100;

/** Shapes added, deleted and changed against the previous version (all of them added for a board's first version). */
export interface VersionSummary {
	added: number;
	deleted: number;
	changed: number;
}

/** Someone who edited since the previous version: from their presence (awareness `user`) or their token's name. */
export interface VersionEditor {
	name: string;
	color: string;
}

export interface VersionInfo {
	/** Opaque, url-safe. */
	id: string;
	/** Ms since the epoch, by the server's clock. */
	createdAt: number;
	kind: VersionKind;
	/** Named versions only (≤ MAX_VERSION_NAME_LENGTH chars). */
	name: string | null;
	editors: VersionEditor[];
	summary: VersionSummary;
	/** Shape count. */
	shapes: number;
	/** Stored size (gzip'd). */
	bytes: number;
}

export interface VersionContent {
	info: VersionInfo;
	shapes: Shape[];
}

/** True when nothing changed between two versions. */
export function isEmptySummary(summary: VersionSummary): boolean {
	return summary.added === 0 && summary.deleted === 0 && summary.changed === 0;
}

/**
 * What changed from `previous` (null: there was none) to `current`, by shape id: an id only in `current`
 * was added, one only in `previous` deleted, one in both with any field different changed.
 */
export function summarize(previous: readonly Shape[] | null, current: readonly Shape[]): VersionSummary {
	const before = new Map<string, Shape>();
	for (const shape of previous ?? []) before.set(shape.id, shape);
	let added = 0;
	let changed = 0;
	let kept = 0;
	for (const shape of current) {
		const old = before.get(shape.id);
		if (old === undefined) added++;
		else {
			kept++;
			if (!sameShape(old, shape)) changed++;
		}
	}
	return { added, deleted: before.size - kept, changed };
}

function sameShape(a: Shape, b: Shape): boolean {
	const fieldsA = a as unknown as Record<string, unknown>;
	const fieldsB = b as unknown as Record<string, unknown>;
	const keys = Object.keys(fieldsA);
	if (keys.length !== Object.keys(fieldsB).length) return false;
	return keys.every((key) => key in fieldsB && sameValue(fieldsA[key], fieldsB[key]));
}

/** Field values are JSON: numbers, strings, booleans, null and arrays of numbers (points). */
function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
	return false;
}
