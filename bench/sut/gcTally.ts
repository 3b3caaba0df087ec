// Garbage collections of the focus host over a measurement window: count and pause time by
// kind, the longest pause and how many exceeded 5 ms. Used by the opt-in memory and event-loop
// reports (memoryReport.ts, loopReport.ts).
import { constants, PerformanceObserver } from "node:perf_hooks";

export interface GcFigures {
  counts: Record<string, number>;
  ms: Record<string, number>;
  maxMs: number;
  over5Ms: number;
}

/** No collection yet. */
export function noGc(): GcFigures {
  return { counts: {}, ms: {}, maxMs: 0, over5Ms: 0 };
}

function kindName(kind: number | undefined): string {
  if (kind === constants.NODE_PERFORMANCE_GC_MINOR) return "minor";
  if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) return "major";
  if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) return "incremental";
  return "other";
}

/** Garbage collections since the last reset, from the moment it is made until stop(). */
export class GcTally {
  #f: GcFigures = noGc();
  readonly #observer = new PerformanceObserver((list) => {
    const f = this.#f;
    for (const e of list.getEntries()) {
      const name = kindName((e as unknown as { detail?: { kind?: number } }).detail?.kind);
      f.counts[name] = (f.counts[name] ?? 0) + 1;
      f.ms[name] = Math.round(((f.ms[name] ?? 0) + e.duration) * 100) / 100;
      f.maxMs = Math.max(f.maxMs, e.duration);
      if (e.duration > 5) f.over5Ms++;
    }
  });

  constructor() {
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  reset(): void {
    this.#f = noGc();
  }

  stop(): GcFigures {
    this.#observer.disconnect();
    return this.#f;
  }
}
