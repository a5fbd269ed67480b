/**
 * A board's images in this browser (docs/protocol.md "Images"): loaded from the server with the page's
 * token and kept as decoded pictures and blob URLs; added from files (checked, made smaller when large,
 * kept in IndexedDB until the server has them, uploaded at once or when back online); and what the UI
 * says about it, in words.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { ImageMimeType } from '$lib/board';
import { API_BOARDS_PREFIX } from '$lib/collab/access';
import { reconnectDelayMs } from '$lib/collab/backoff';
import { ImageFileStore } from '$lib/collab/image-store';
import {
	ImageFileError,
	MAX_IMAGE_BYTES,
	UNSUPPORTED_IMAGE_WORDS,
	downscalePlan,
	formatBytes,
	sha256Hex,
	sniffImageType,
	type DownscalePlan
} from '$lib/collab/image-files';
import { UploadQueue, type UploadOutcome } from '$lib/collab/upload-queue';

/** A missing image is asked for again after this long at first, backing off to the most. */
const MISSING_RETRY_BASE_MS = 1_000;
const MISSING_RETRY_MAX_MS = 30_000;
/** Side of the sample drawn to tell whether a picture has transparent pixels. */
const ALPHA_SAMPLE_SIDE_PX = 256;
/** Most redraws tried to bring a picture under the size limit. */
const MAX_DOWNSCALE_ATTEMPTS = 5;

type Picture = HTMLImageElement | ImageBitmap;

/** Where one image stands for drawing (the canvas's `ImageState`, by structure). */
export type ImageLoadState = { state: 'loading' } | { state: 'ready'; image: Picture } | { state: 'missing' };

interface Entry {
	state: ImageLoadState;
	blob?: Blob;
	url?: string;
	waiters: { resolve: (p: Picture) => void; reject: (e: Error) => void }[];
	failures: number;
	timer?: ReturnType<typeof setTimeout>;
}

export interface StoredImage {
	hash: string;
	mime: ImageMimeType;
	width: number;
	height: number;
}

export interface BoardImagesOptions {
	board: string;
	/** The token API calls carry now (the session's). */
	token(): string | null;
	fetch?: typeof fetch;
}

const isOnline = () => typeof navigator === 'undefined' || navigator.onLine;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Words for an upload the server refused, when its answer carries none. */
function refusalWords(status: number): string {
	switch (status) {
		case 413:
			return `That image is too large: the limit is ${formatBytes(MAX_IMAGE_BYTES)} a picture.`;
		case 415:
			return UNSUPPORTED_IMAGE_WORDS;
		case 422:
			return 'That image is too large in pixels, or damaged.';
		case 401:
		case 403:
			return 'Only editors of this board can add images.';
		case 429:
			return 'Too many images at once: the rest upload in a moment.';
		default:
			return `The server could not store the image (${status}).`;
	}
}

export class BoardImages {
	readonly #options: BoardImagesOptions;
	readonly #fetch: typeof fetch;
	readonly #entries = new Map<string, Entry>();
	readonly #listeners = new Set<(hash: string) => void>();
	readonly #files = new ImageFileStore();
	readonly #queue: UploadQueue;
	readonly #uiListeners = new Set<() => void>();
	readonly #subscribe: () => void;
	#problem: string | null = null;
	#adding = 0;
	#destroyed = false;
	readonly #offOnline: () => void;

