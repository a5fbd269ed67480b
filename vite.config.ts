import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { boardwalkDevServer } from './vite-plugins/dev-server.ts';
import { lib0ShortStrings } from './vite-plugins/lib0-short-strings/plugin.ts';

export default defineConfig({
	plugins: [lib0ShortStrings(), sveltekit(), boardwalkDevServer()],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'vite-plugins/**/*.test.ts', 'tests/architecture/**/*.test.ts', 'tests/integration/**/*.test.ts', 'bench/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 60_000
	}
});
