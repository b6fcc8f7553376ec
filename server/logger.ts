/**
 * Structured logging (pino). One root logger per server; modules take a child with their name.
 *
 * LOG_LEVEL sets the level (default "info"; tests pass "silent").
 */
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ level, base: null, timestamp: pino.stdTimeFunctions.isoTime });
}
