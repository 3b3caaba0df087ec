// How busy this thread's event loop has been: the cumulative time it spent running callbacks
// and waiting for events (Node's `performance.eventLoopUtilization()`), reported with the stats
// of the conferences it runs. busy / (busy + idle) between two readings is the loop's
// utilisation: it reaches 1 when a media thread runs out of CPU with short turns, as an
// overloaded focus does (docs/performance.md, "Event-loop utilisation and the data channel's
// timer at saturation").
import { performance } from "node:perf_hooks";

/** Cumulative busy and idle time of an event loop, ms. */
export interface LoopTimes {
  active: number;
  idle: number;
}

export function readLoopTimes(): LoopTimes {
  const { active, idle } = performance.eventLoopUtilization();
  return { active, idle };
}
