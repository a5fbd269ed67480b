/**
 * The reference y-websocket server (@y/websocket-server 0.1.1, the last release that runs on yjs 13),
 * started as its README says (`HOST=… PORT=… npx y-websocket`): this runs the same bin file, and only
 * adds an exit on SIGTERM so `--cpu-prof` can write its profile. No YPERSISTENCE: it keeps docs in memory.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('@y/websocket-server/package.json');
const manifest = require(manifestPath) as { bin: Record<string, string> };
const bin = path.join(path.dirname(manifestPath), manifest.bin['y-websocket']!);
await import(pathToFileURL(bin).href);
