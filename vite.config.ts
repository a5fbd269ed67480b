import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { boardwalkDevServer } from './server/dev-plugin.ts';

export default defineConfig({
	plugins: [sveltekit(), boardwalkDevServer()],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'bench/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 60_000
	}
});
