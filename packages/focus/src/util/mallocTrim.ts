// malloc's free pages given back to the system every so often (docs/decisions/perf-memory.md).
// Node's UDP receive allocates 64 KiB per datagram with malloc and shrinks it to the datagram's
// size once read, and the join of a call allocates its negotiation state the same way; the
// chunks freed later lie between chunks still in use, and glibc's free() returns only the top
// of a heap. So a focus keeps the malloc heap of its largest join burst: in the benchmark's
// call of 10, 25-39 MiB of it, which malloc_trim(0) (the native addon) brought back to 12-19.
// Where the addon is absent or the C library is not glibc, nothing is trimmed.
import { nativeSrtp } from "../media/webrtc/nativeSrtp.ts";
import { type Clock, systemClock } from "./Clock.ts";

export interface MallocTrimResult {
  /** How much smaller the process's resident set became, in bytes (0 when it did not). */
  releasedBytes: number;
  /** How long the trim took. */
  ms: number;
}

export interface MallocTrimmerOptions {
  intervalMs: number;
  clock: Clock;
  /** malloc_trim(0): 1 if memory was released. */
  trim: () => number;
  /** The resident set size in bytes (process.memoryUsage.rss). */
  rss?: () => number;
  now?: () => number;
  onTrim?: (result: MallocTrimResult) => void;
}

/** Calls `trim` every `intervalMs` and reports what each call gave back and took. */
export class MallocTrimmer {
  readonly #o: MallocTrimmerOptions;
  readonly #rss: () => number;
  readonly #now: () => number;
  readonly #timer;

  constructor(o: MallocTrimmerOptions) {
    this.#o = o;
    this.#rss = o.rss ?? process.memoryUsage.rss;
    this.#now = o.now ?? (() => performance.now());
    this.#timer = o.clock.setInterval(() => this.trimNow(), o.intervalMs);
  }

  trimNow(): MallocTrimResult {
    const before = this.#rss();
    const t = this.#now();
    this.#o.trim();
    const result = { releasedBytes: Math.max(0, before - this.#rss()), ms: this.#now() - t };
    this.#o.onTrim?.(result);
    return result;
  }

  stop(): void {
    this.#o.clock.clearInterval(this.#timer);
  }
}

/** A trim that took longer than this is logged as a warning. */
export const SLOW_TRIM_MS = 20;

/**
 * Logs each trim at debug level, or as a warning when it took long: a trim holds each malloc
 * arena's lock while it walks it, so a media thread that allocates meanwhile waits.
 */
export function logTrim(log: {
  debug(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}): (result: MallocTrimResult) => void {
  return ({ releasedBytes, ms }) => {
    const fields = { releasedMiB: +(releasedBytes / 2 ** 20).toFixed(2), ms: +ms.toFixed(2) };
    if (ms > SLOW_TRIM_MS)
      log.warn(fields, "malloc trim took long (mallocTrimIntervalMs 0 turns it off)");
    else log.debug(fields, "malloc trimmed");
  };
}

/** Starts trimming with the native addon every `intervalMs` (0: never), or says why not. */
export function startMallocTrim(
  intervalMs: number,
  onTrim?: (result: MallocTrimResult) => void,
): { trimmer?: MallocTrimmer; skipped?: string } {
  if (intervalMs <= 0) return { skipped: "turned off (mallocTrimIntervalMs 0)" };
  const trim = nativeSrtp()?.trimMalloc;
  if (trim === undefined) return { skipped: "no native addon with trimMalloc" };
  return { trimmer: new MallocTrimmer({ intervalMs, clock: systemClock, trim, onTrim }) };
}
