// Every default of the conference workers (one media worker thread per core), in one place.

export const workerDefaults = {
  /**
   * How often each worker posts a snapshot of its conferences (stats, dump, links) besides the
   * one it posts once it has handled new input, ms. Synchronous reads on the main thread are at
   * most this old for media counters, and usually much fresher for calls and conferences. Well
   * under the shortest scrape interval, so that bitrates measured between two scrapes (metrics,
   * link metrics) see two different snapshots.
   */
  snapshotIntervalMs: 250,
  /**
   * A conference placed on a worker whose input never started a conference there (e.g. stray
   * candidates) is forgotten after this long, ms (longer than the early-candidates TTL, so the
   * invite that follows its candidates still lands on the same worker).
   */
  forgetUnseenMs: 30_000,
  /** Conferences lost with a crashed worker are remembered this long to explain dropped input, ms. */
  lostMemoryMs: 5 * 60_000,
  /** First delay before a crashed worker is replaced, ms; doubles while replacements crash. */
  restartInitialMs: 500,
  /** Longest delay before a crashed worker is replaced, ms. */
  restartMaxMs: 30_000,
  /** A worker has this long to start (load werift, build its conference layer), ms. */
  startTimeoutMs: 30_000,
  /** A worker has this long to hang up its calls when the focus stops, then it is terminated, ms. */
  closeTimeoutMs: 5_000,
  /** A worker waits this long for the main thread's verdict on m.call.connect_to_focus, ms. */
  linkVerdictTimeoutMs: 2_000,
} as const;
