/** Tokens a host application signs (JWT, with jose): HS256 under AUTH_JWT_SECRET, or a key of the AUTH_JWKS_URL set. */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config.ts';
import type { Access } from './authorize.ts';

/** What a valid token grants. */
export interface JwtClaims {
	board: string;
	access: Access;
	/** The person's display name: presence is pinned to it (server/auth/presence.ts). */
	name?: string;
	/** A hex colour for their presence. */
	color?: string;
	/** `exp`, in ms: the socket is closed then (4002) unless the page reconnects with a fresh token. */
	expiresAt: number;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; problem: 'expired' | 'invalid' | 'unavailable'; message: string };

/** Longest name kept from a token, as the browser's own limit (docs/schema.md, "Awareness"). */
const MAX_NAME_CHARS = 40;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
/** Key-set algorithms: asymmetric only, so a public key can never be taken for an HMAC secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** A JWT has three dot-separated parts; a link token has no dot. */
export const looksLikeJwt = (token: string) => token.split('.').length === 3;

export class JwtVerifier {
	private readonly secret: Uint8Array | null;
	private readonly keySet: JWTVerifyGetKey | null;

	constructor(private readonly config: JwtConfig) {
		this.secret = config.secret === null ? null : new TextEncoder().encode(config.secret);
		// jose fetches the set on first use, caches it, and fetches again for an unknown key id (rotation).
		this.keySet = config.jwksUrl === null ? null : createRemoteJWKSet(new URL(config.jwksUrl));
	}

	async check(token: string): Promise<JwtCheck> {
		let alg: string | undefined;
		try {
			alg = decodeProtectedHeader(token).alg;
		} catch {
			return { ok: false, problem: 'invalid', message: 'malformed token' };
		}
		const { issuer, audience } = this.config;
		const options = { issuer: issuer ?? undefined, audience: audience ?? undefined, requiredClaims: ['exp'] };
		let payload: JWTPayload;
		try {
			if (alg === 'HS256' && this.secret) payload = (await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] })).payload;
			else if (alg !== 'HS256' && this.keySet) payload = (await jwtVerify(token, this.keySet, { ...options, algorithms: ASYMMETRIC })).payload;
			else return { ok: false, problem: 'invalid', message: `tokens signed with ${alg ?? 'no algorithm'} are not accepted here` };
		} catch (error) {
			return failure(error);
		}
		return claimsOf(payload);
	}
}

function failure(error: unknown): JwtCheck {
	if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired', message: 'token expired' };
	// The key set could not be fetched or read: the token may well be good, so this is not its fault.
	if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
		return { ok: false, problem: 'unavailable', message: 'the key set to check tokens is unavailable' };
	}
	if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, problem: 'invalid', message: `token ${error.claim} claim not accepted` };
	return { ok: false, problem: 'invalid', message: 'token signature not valid' };
}

function claimsOf(payload: JWTPayload): JwtCheck {
	const { board, access, name, color, exp } = payload as JWTPayload & Record<string, unknown>;
	if (typeof board !== 'string') return { ok: false, problem: 'invalid', message: 'token has no board claim' };
	if (access !== 'edit' && access !== 'view') return { ok: false, problem: 'invalid', message: 'token access claim must be edit or view' };
	const claims: JwtClaims = { board, access, expiresAt: exp! * 1000 };
	if (typeof name === 'string' && name.trim() !== '') claims.name = name.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME_CHARS);
	if (typeof color === 'string' && HEX_COLOR.test(color)) claims.color = color;
	return { ok: true, claims };
}
