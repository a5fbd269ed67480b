// Bus messages survive the trip, and anything else on a channel is ignored, never thrown.
import { describe, expect, it } from 'vitest';
import { decodeBusMessage, encodeBusMessage, type BusMessage } from './messages.ts';

describe('bus messages', () => {
	it('round-trips every kind', () => {
		const messages: BusMessage[] = [
			{ kind: 'updates', origin: 'a/1/ff', firstSeq: 41, updates: [new Uint8Array([1, 2]), new Uint8Array([3])] },
			{ kind: 'presence', origin: 'a/1/ff', update: new Uint8Array([7, 7, 7]) },
			{ kind: 'presence-query', origin: 'b/2/00' },
			{ kind: 'heartbeat', origin: 'b/2/00' },
			{ kind: 'access-changed', origin: 'links', board: 'ops' }
		];
		for (const message of messages) expect(decodeBusMessage(encodeBusMessage(message))).toEqual(message);
	});

	it('ignores what it cannot read', () => {
		expect(decodeBusMessage(new Uint8Array([]))).toBeNull();
		expect(decodeBusMessage(new Uint8Array([42, 0]))).toBeNull();
		expect(decodeBusMessage(new Uint8Array([0, 5, 97]))).toBeNull();
	});
});
