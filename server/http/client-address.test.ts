// The client address: the peer unless a trusted proxy count says which X-Forwarded-For entry to believe.
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

describe('clientAddress', () => {
	it('ignores X-Forwarded-For unless proxies are trusted: a client can write any header', () => {
		expect(clientAddress('203.0.113.9', '1.1.1.1', 0)).toBe('203.0.113.9');
	});

	it('takes the entry the trusted proxy appended, not what the client wrote before it', () => {
		// The client claimed 1.1.1.1; the one proxy we trust saw 198.51.100.7 and appended it.
		expect(clientAddress('10.0.0.2', '1.1.1.1, 198.51.100.7', 1)).toBe('198.51.100.7');
		expect(clientAddress('10.0.0.2', '1.1.1.1, 198.51.100.7, 10.0.0.5', 2)).toBe('198.51.100.7');
	});

	it('falls back to the leftmost entry, then to the peer, when the header is shorter or absent', () => {
		expect(clientAddress('10.0.0.2', '198.51.100.7', 3)).toBe('198.51.100.7');
		expect(clientAddress('10.0.0.2', null, 1)).toBe('10.0.0.2');
		expect(clientAddress('10.0.0.2', ' , ', 1)).toBe('10.0.0.2');
	});

	it('spells an IPv4 client of a dual-stack socket as IPv4', () => {
		expect(clientAddress('::ffff:127.0.0.1', null, 0)).toBe('127.0.0.1');
		expect(clientAddress('::1', null, 0)).toBe('::1');
	});
});
