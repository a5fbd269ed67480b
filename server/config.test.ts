// Config: defaults, and a clear message naming every bad value.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { DEFAULT_LIMITS } from './limits/limits.ts';

describe('loadConfig', () => {
	it('has documented defaults', () => {
		const config = loadConfig({}, '/srv/boardwalk');
		expect(config).toMatchObject({
			port: 3000,
			host: '0.0.0.0',
			storage: { engine: 'sqlite', dataDir: '/srv/boardwalk/data' },
			logLevel: 'info',
			maxFrameBytes: 8 * 1024 * 1024,
			origin: 'http://localhost:3000',
			roomUnloadDelayMs: 10_000,
			compaction: { afterUpdates: 500, afterBytes: 4 * 1024 * 1024, whenIdleMs: 10_000 }
		});
	});

	it('reads every variable', () => {
		const config = loadConfig(
			{ PORT: '8080', HOST: '127.0.0.1', DATA_DIR: '/var/lib/bw', LOG_LEVEL: 'debug', MAX_FRAME_BYTES: '1048576', ORIGIN: 'https://board.example.com/' },
			'/'
		);
		expect(config).toMatchObject({
			port: 8080,
			host: '127.0.0.1',
			storage: { engine: 'sqlite', dataDir: '/var/lib/bw' },
			logLevel: 'debug',
			maxFrameBytes: 1048576,
			origin: 'https://board.example.com'
		});
	});

	it('names every bad value in one error', () => {
		let error: unknown;
		try {
			loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', MAX_FRAME_BYTES: '12', ORIGIN: 'ftp://x' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const problems = (error as ConfigError).problems.join('\n');
		expect(problems).toMatch(/PORT="eighty" must be a whole number from 0 to 65535/);
		expect(problems).toMatch(/LOG_LEVEL="loud" must be one of/);
		expect(problems).toMatch(/MAX_FRAME_BYTES="12"/);
		expect(problems).toMatch(/ORIGIN="ftp:\/\/x"/);
	});

	it('has links, no secret (one is made in DATA_DIR), no JWT and no extra origins by default', () => {
		expect(loadConfig({}).auth).toEqual({ mode: 'links', secret: null, publicOrigin: null, allowedOrigins: [], jwt: null, metricsToken: null });
	});

	it('reads SECRET, AUTH, the JWT keys, ALLOWED_ORIGINS, ORIGIN for links and METRICS_TOKEN', () => {
		const auth = loadConfig({
			SECRET: 'x'.repeat(32),
			AUTH: 'both',
			AUTH_JWT_SECRET: 'y'.repeat(32),
			AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
			AUTH_JWT_ISSUER: 'https://id.example.com',
			AUTH_JWT_AUDIENCE: 'boardwalk',
			ALLOWED_ORIGINS: 'https://app.example.com, https://Other.example.com:8443/',
			ORIGIN: 'https://board.example.com/',
			METRICS_TOKEN: 'scrape-me'
		}).auth;
		expect(auth).toEqual({
			mode: 'both',
			secret: 'x'.repeat(32),
			publicOrigin: 'https://board.example.com',
			allowedOrigins: ['https://app.example.com', 'https://other.example.com:8443'],
			jwt: {
				secret: 'y'.repeat(32),
				jwksUrl: 'https://id.example.com/.well-known/jwks.json',
				issuer: 'https://id.example.com',
				audience: 'boardwalk'
			},
			metricsToken: 'scrape-me'
		});
	});

	it('explains every bad access setting', () => {
		const problems = (env: Record<string, string>) => {
			try {
				loadConfig(env);
			} catch (error) {
				return (error as ConfigError).problems.join('\n');
			}
			return '';
		};
		expect(problems({ SECRET: 'short' })).toMatch(/SECRET must be at least 32 characters/);
		expect(problems({ AUTH: 'oauth' })).toMatch(/AUTH="oauth" must be one of links, jwt, both/);
		expect(problems({ AUTH: 'jwt' })).toMatch(/AUTH=jwt needs AUTH_JWT_SECRET \(HS256\) or AUTH_JWKS_URL/);
		expect(problems({ AUTH: 'both', AUTH_JWT_SECRET: 'short' })).toMatch(/AUTH_JWT_SECRET must be at least 32 characters/);
		expect(problems({ AUTH: 'jwt', AUTH_JWKS_URL: 'not a url' })).toMatch(/AUTH_JWKS_URL="not a url" must be an http\(s\) URL/);
		expect(problems({ AUTH_JWT_SECRET: 'y'.repeat(32) })).toMatch(/only used with AUTH=jwt or AUTH=both/);
		expect(problems({ ALLOWED_ORIGINS: 'https://ok.example.com,ftp://no' })).toMatch(/ALLOWED_ORIGINS entry "ftp:\/\/no"/);
	});

	it('reads the limits, with their defaults', () => {
		expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
		const limits = loadConfig({
			MAX_BOARD_BYTES: String(2 * 1024 * 1024),
			MAX_CONNECTIONS_PER_ADDRESS: '8',
			NEW_BOARDS_PER_MINUTE: '5',
			CONNECTION_MESSAGES_PER_SECOND: '50',
			CONNECTION_BYTES_PER_SECOND: '100000',
			MAX_IMAGE_BYTES: '2048',
			MAX_BOARD_IMAGE_BYTES: '4096',
			IMAGE_UPLOADS_PER_MINUTE: '3'
		}).limits;
		expect(limits).toEqual({
			maxBoardBytes: 2 * 1024 * 1024,
			maxConnectionsPerAddress: 8,
			newBoardsPerMinute: 5,
			messagesPerSecond: 50,
			bytesPerSecond: 100000,
			maxImageBytes: 2048,
			maxBoardImageBytes: 4096,
			imageUploadsPerMinute: 3
		});
		expect(() => loadConfig({ MAX_BOARD_BYTES: '10', MAX_CONNECTIONS_PER_ADDRESS: '0' })).toThrow(/MAX_BOARD_BYTES="10"[\s\S]*MAX_CONNECTIONS_PER_ADDRESS="0"/);
	});

	it('reads when images are collected: a grace in days, an interval in ms (0: never)', () => {
		expect(loadConfig({}).imageGc).toEqual({ graceMs: 30 * 86_400_000, intervalMs: 3_600_000 });
		expect(loadConfig({ IMAGE_GC_GRACE_DAYS: '7', IMAGE_GC_INTERVAL_MS: '0' }).imageGc).toEqual({ graceMs: 7 * 86_400_000, intervalMs: 0 });
		expect(() => loadConfig({ IMAGE_GC_GRACE_DAYS: '-1', MAX_IMAGE_BYTES: 'big' })).toThrow(/MAX_IMAGE_BYTES="big"[\s\S]*IMAGE_GC_GRACE_DAYS="-1"/);
	});

	it('stores boards with SQLite in DATA_DIR unless STORAGE_URL names a PostgreSQL database', () => {
		expect(loadConfig({ DATA_DIR: '/var/lib/bw' }, '/').storage).toEqual({ engine: 'sqlite', dataDir: '/var/lib/bw' });
		for (const url of ['postgres://bw:pw@db.example.com:5432/boardwalk', 'postgresql://db/boardwalk']) {
			expect(loadConfig({ STORAGE_URL: url, DATA_DIR: '/var/lib/bw' }, '/').storage).toEqual({ engine: 'postgres', url, dataDir: '/var/lib/bw' });
		}
	});

	it('refuses a STORAGE_URL that is not a PostgreSQL URL, without echoing it (it may hold a password)', () => {
		for (const [url, why] of [
			['mysql://root:hunter2@db/boardwalk', '(it starts with "mysql:")'],
			['hunter2', '(it is not a URL)'],
			['postgres://', '(it starts with "postgres:")']
		] as const) {
			let error: unknown;
			try {
				loadConfig({ STORAGE_URL: url });
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(ConfigError);
			const message = (error as ConfigError).message;
			expect(message).toContain(`STORAGE_URL must be a PostgreSQL URL such as postgres://`);
			expect(message).toContain(why);
			expect(message).not.toContain('hunter2');
		}
	});

	it('turns on cluster mode with BUS_URL, which needs STORAGE_URL and SECRET, and never echoes it', () => {
		const env = { STORAGE_URL: 'postgres://db/boardwalk', BUS_URL: 'redis://:hunter2@bus:6379', SECRET: 's'.repeat(32) };
		const config = loadConfig(env, '/');
		expect(config.cluster).toEqual({ busUrl: env.BUS_URL, settings: { catchUpMs: 1_000, leaseMs: 30_000, processTimeoutMs: 15_000 } });
		expect(config.storage).toMatchObject({ engine: 'postgres', cluster: true });
		expect(loadConfig({ STORAGE_URL: env.STORAGE_URL }, '/').cluster).toBeNull();
		const problems = (bad: Record<string, string>) => {
			try {
				loadConfig(bad, '/');
			} catch (error) {
				return (error as ConfigError).message;
			}
			return '';
		};
		expect(problems({ ...env, BUS_URL: 'amqp://:hunter2@bus' })).toContain('BUS_URL must be a Redis URL such as redis://');
		expect(problems({ ...env, BUS_URL: 'amqp://:hunter2@bus' })).not.toContain('hunter2');
		expect(problems({ BUS_URL: env.BUS_URL, SECRET: env.SECRET })).toContain('BUS_URL needs STORAGE_URL');
		expect(problems({ STORAGE_URL: env.STORAGE_URL, BUS_URL: env.BUS_URL })).toContain('BUS_URL needs SECRET');
		expect(problems({ ...env, CLUSTER_CATCH_UP_MS: '5' })).toContain('CLUSTER_CATCH_UP_MS');
	});
});
