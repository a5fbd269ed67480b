/**
 * The image collector: every IMAGE_GC_INTERVAL_MS it removes each board's images that its shapes have
 * not referenced for IMAGE_GC_GRACE_DAYS (so undo and history keep finding their pictures), then the
 * bytes no board has. Rooms record what they reference when they compact or unload (Room.recordImageRefs).
 *
 * On a cluster every process runs it: its statements are idempotent (ImageStorage), so two processes
 * collecting at once delete the same rows, and the second finds nothing left.
 */
import type { Logger } from '../log.ts';
import type { ImageStorage } from './types.ts';

export interface ImageGcSettings {
	/** How long an image stays after the last shape showing it is gone. */
	graceMs: number;
	/** How often the collector runs; 0: never (an operator runs none, or tests call run()). */
	intervalMs: number;
}

/** README "Configuration": IMAGE_GC_GRACE_DAYS, IMAGE_GC_INTERVAL_MS. */
export const DEFAULT_IMAGE_GC: Readonly<ImageGcSettings> = Object.freeze({
	graceMs: 30 * 24 * 60 * 60 * 1000,
	intervalMs: 60 * 60 * 1000
});

export class ImageCollector {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<void> | null = null;

	constructor(
		private readonly storage: Pick<ImageStorage, 'collectImages'>,
		private readonly settings: ImageGcSettings,
		private readonly log: Logger
	) {}

	/** Runs every intervalMs from now on (a timer that keeps no process alive). */
	start(): void {
		if (this.settings.intervalMs <= 0 || this.timer) return;
		this.timer = setInterval(() => void this.run(), this.settings.intervalMs);
		this.timer.unref();
	}

	/** One collection, as of `now` (ms since the epoch); a failure is logged, and the next run tries again. */
	run(now = Date.now()): Promise<void> {
		this.running ??= this.collect(now).finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async collect(now: number): Promise<void> {
		try {
			const removed = await this.storage.collectImages(now - this.settings.graceMs);
			if (removed.boardImages > 0 || removed.images > 0) this.log.info(removed, 'image collector removed unreferenced images');
		} catch (error) {
			this.log.error({ err: error }, 'image collection failed; it runs again at the next interval');
		}
	}

	/** Stops the timer and waits for a run under way (storage closes next). */
	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running;
	}
}
