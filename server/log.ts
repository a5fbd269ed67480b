/** Structured logging: one JSON event a line on stdout (pino), warnings rate-limited per kind (log-limiter.ts). */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.ts';
import { LogLimiter } from './log-limiter.ts';

export type { Logger };

const WARN = 40;

/**
 * Every warning goes through one LogLimiter keyed by its message: warnings are what clients can
 * trigger (bad frames, refused presence, refused connections), errors and info are the server's own.
 * `destination` is stdout unless a test gives a stream.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
	const summaries = new WeakSet<object>();
	let root: Logger | null = null;
	const limiter = new LogLimiter((kind, suppressed) => {
		const summary = { kind, suppressed };
		summaries.add(summary);
		root?.warn(summary, `suppressed ${suppressed} more "${kind}" warnings`);
	});
	const options = {
		level,
		base: { app: 'boardwalk' },
		timestamp: pino.stdTimeFunctions.isoTime,
		hooks: {
			logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void, methodLevel: number) {
				if (methodLevel === WARN && !summaries.has(args[0] as object)) {
					const kind = typeof args[0] === 'string' ? args[0] : String(args[1]);
					if (!limiter.admit(kind)) return;
				}
				method.apply(this, args);
			}
		}
	};
	root = destination ? pino(options, destination) : pino(options);
	return root;
}
