// What a worker is started with, where its log lines go, and how input that reaches no worker
// is logged.
import { pino } from "pino";
import type { Logger, LogLevel } from "../observability/logger.ts";
import type { ConferenceWorkersOptions } from "./ConferenceWorkers.ts";
import { workerDefaults } from "./defaults.ts";
import type { WorkerSetup } from "./messages.ts";

/** How input that reaches no worker is logged. */
export const notRouted = {
  unplaced: ["debug", "input for a conference without calls ignored"],
  lost: ["info", "input for a conference whose worker stopped ignored; its devices call again"],
  none: ["warn", "no conference worker is running; input dropped"],
} as const;

/** What worker `index` is started with. */
export function workerSetup(
  o: ConferenceWorkersOptions,
  index: number,
  logLevel: LogLevel,
  portRange: [number, number] | undefined,
  verdictBuffer: SharedArrayBuffer,
): WorkerSetup {
  const { focus, media, keepAlive, limits, negotiation, linkInviteLifetimeMs } = o;
  return {
    index,
    logLevel,
    manager: {
      focus,
      media: { ...media, ...(portRange ? { portRange } : {}) },
      ...(keepAlive ? { keepAlive } : {}),
      ...(limits ? { limits } : {}),
      ...(negotiation ? { negotiation } : {}),
      ...(linkInviteLifetimeMs !== undefined ? { linkInviteLifetimeMs } : {}),
    },
    askLinks: o.linkRequested !== undefined,
    verdictBuffer,
    linkVerdictTimeoutMs: workerDefaults.linkVerdictTimeoutMs,
    snapshotIntervalMs: workerDefaults.snapshotIntervalMs,
  };
}

/** Where worker log lines are written: the destination of the focus's logger (else stdout). */
export function logDestination(log: Logger): { write(line: string): unknown } {
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return typeof (stream as { write?: unknown } | undefined)?.write === "function"
    ? (stream as { write(line: string): unknown })
    : process.stdout;
}
