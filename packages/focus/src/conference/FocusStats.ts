import type { MediaCounters } from "../media/MediaCounters.ts";

/** Counters (cumulative since start) and gauges (current) of a focus, for Prometheus. */
export interface FocusStats extends MediaCounters {
  /** gauge */
  conferences: number;
  /** gauge */
  participants: number;
  /** gauge: incoming tracks (one per publication, all layers together) */
  publishedTracks: number;
  /** gauge */
  subscriptions: number;
}