	constructor(options: BoardImagesOptions) {
		this.#options = options;
		this.#fetch = options.fetch ?? ((...args) => fetch(...args));
		this.#queue = new UploadQueue({
			store: this.#files.pendingFor(options.board),
			upload: (hash) => this.#upload(hash),
			onChange: () => this.#notifyUi()
		});
		void this.#queue.restore();
		void this.#files.prune();
		const online = () => this.retryNow();
		if (typeof window !== 'undefined') window.addEventListener('online', online);
		this.#offOnline = () => typeof window !== 'undefined' && window.removeEventListener('online', online);
		this.#subscribe = createSubscriber((update) => {
			this.#uiListeners.add(update);
			const offline = () => update();
			if (typeof window !== 'undefined') window.addEventListener('offline', offline);
			return () => {
				this.#uiListeners.delete(update);
				if (typeof window !== 'undefined') window.removeEventListener('offline', offline);
			};
		});
	}

	// ── showing ─────────────────────────────────────────────────────────

	/** The image's state for drawing; asking starts loading it. */
	image(hash: string): ImageLoadState {
		return this.#entry(hash).state;
	}

	/** Calls `listener` with each hash whose state changed. */
	onChange(listener: (hash: string) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** A blob: URL for the image once loaded, else null. */
	url(hash: string): string | null {
		const entry = this.#entries.get(hash);
		if (!entry?.blob) return null;
		entry.url ??= URL.createObjectURL(entry.blob);
		return entry.url;
	}

	/** The decoded picture; rejects when it is not available (yet). */
	load(hash: string): Promise<Picture> {
		const entry = this.#entry(hash);
		if (entry.state.state === 'ready') return Promise.resolve(entry.state.image);
		return new Promise((resolve, reject) => entry.waiters.push({ resolve, reject }));
	}

	/** The file's bytes (export, copy): from memory, this browser's copy, or the server. */
	async bytes(hash: string): Promise<Blob> {
		const found = await this.#findBlob(hash);
		if (found instanceof Blob) return found;
		throw new ImageFileError(found === 'missing' ? 'That image is not on the server.' : 'Cannot reach the server right now.');
	}

	/** Tries again now: waiting uploads and missing images (the page is back online). */
	retryNow(): void {
		this.#queue.retryNow();
		for (const [hash, entry] of this.#entries) {
			if (entry.state.state !== 'missing') continue;
			clearTimeout(entry.timer);
			void this.#fetchAndDecode(hash, entry);
		}
		this.#notifyUi();
	}

	#entry(hash: string): Entry {
		let entry = this.#entries.get(hash);
		if (!entry) {
			entry = { state: { state: 'loading' }, waiters: [], failures: 0 };
			this.#entries.set(hash, entry);
			void this.#fetchAndDecode(hash, entry);
		}
		return entry;
	}

	async #fetchAndDecode(hash: string, entry: Entry): Promise<void> {
		const found = await this.#findBlob(hash);
		if (this.#destroyed) return;
		if (found instanceof Blob) {
			try {
				return this.#ready(hash, entry, found, await createImageBitmap(found));
			} catch {
				// Not decodable: shown as missing, like a file the server does not have.
			}
		}
		entry.failures++;
		this.#setState(hash, entry, { state: 'missing' });
		for (const waiter of entry.waiters.splice(0)) waiter.reject(new ImageFileError('That image is not available.'));
		// Someone's upload may still be on its way: asked again, less and less often.
		entry.timer = setTimeout(() => void this.#fetchAndDecode(hash, entry), reconnectDelayMs(entry.failures - 1, Math.random, MISSING_RETRY_BASE_MS, MISSING_RETRY_MAX_MS));
	}

	#ready(hash: string, entry: Entry, blob: Blob, image: Picture): void {
		clearTimeout(entry.timer);
		entry.blob = blob;
		this.#setState(hash, entry, { state: 'ready', image });
		for (const waiter of entry.waiters.splice(0)) waiter.resolve(image);
	}

	#setState(hash: string, entry: Entry, state: ImageLoadState): void {
		entry.state = state;
		for (const listener of this.#listeners) listener(hash);
	}

	/** The bytes: memory, then this browser's copy, then the server ('missing': it has not got them; 'unreachable'). */
	async #findBlob(hash: string): Promise<Blob | 'missing' | 'unreachable'> {
		const known = this.#entries.get(hash)?.blob;
		if (known) return known;
		const kept = await this.#files.getFile(hash).catch(() => null);
		if (kept) return kept;
		try {
			const response = await this.#fetch(this.#url(hash), { headers: this.#auth() });
			if (response.ok) return await response.blob();
			return response.status === 404 ? 'missing' : 'unreachable';
		} catch {
			return 'unreachable';
		}
	}

	#url(hash?: string): string {
		const base = `${API_BOARDS_PREFIX}${encodeURIComponent(this.#options.board)}/images`;
		return hash === undefined ? base : `${base}/${hash}`;
	}

	#auth(): Record<string, string> {
		const token = this.#options.token();
		return token ? { Authorization: `Bearer ${token}` } : {};
	}

	// ── adding ──────────────────────────────────────────────────────────

	/**
	 * Takes a file for this board: checks its type by its bytes, draws a large photo smaller, keeps it in
	 * this browser and uploads it (now, or when back online). Rejects with words for the UI, which it also shows.
	 */
	async add(file: Blob): Promise<StoredImage> {
		this.#adding++;
		this.#notifyUi();
		try {
			const prepared = await prepareImage(file);
			const entry = this.#entries.get(prepared.hash) ?? { state: { state: 'loading' }, waiters: [], failures: 0 };
			this.#entries.set(prepared.hash, entry);
			this.#ready(prepared.hash, entry, prepared.blob, prepared.image);
			await this.#files.putFile(prepared.hash, prepared.blob).catch(() => {});
			const outcome = await this.#queue.add(prepared.hash);
			if (!outcome.ok && !outcome.retry) {
				this.#queue.clearError();
				throw new ImageFileError(outcome.message);
			}
			this.#problem = null;
			return { hash: prepared.hash, mime: prepared.mime, width: prepared.width, height: prepared.height };
		} catch (error) {
			this.#problem = error instanceof ImageFileError ? error.message : 'That image could not be added.';
			throw error instanceof ImageFileError ? error : new ImageFileError(this.#problem);
		} finally {
			this.#adding--;
			this.#notifyUi();
		}
	}

	/** Copied image shapes: their bytes are kept in this browser, where a paste into another board finds them. */
	keepForPaste(hashes: readonly string[]): void {
		for (const hash of hashes) {
			void this.#findBlob(hash).then((blob) => (blob instanceof Blob ? this.#files.putFile(hash, blob) : undefined)).catch(() => {});
		}
	}

	/** Pasted image shapes: this board gets the bytes this browser kept (the server serves a board only its own images). */
	adopt(hashes: readonly string[]): void {
		for (const hash of hashes) {
			void this.#files.getFile(hash).then((blob) => {
				if (!blob || this.#destroyed) return;
				void this.#queue.add(hash);
			});
		}
	}

	async #upload(hash: string): Promise<UploadOutcome> {
		const blob = this.#entries.get(hash)?.blob ?? (await this.#files.getFile(hash).catch(() => null));
		if (!blob) return { ok: false, retry: false, message: 'An image added offline was lost from this browser before it could be uploaded.' };
		if (!isOnline()) return { ok: false, retry: true, message: 'offline' };
		let response: Response;
		try {
			response = await this.#fetch(this.#url(), { method: 'POST', body: blob, headers: { ...this.#auth(), 'Content-Type': blob.type || 'application/octet-stream' } });
		} catch {
			return { ok: false, retry: true, message: 'Cannot reach the server.' };
		}
		let body: unknown = null;
		try {
			body = await response.json();
		} catch {
			// Judged by the status alone.
		}
		if (response.ok) {
			// Everyone else's placeholder fills in at their next try; this tab had it all along.
			return { ok: true };
		}
		const named = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : null;
		const message = named ?? refusalWords(response.status);
		if (response.status === 429) {
			const seconds = Number(response.headers.get('Retry-After'));
			return { ok: false, retry: true, message, retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined };
		}
		if (response.status >= 500 || response.status === 408) return { ok: false, retry: true, message };
		return { ok: false, retry: false, message };
	}

	// ── status ──────────────────────────────────────────────────────────

	/** What the UI says about images now, or null: uploads under way or waiting, in words. */
	get message(): string | null {
		this.#subscribe();
		const { pending, waiting } = this.#queue.status;
		if (this.#adding > 0 && pending === 0) return 'Preparing image…';
		if (pending === 0) return null;
		if (waiting > 0 && !isOnline()) return `${plural(waiting, 'image')} waiting to upload: kept on this device until you are back online.`;
		if (waiting > 0) return `${plural(waiting, 'image')} waiting to upload: trying again shortly.`;
		return `Uploading ${plural(pending, 'image')}…`;
	}

	/** The last image that could not be added or uploaded, in words, until dismissed. */
	get error(): string | null {
		this.#subscribe();
		return this.#problem ?? this.#queue.status.error;
	}

	/** Uploads this board still owes the server. */
	get pendingUploads(): number {
		this.#subscribe();
		return this.#queue.status.pending;
	}

	dismissError(): void {
		this.#problem = null;
		this.#queue.clearError();
		this.#notifyUi();
	}

	#notifyUi(): void {
		for (const listener of this.#uiListeners) listener();
	}

	destroy(): void {
		this.#destroyed = true;
		this.#offOnline();
		this.#queue.destroy();
		for (const entry of this.#entries.values()) {
			clearTimeout(entry.timer);
			if (entry.url) URL.revokeObjectURL(entry.url);
		}
		this.#listeners.clear();
		this.#uiListeners.clear();
		void this.#files.close();
	}
}

