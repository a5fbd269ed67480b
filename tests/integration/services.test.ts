// The test services start fresh, answer on their URL, and are gone (server and folder) after stop().
import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startPostgres, startRedis } from '../helpers/services.ts';

/** Whether anything accepts a TCP connection on the URL's port (a stopped server must not). */
function accepts(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect(Number(port), hostname);
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});
}

describe('test services', () => {
	it('starts PostgreSQL and Redis on free loopback ports, answers SELECT 1 and PING, and stops them', async () => {
		const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
		try {
			expect(postgres.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/boardwalk$/);
			expect(new URL(postgres.url).port).not.toBe('5432');
			expect(new URL(redis.url).port).not.toBe('6379');
			const client = new pg.Client({ connectionString: postgres.url });
			await client.connect();
			expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
			await client.end();
			const redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
			await redisClient.connect();
			expect(await redisClient.ping()).toBe('PONG');
			redisClient.disconnect();
		} finally {
			await Promise.all([postgres.stop(), redis.stop()]);
		}
		expect(await accepts(postgres.url)).toBe(false);
		expect(await accepts(redis.url)).toBe(false);
	}, 60_000);
});
