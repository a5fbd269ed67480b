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

	it('reads the limits, with their defaults', () => {
		expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
		const limits = loadConfig({
			MAX_BOARD_BYTES: String(2 * 1024 * 1024),
			MAX_CONNECTIONS_PER_ADDRESS: '8',
			NEW_BOARDS_PER_MINUTE: '5',
			CONNECTION_MESSAGES_PER_SECOND: '50',
			CONNECTION_BYTES_PER_SECOND: '100000'
		}).limits;
		expect(limits).toEqual({ maxBoardBytes: 2 * 1024 * 1024, maxConnectionsPerAddress: 8, newBoardsPerMinute: 5, messagesPerSecond: 50, bytesPerSecond: 100000 });
		expect(() => loadConfig({ MAX_BOARD_BYTES: '10', MAX_CONNECTIONS_PER_ADDRESS: '0' })).toThrow(/MAX_BOARD_BYTES="10"[\s\S]*MAX_CONNECTIONS_PER_ADDRESS="0"/);
	});
});
