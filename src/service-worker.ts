/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/** The offline app shell: keeps this build's files so a reload without a network opens boards from their local copy. */
import { build, files, version } from '$service-worker';
import { appCacheName, BOARD_SHELL_PATH, HOME_PATH, routeRequest, staleCaches } from '$lib/util/app-shell';

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = appCacheName(version);
const ASSETS = new Set([...build, ...files]);
/** A proxy's answers while the server behind it is down: as good as offline. */
const GATEWAY_DOWN = new Set([502, 503, 504]);

worker.addEventListener('install', (event) => {
	// The shells are fetched from this release, so a cached page always matches the cached files it loads.
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll([...ASSETS, HOME_PATH, BOARD_SHELL_PATH]);
			await worker.skipWaiting();
		})()
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const name of staleCaches(await caches.keys(), version)) await caches.delete(name);
			await worker.clients.claim();
		})()
	);
});

worker.addEventListener('fetch', (event) => {
	const route = routeRequest(event.request, worker.location.origin, ASSETS);
	if (route.kind === 'pass') return;
	if (route.kind === 'asset') {
		event.respondWith(fromCacheElseNetwork(event.request));
		return;
	}
	event.respondWith(fromNetworkElseShell(event.request, route.fallback));
});

async function fromCacheElseNetwork(request: Request): Promise<Response> {
	const cached = await (await caches.open(CACHE)).match(request);
	return cached ?? fetch(request);
}

// Pages come from the network whenever it answers: after an upgrade the next reload is the new release.
async function fromNetworkElseShell(request: Request, fallback: string): Promise<Response> {
	try {
		const response = await fetch(request);
		if (!GATEWAY_DOWN.has(response.status)) return response;
		return (await shell(fallback)) ?? response;
	} catch (error) {
		const cached = await shell(fallback);
		if (cached) return cached;
		throw error;
	}
}

async function shell(path: string): Promise<Response | undefined> {
	return (await caches.open(CACHE)).match(path);
}
