// werift keeps each received stream's statistics (RFC 3550 A.3 counts, A.8 jitter) in a
// `StreamStatistics` object, from which its receiver reports to the publisher are written.
// Its `add` turns the arrival time into an integer through a string (`Number.parseInt`),
// reads `performance.timeOrigin` (a getter that allocates) and asks the header for its
// serialized size, which walks the header-extension list (and throws for an extension block
// of an unknown profile when that list is empty, as the intercept leaves it). `countReceived`
// makes the same changes to the same object for a packet the intercept delivered
// (rtpIntercept.ts), with the header's length as it arrived.

import { wallClockMs } from "./wallClock.ts";

/** The fields of werift's StreamStatistics this file updates (untyped internals). */
export interface StreamStatisticsLike {
  base_seq?: number;
  max_seq?: number;
  cycles: number;
  packets_received: number;
  bytesReceived: number;
  headerBytesReceived: number;
  lastPacketReceivedTimestamp?: number;
  clockRate: number;
  jitter_q4: number;
  last_arrival?: number;
  last_timestamp?: number;
}

/** RFC 1982 comparison of 16-bit sequence numbers, as werift's `uint16Gt`. */
function seqAfter(a: number, b: number): boolean {
  return (a < b && b - a > 32768) || (a > b && a - b < 32768);
}

/** Counts one received packet into `s` as werift's `StreamStatistics.add` does. */
export function countReceived(
  s: StreamStatisticsLike,
  sequenceNumber: number,
  timestamp: number,
  headerBytes: number,
  payloadBytes: number,
  nowMs: number = wallClockMs(),
): void {
  const inOrder = s.max_seq === undefined || seqAfter(sequenceNumber, s.max_seq);
  s.packets_received++;
  s.bytesReceived += payloadBytes;
  s.headerBytesReceived += headerBytes;
  s.lastPacketReceivedTimestamp = nowMs;
  if (s.base_seq === undefined) s.base_seq = sequenceNumber;
  if (!inOrder) return;
  // werift: int(seconds × clock rate), its int being parseInt of the number's string
  const arrival = Math.trunc((nowMs / 1000) * s.clockRate);
  if (s.max_seq !== undefined && sequenceNumber < s.max_seq) s.cycles += 1 << 16;
  s.max_seq = sequenceNumber;
  if (timestamp !== s.last_timestamp && s.packets_received > 1) {
    const diff = Math.abs(arrival - (s.last_arrival ?? 0) - (timestamp - (s.last_timestamp ?? 0)));
    s.jitter_q4 += diff - ((s.jitter_q4 + 8) >> 4);
  }
  s.last_arrival = arrival;
  s.last_timestamp = timestamp;
}
