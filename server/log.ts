/** Structured logging: one JSON event a line on stdout (pino). */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
	return pino({ level, base: { app: 'boardwalk' }, timestamp: pino.stdTimeFunctions.isoTime });
}
