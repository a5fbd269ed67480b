/**
 * What the polite live region says about the connection (ConnectionAnnouncer.svelte): a sentence when the
 * link to the server changes for the person (lost, back, stopped) or the right to edit goes, and nothing
 * for saves, retry countdowns or the short "connecting" between attempts. Pure: runs in Node.
 */
import type { ConnectionStatus } from '$lib/collab/session.svelte';

/** The link as a listener cares about it; 'starting' until the first connection or failure. */
export type Link = 'starting' | 'up' | 'down' | 'stopped';

export interface Heard {
	link: Link;
	access: 'edit' | 'view';
}

export const ANNOUNCE = {
	cannotConnect: 'Cannot reach the server. Retrying; your changes are kept on this device.',
	lost: 'Connection lost. Retrying; your changes are kept on this device.',
	back: 'Connected again. Changes sync live.',
	stopped: 'Disconnected. Syncing has stopped.',
	viewOnly: 'View only: you can look at this board but not change it.',
	canEdit: 'You can edit this board again.'
} as const;

/** The first state: nothing said yet. */
export function startHearing(access: 'edit' | 'view'): Heard {
	return { link: 'starting', access };
}

function linkOf(status: ConnectionStatus, previous: Link): Link {
	if (status === 'connected') return 'up';
	if (status === 'offline') return 'down';
	if (status === 'stopped') return 'stopped';
	// Between attempts, and while a reopened socket syncs: nothing has changed for the person yet.
	return previous;
}

/** The next state, and what to say about the change (null: nothing worth saying). */
export function hear(previous: Heard, status: ConnectionStatus, access: 'edit' | 'view'): { heard: Heard; say: string | null } {
	const link = linkOf(status, previous.link);
	const heard = { link, access };
	const said: string[] = [];
	if (link !== previous.link) {
		if (link === 'down') said.push(previous.link === 'starting' ? ANNOUNCE.cannotConnect : ANNOUNCE.lost);
		else if (link === 'stopped') said.push(ANNOUNCE.stopped);
		// The first connection is what opening a board means: not worth a word.
		else if (link === 'up' && previous.link !== 'starting') said.push(ANNOUNCE.back);
	}
	if (access !== previous.access) said.push(access === 'view' ? ANNOUNCE.viewOnly : ANNOUNCE.canEdit);
	return { heard, say: said.length > 0 ? said.join(' ') : null };
}
