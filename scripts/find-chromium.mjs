// Finds a Chromium for Playwright: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own; as root, installs Debian's.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const isExecutable = (file) => {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
};

async function playwrightsOwn() {
	try {
		const { chromium } = await import('@playwright/test');
		const file = chromium.executablePath();
		return file && isExecutable(file) ? file : null;
	} catch {
		return null;
	}
}

/** Returns the path of a usable Chromium, installing Debian's package when none is found and we are root. */
export async function findChromium() {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
	for (const file of candidates) if (isExecutable(file)) return file;
	const own = await playwrightsOwn();
	if (own) return own;
	if (process.getuid?.() === 0) {
		console.log('No Chromium found: installing Debian\'s chromium package (apt-get)…');
		execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
		if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
	}
	throw new Error(
		'No Chromium found. Set CHROMIUM_PATH, install Debian\'s chromium (apt-get install chromium), or run `npx playwright install chromium`.'
	);
}
