// The acknowledgement stage: a change is saved only when the reply to a question asked after it arrives, replies pair with questions in order, and a new socket starts over.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SAVE_CONFIRM_DELAY_MS, SaveTracker } from '$lib/collab/save-tracker';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

/** A tracker over a socket the test opens, syncs and answers itself; `asked` counts the questions sent. */
function tracker() {
	const link = { open: false, synced: false, asked: 0, askServer: () => link.asked++ };
	const saves = new SaveTracker(link);
	const connect = () => {
		link.open = true;
		saves.opened();
	};
	const sync = () => {
		saves.replied(); // the reply to the socket's own step 1
		link.synced = true;
		saves.synced();
	};
	return { link, saves, connect, sync };
}

describe('SaveTracker', () => {
	it('is saving while connected, unsaved while not, saved once the reply to a later question arrives', () => {
		const { link, saves, connect, sync } = tracker();
		connect();
		sync();
		expect(saves.state).toBe('saved');
		saves.noteLocalChange();
		expect(saves.state).toBe('saving');
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS - 1);
		expect(link.asked).toBe(0);
		vi.advanceTimersByTime(1);
		expect(link.asked).toBe(1);
		saves.replied();
		expect(saves.state).toBe('saved');
		expect(saves.unconfirmed).toBe(0);

		link.open = link.synced = false;
		saves.closed();
		saves.noteLocalChange();
		expect(saves.state).toBe('unsaved');
	});

	it('does not take the reply to the socket’s own step 1 for a confirmation', () => {
		const { saves, connect } = tracker();
		saves.noteLocalChange(); // made before the socket opened
		connect();
		saves.replied(); // answers the step 1 sent on opening, which asked for the server's changes
		expect(saves.state).toBe('saving');
	});

	it('asks only once synced, one question at a time, and confirms only what came before each question', () => {
		const { link, saves, connect, sync } = tracker();
		connect();
		saves.noteLocalChange();
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS);
		expect(link.asked).toBe(0); // not synced yet
		sync();
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS);
		expect(link.asked).toBe(1);

		saves.noteLocalChange(); // after the question: its reply does not cover this
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS);
		expect(link.asked).toBe(1); // the first question is still out
		saves.replied();
		expect(saves.unconfirmed).toBe(1);
		expect(saves.state).toBe('saving');
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS);
		expect(link.asked).toBe(2);
		saves.replied();
		expect(saves.state).toBe('saved');
	});

	it('forgets replies owed on a closed socket: the next socket’s replies pair with its own questions', () => {
		const { link, saves, connect, sync } = tracker();
		connect();
		sync();
		saves.noteLocalChange();
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS);
		expect(link.asked).toBe(1);
		link.open = link.synced = false;
		saves.closed(); // the question's reply will never come

		connect();
		saves.replied(); // answers the new socket's own step 1, not the lost question
		expect(saves.state).toBe('saving');
		link.synced = true;
		saves.synced();
		vi.advanceTimersByTime(SAVE_CONFIRM_DELAY_MS);
		expect(link.asked).toBe(2);
		saves.replied();
		expect(saves.state).toBe('saved');
	});
});
