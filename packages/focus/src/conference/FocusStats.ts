import type { MediaCounters } from "../media/MediaCounters.ts";

/** Counters (cumulative since start) and gauges (current) of a focus, for Prometheus. */
export interface FocusStats extends MediaCounters {
  /** gauge */
  conferences: number;
  /** gauge: conferences counted per worker serving a part of them (a spread one counts per part) */
  conferenceParts: number;
  /** gauge */
  participants: number;
  /** gauge: incoming tracks (one per publication, all layers together) */
  publishedTracks: number;
  /** gauge */
  subscriptions: number;
  /** counter: ms the media threads' event loops spent running callbacks */
  loopActiveMs: number;
  /** counter: ms the media threads' event loops spent waiting for events */
  loopIdleMs: number;
}
