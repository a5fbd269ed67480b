import { defineConfig } from '@playwright/test';

// Debian's chromium by default; `npm test` sets CHROMIUM_PATH to whichever it found or installed.
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: 'list',
	use: {
		browserName: 'chromium',
		launchOptions: { executablePath },
		viewport: { width: 1280, height: 800 },
		// As in fixtures.ts: the service worker is tested on its own (offline-shell.e2e.ts).
		serviceWorkers: 'block',
		trace: 'off'
	}
});
