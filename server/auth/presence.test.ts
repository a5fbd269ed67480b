// A token's name is the presence name: other names are rewritten, other fields kept.
import { describe, expect, it } from 'vitest';
import type { Grant } from './authorize.ts';
import { pinPresence } from './presence.ts';

const grant = (extra: Partial<Grant>): Grant => ({ board: 'b', access: 'edit', remoteAddress: null, origin: null, tokenKind: 'jwt', ...extra });
const entry = (state: unknown) => ({ clientId: 1, clock: 1, stateJson: JSON.stringify(state) });

describe('pinPresence', () => {
	it("rewrites the user's name (and colour, when the token has one) and keeps the rest", () => {
		const [pinned] = pinPresence(grant({ name: 'Ada', color: '#112233' }), [entry({ user: { name: 'Mallory', color: '#ffffff' }, cursor: { x: 1, y: 2 } })]);
		expect(JSON.parse(pinned!.stateJson)).toEqual({ user: { name: 'Ada', color: '#112233' }, cursor: { x: 1, y: 2 } });
		const [nameOnly] = pinPresence(grant({ name: 'Ada' }), [entry({ user: { name: 'Mallory', color: '#ffffff' } })]);
		expect(JSON.parse(nameOnly!.stateJson)).toEqual({ user: { name: 'Ada', color: '#ffffff' } });
	});

	it('adds a user to a state without one, leaves removals alone, and changes nothing for grants without a name', () => {
		expect(JSON.parse(pinPresence(grant({ name: 'Ada' }), [entry({ cursor: null })])[0]!.stateJson)).toEqual({ cursor: null, user: { name: 'Ada' } });
		expect(pinPresence(grant({ name: 'Ada' }), [entry(null)])[0]!.stateJson).toBe('null');
		const entries = [entry({ user: { name: 'Anyone' } })];
		expect(pinPresence(grant({ tokenKind: 'link' }), entries)).toBe(entries);
	});
});
