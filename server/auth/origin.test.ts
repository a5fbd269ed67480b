// The origin rule: the configured origins and the request's own, and one warning a minute however many pages knock.
import { describe, expect, it } from 'vitest';
import type { Logger } from '../log.ts';
import { OriginPolicy, requestOrigin } from './origin.ts';

function policy(trustProxy = 0) {
	const warnings: unknown[] = [];
	const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
	return { policy: new OriginPolicy({ allowed: ['https://board.example.com'], trustProxy, log }), warnings };
}

const request = (origin: string | null, headers: Record<string, string> = {}) => ({
	headers: new Headers({ host: 'localhost:3000', ...(origin !== null && { origin }), ...headers }),
	url: 'http://localhost:3000/ws/b'
});

describe('OriginPolicy', () => {
	it('logs one warning for a burst of refusals, not one per request', () => {
		const { policy: origins, warnings } = policy();
		for (let i = 0; i < 50; i++) expect(origins.allows(request('https://evil.example'))).toBe(false);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toEqual([expect.objectContaining({ origin: 'https://evil.example' }), expect.stringContaining('ALLOWED_ORIGINS')]);
	});

	it('builds the request origin from forwarded headers only when told a proxy is trusted', () => {
		const forwarded = { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'Public.Example' };
		expect(requestOrigin(request(null, forwarded), 0)).toBe('http://localhost:3000');
		expect(requestOrigin(request(null, forwarded), 1)).toBe('https://public.example');
	});
});
