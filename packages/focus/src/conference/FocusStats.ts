/** Counters (cumulative since start) and gauges (current) of a focus, for Prometheus. */
export interface FocusStats {
  /** gauge */
  conferences: number;
  /** gauge */
  participants: number;
  /** gauge: incoming tracks (one per publication, all layers together) */
  publishedTracks: number;
  /** gauge */
  subscriptions: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  nacksReceived: number;
  nacksSent: number;
  plisSent: number;
  layerSwitches: number;
  keyframesRequested: number;
}

/** The cumulative counters, shared by every object of one focus. */
export type MediaCounters = Omit<
  FocusStats,
  "conferences" | "participants" | "publishedTracks" | "subscriptions"
>;

export function newMediaCounters(): MediaCounters {
  return {
    packetsIn: 0,
    packetsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    nacksReceived: 0,
    nacksSent: 0,
    plisSent: 0,
    layerSwitches: 0,
    keyframesRequested: 0,
  };
}
