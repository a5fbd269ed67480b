/** Latency histograms (mergeable across processes), medians and ratio formatting. */

/** Buckets grow by 1%: every percentile is exact to within 1%. */
const GROWTH = 1.01;
const MIN_MS = 0.001;
const BUCKETS = Math.ceil(Math.log(1_000_000 / MIN_MS) / Math.log(GROWTH)) + 1;

/** Serialised form sent over IPC: non-empty buckets only. */
export interface HistogramData {
	buckets: Array<[index: number, count: number]>;
	count: number;
	maxMs: number;
}

export class Histogram {
	private counts = new Uint32Array(BUCKETS);
	count = 0;
	maxMs = 0;

	record(ms: number): void {
		const index = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
		this.counts[index]!++;
		this.count++;
		if (ms > this.maxMs) this.maxMs = ms;
	}

	reset(): void {
		this.counts.fill(0);
		this.count = 0;
		this.maxMs = 0;
	}

	toData(): HistogramData {
		const buckets: Array<[number, number]> = [];
		this.counts.forEach((count, index) => {
			if (count > 0) buckets.push([index, count]);
		});
		return { buckets, count: this.count, maxMs: this.maxMs };
	}

	static merge(parts: readonly HistogramData[]): Histogram {
		const merged = new Histogram();
		for (const part of parts) {
			for (const [index, count] of part.buckets) merged.counts[index]! += count;
			merged.count += part.count;
			merged.maxMs = Math.max(merged.maxMs, part.maxMs);
		}
		return merged;
	}

	/** The value below which `p` (0..1) of the samples lie (the bucket's upper bound); NaN when empty. */
	percentile(p: number): number {
		if (this.count === 0) return Number.NaN;
		const rank = Math.max(1, Math.ceil(p * this.count));
		let seen = 0;
		for (let index = 0; index < BUCKETS; index++) {
			seen += this.counts[index]!;
			if (seen >= rank) return Math.min(this.maxMs, MIN_MS * GROWTH ** index);
		}
		return this.maxMs;
	}
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "1.23×" (value / baseline), or "n/a" when either is missing. */
export function ratio(value: number, baseline: number): string {
	if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline <= 0) return 'n/a';
	return `${(value / baseline).toFixed(2)}×`;
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
	if (!Number.isFinite(value)) return 'n/a';
	if (value < 10) return value.toFixed(2);
	if (value < 100) return value.toFixed(1);
	return Math.round(value).toString();
}

export function kib(bytes: number): string {
	return Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : 'n/a';
}

export function mib(bytes: number): string {
	return Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(1) : 'n/a';
}

/** Nearest-rank percentile (`p` in 0..1) of a small sample; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
