/** One connection's allowance of frames and bytes (Limits): two token buckets kept in one small object, read with one clock call per frame. */
import { ABUSE_BURSTS, BYTE_BURST_SECONDS, MESSAGE_BURST_SECONDS, type Limits } from './limits.ts';
import type { Clock } from './token-bucket.ts';

/** Whole milliseconds are enough for a budget, and Date.now() costs a fraction of performance.now(). */
const systemClock: Clock = Date.now;

/**
 * Every frame is charged as it is read, even into debt (a frame that was read must be handled); the
 * socket server then pauses reading until the debt is paid. One object with three numbers per
 * connection: every idle connection holds one (bench/JOURNAL.md, "Memory per room").
 */
export class ConnectionBudget {
	private messages: number;
	private bytes: number;
	private updatedAt: number;

	constructor(
		private readonly limits: Pick<Limits, 'messagesPerSecond' | 'bytesPerSecond'>,
		private readonly now: Clock = systemClock
	) {
		this.messages = limits.messagesPerSecond * MESSAGE_BURST_SECONDS;
		this.bytes = limits.bytesPerSecond * BYTE_BURST_SECONDS;
		this.updatedAt = now();
	}

	/** Charges `frames` frames of `bytes` bytes in all; returns 0 when nothing is owed, else the milliseconds until the debt is paid. */
	charge(frames: number, bytes: number): number {
		const { messagesPerSecond, bytesPerSecond } = this.limits;
		const now = this.now();
		// A wall clock set back must not take tokens away.
		const seconds = Math.max(0, now - this.updatedAt) / 1000;
		this.updatedAt = now;
		this.messages = Math.min(messagesPerSecond * MESSAGE_BURST_SECONDS, this.messages + seconds * messagesPerSecond) - frames;
		this.bytes = Math.min(bytesPerSecond * BYTE_BURST_SECONDS, this.bytes + seconds * bytesPerSecond) - bytes;
		if (this.messages >= 0 && this.bytes >= 0) return 0;
		return Math.ceil(Math.max(-this.messages / messagesPerSecond, -this.bytes / bytesPerSecond) * 1000);
	}

	/** Whether the debt passed ABUSE_BURSTS bursts: the client kept sending at full speed while it should have waited. */
	get abusive(): boolean {
		const { messagesPerSecond, bytesPerSecond } = this.limits;
		return -this.messages > messagesPerSecond * MESSAGE_BURST_SECONDS * ABUSE_BURSTS || -this.bytes > bytesPerSecond * BYTE_BURST_SECONDS * ABUSE_BURSTS;
	}
}