/** A file checked and made ready for upload: its final bytes, type, size and hash, and the decoded picture. */
interface PreparedImage {
	blob: Blob;
	mime: ImageMimeType;
	width: number;
	height: number;
	hash: string;
	image: ImageBitmap;
}

async function prepareImage(file: Blob): Promise<PreparedImage> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	const sniffed = sniffImageType(bytes.subarray(0, 16));
	if (!sniffed) throw new ImageFileError(UNSUPPORTED_IMAGE_WORDS);
	let image: ImageBitmap;
	try {
		image = await createImageBitmap(new Blob([bytes], { type: sniffed }));
	} catch {
		throw new ImageFileError('That image could not be read: the file may be damaged.');
	}
	let blob = new Blob([bytes], { type: sniffed });
	let mime: ImageMimeType = sniffed;
	let { width, height } = image;
	const transparent = sniffed !== 'image/jpeg' && downscalePlan({ width, height, bytes: blob.size, mime: sniffed, transparent: true }) !== null && hasTransparency(image);
	for (let attempt = 0; attempt < MAX_DOWNSCALE_ATTEMPTS; attempt++) {
		const plan = downscalePlan({ width: image.width, height: image.height, bytes: bytes.length, mime: sniffed, transparent }, MAX_IMAGE_BYTES, attempt);
		if (!plan) break;
		blob = await redraw(image, plan);
		// A browser that cannot encode the type gives PNG: the blob says what it is.
		mime = (blob.type as ImageMimeType) || plan.type;
		({ width, height } = plan);
		if (blob.size <= MAX_IMAGE_BYTES) break;
	}
	if (blob.size > MAX_IMAGE_BYTES) {
		throw new ImageFileError(`That image is too large (${formatBytes(blob.size)}): the limit is ${formatBytes(MAX_IMAGE_BYTES)} a picture.`);
	}
	if (blob !== null && (width !== image.width || height !== image.height || mime !== sniffed)) {
		image.close();
		image = await createImageBitmap(blob);
	}
	const hash = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
	return { blob, mime, width, height, hash, image };
}

