/** The history API client: its words for refusals, contents cached (a version never changes), and the summary line. */
import { describe, expect, it } from 'vitest';
import { HistoryError, describeSummary, historyApi, relativeTime } from '$lib/collab/history';

const info = { id: 'v1', createdAt: 0, kind: 'named', name: 'A', editors: [], summary: { added: 1, deleted: 0, changed: 0 }, shapes: 1, bytes: 10 };

function fakeServer(answer: (url: string, init: RequestInit) => Response) {
	const calls: { url: string; init: RequestInit }[] = [];
	const fetcher = (async (url: string, init: RequestInit) => {
		calls.push({ url, init });
		return answer(url, init);
	}) as unknown as typeof fetch;
	return { calls, fetcher };
}

describe('historyApi', () => {
	it('sends the page token and keeps a version it has read, asking the server once', async () => {
		const { calls, fetcher } = fakeServer(() => Response.json({ info, shapes: [] }));
		const api = historyApi('cached-board', () => 'tok', fetcher);
		await api.content('v1');
		await api.content('v1');
		expect(calls).toHaveLength(1);
		expect(calls[0]!.url).toBe('/api/boards/cached-board/versions/v1');
		expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
	});

	it('says history is hidden for a 403 history-hidden, and offline when the server cannot be reached', async () => {
		const hidden = historyApi('b', () => null, fakeServer(() => Response.json({ error: 'history-hidden' }, { status: 403 })).fetcher);
		await expect(hidden.list()).rejects.toMatchObject({ problem: 'hidden', message: expect.stringMatching(/hidden/) });
		const offline = historyApi('b', () => null, (async () => {
			throw new TypeError('Failed to fetch');
		}) as unknown as typeof fetch);
		await expect(offline.list()).rejects.toBeInstanceOf(HistoryError);
		await expect(offline.list()).rejects.toMatchObject({ problem: 'offline' });
	});

	it('saves with a name or a reason as the contract says', async () => {
		const { calls, fetcher } = fakeServer(() => Response.json(info, { status: 201 }));
		await historyApi('b', () => 'tok', fetcher).save({ reason: 'before-restore' });
		expect(calls[0]!.init.method).toBe('POST');
		expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ reason: 'before-restore' });
	});
});

describe('the words', () => {
	it('sums a version up', () => {
		expect(describeSummary({ added: 12, deleted: 3, changed: 0 })).toBe('12 shapes added, 3 deleted');
		expect(describeSummary({ added: 0, deleted: 1, changed: 0 })).toBe('1 shape deleted');
		expect(describeSummary({ added: 0, deleted: 0, changed: 0 })).toBe('No changes');
	});

	it('tells the time relatively', () => {
		expect(relativeTime(0, 10_000)).toBe('just now');
		expect(relativeTime(0, 5 * 60_000)).toBe('5 min ago');
		expect(relativeTime(0, 3 * 3600_000)).toBe('3 h ago');
	});
});
