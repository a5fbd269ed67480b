// `npm test`: every suite (vitest unit + integration, Playwright e2e), then one closing line totalling them: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium } from './find-chromium.mjs';

const root = path.resolve(import.meta.dirname, '..');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boardwalk-results-'));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let runnerFailed = false;

function run(command, args, env = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	if (result.status !== 0) runnerFailed = true;
	return result.status;
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

// 1. vitest: unit tests of the board model and server, integration tests against real servers.
const vitestJson = path.join(outDir, 'vitest.json');
run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const vitest = readJson(vitestJson);
if (vitest) {
	totals.passed += vitest.numPassedTests;
	totals.failed += vitest.numFailedTests;
	totals.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
} else {
	console.error('vitest wrote no results');
	totals.failed += 1;
}

// 2. Playwright: the built app in a real Chromium.
let chromium = null;
try {
	chromium = await findChromium();
} catch (error) {
	console.error(String(error.message ?? error));
	runnerFailed = true;
}
if (chromium) {
	run(process.execPath, [path.join(root, 'scripts/ensure-build.mjs')]);
	const playwrightJson = path.join(outDir, 'playwright.json');
	run(bin('playwright'), ['test', '--reporter=list,json'], { CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
	const stats = readJson(playwrightJson)?.stats;
	if (stats) {
		totals.passed += stats.expected + stats.flaky;
		totals.failed += stats.unexpected;
		totals.skipped += stats.skipped;
		if (stats.flaky > 0) console.error(`${stats.flaky} Playwright test(s) passed only on retry: flaky is broken, fix the cause.`);
	} else {
		console.error('Playwright wrote no results');
		totals.failed += 1;
	}
}

fs.rmSync(outDir, { recursive: true, force: true });
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(runnerFailed || totals.failed > 0 ? 1 : 0);