function canvasOf(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
	if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	return canvas;
}

/** Whether any pixel of a small copy of the picture is not fully opaque. */
function hasTransparency(image: ImageBitmap): boolean {
	const scale = Math.min(1, ALPHA_SAMPLE_SIDE_PX / Math.max(image.width, image.height));
	const w = Math.max(1, Math.round(image.width * scale));
	const h = Math.max(1, Math.round(image.height * scale));
	const ctx = canvasOf(w, h).getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
	if (!ctx) return true;
	ctx.drawImage(image, 0, 0, w, h);
	const data = ctx.getImageData(0, 0, w, h).data;
	for (let i = 3; i < data.length; i += 4) if (data[i]! < 255) return true;
	return false;
}

/** The picture drawn at the plan's size and encoded as its type. */
async function redraw(image: ImageBitmap, plan: DownscalePlan): Promise<Blob> {
	const canvas = canvasOf(plan.width, plan.height);
	const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
	if (!ctx) throw new ImageFileError('This browser cannot make the image smaller to upload it.');
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(image, 0, 0, plan.width, plan.height);
	if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: plan.type, quality: plan.quality });
	return new Promise((resolve, reject) =>
		canvas.toBlob((b) => (b ? resolve(b) : reject(new ImageFileError('The image could not be made smaller.'))), plan.type, plan.quality)
	);
}
