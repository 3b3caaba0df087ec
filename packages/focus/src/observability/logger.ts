// Structured logs with pino: one root logger per focus and a named child per area
// ("matrix", "sync", "auth", "inbox", "conference", "http"), so that every line says where it
// came from. Level rubric: docs/focus.md#logging.
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout when absent. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. the focus's user and device. */
  base?: Record<string, unknown>;
}

export function createLogger(o: LoggerOptions): Logger {
  const options = { level: o.level, base: o.base ?? {} };
  return o.destination === undefined ? pino(options) : pino(options, o.destination);
}

/** A child logger for one area of the focus. */
export function areaLogger(root: Logger, area: string): Logger {
  return root.child({ area });
}
