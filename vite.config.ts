import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { boardwalkDevServer } from './server/dev-plugin.ts';
import { lib0ShortStrings } from './scripts/lib0-short-strings.ts';

export default defineConfig({
	plugins: [lib0ShortStrings(), sveltekit(), boardwalkDevServer()],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'bench/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 60_000
	}
});
