// Adding up the figures of several workers: gauges and counters are both sums.
import type { FocusStats } from "../conference/FocusStats.ts";
import { type MediaCounters, newMediaCounters } from "../media/MediaCounters.ts";

export function emptyStats(): FocusStats {
  return {
    conferences: 0,
    conferenceParts: 0,
    participants: 0,
    publishedTracks: 0,
    subscriptions: 0,
    loopActiveMs: 0,
    loopIdleMs: 0,
    ...newMediaCounters(),
  };
}

/** The sum of every field. */
export function sumStats(all: readonly FocusStats[]): FocusStats {
  const total = emptyStats();
  for (const s of all) {
    for (const k of Object.keys(total) as (keyof FocusStats)[]) total[k] += s[k] ?? 0;
  }
  return total;
}

/** Adds the media counters of `from` to `to`. */
export function addCounters(to: MediaCounters, from: MediaCounters): void {
  for (const k of Object.keys(newMediaCounters()) as (keyof MediaCounters)[]) to[k] += from[k] ?? 0;
}
