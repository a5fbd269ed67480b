// Today's rule: whoever has a board's link may edit it; the grant records where the request came from.
import { describe, expect, it } from 'vitest';
import { authorize } from './authorize.ts';

describe('authorize', () => {
	it('grants edit on the board asked for, with the address and page origin of the request', async () => {
		const decision = await authorize(
			{ headers: new Headers({ origin: 'https://board.example.com' }), url: 'http://x/ws/b1', remoteAddress: '10.0.0.7' },
			'b1'
		);
		expect(decision).toEqual({ grant: { board: 'b1', access: 'edit', remoteAddress: '10.0.0.7', origin: 'https://board.example.com' } });
	});

	it('records no origin for a client that sends none', async () => {
		const decision = await authorize({ headers: new Headers(), url: 'http://x/ws/b1', remoteAddress: null }, 'b1');
		expect('grant' in decision && decision.grant.origin).toBe(null);
	});
});
