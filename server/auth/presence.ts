/** Presence pinned to a token's name: a person a host application names cannot show up as someone else. */
import type { AwarenessEntry } from '../frames.ts';
import type { Grant } from './authorize.ts';

/**
 * `entries` with each state's `user.name` (and `user.color`, when the token gives one) set to the
 * grant's; unchanged for grants without a name (links, no token). Other fields stay as sent.
 */
export function pinPresence(grant: Grant, entries: AwarenessEntry[]): AwarenessEntry[] {
	const { name, color } = grant;
	if (name === undefined) return entries;
	return entries.map((entry) => {
		const state: unknown = JSON.parse(entry.stateJson);
		if (state === null || typeof state !== 'object' || Array.isArray(state)) return entry;
		const user = (state as { user?: unknown }).user;
		const pinned = { ...(user !== null && typeof user === 'object' && !Array.isArray(user) ? user : {}), name, ...(color !== undefined && { color }) };
		return { ...entry, stateJson: JSON.stringify({ ...state, user: pinned }) };
	});
}
