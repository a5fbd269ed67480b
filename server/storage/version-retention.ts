/** Which stored versions the retention rule drops: pure, so every engine applies the same rule to what it read in its transaction. */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface RetentionPolicy {
	/** Every unnamed version younger than this is kept (HISTORY_KEEP_ALL_HOURS). */
	keepAllMs: number;
	/** Then, up to this age, the newest unnamed version of each hour (HISTORY_KEEP_HOURLY_DAYS); older: the newest of each day. */
	keepHourlyMs: number;
	/** The board's versions together (named ones included) stay under this: the oldest unnamed ones go first (HISTORY_MAX_BOARD_BYTES). */
	maxBoardBytes: number;
}

/** What the rule needs of a version. */
export interface RetainedVersion {
	id: string;
	createdAt: number;
	/** Named versions are kept until someone deletes them. */
	name: string | null;
	bytes: number;
}

/**
 * The ids to delete: unnamed versions younger than keepAllMs stay; from there to keepHourlyMs, the newest
 * of each clock hour; older, the newest of each (UTC) day. Then, while the board's versions add up to more
 * than maxBoardBytes, the oldest unnamed ones (never the newest version of all).
 */
export function versionsToThin(versions: readonly RetainedVersion[], now: number, policy: RetentionPolicy): string[] {
	const newestFirst = [...versions].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
	const dropped = new Set<string>();
	const seenBuckets = new Set<string>();
	for (const version of newestFirst) {
		if (version.name !== null) continue;
		const age = now - version.createdAt;
		if (age < policy.keepAllMs) continue;
		const bucket = age < policy.keepHourlyMs ? `h${Math.floor(version.createdAt / HOUR_MS)}` : `d${Math.floor(version.createdAt / DAY_MS)}`;
		if (seenBuckets.has(bucket)) dropped.add(version.id);
		else seenBuckets.add(bucket);
	}
	let total = 0;
	for (const version of newestFirst) if (!dropped.has(version.id)) total += version.bytes;
	for (let i = newestFirst.length - 1; i > 0 && total > policy.maxBoardBytes; i--) {
		const version = newestFirst[i]!;
		if (version.name !== null || dropped.has(version.id)) continue;
		dropped.add(version.id);
		total -= version.bytes;
	}
	return [...dropped];
}
