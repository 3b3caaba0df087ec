// The load generator's clock: wall-clock milliseconds with sub-millisecond resolution, the
// same in every load process on the machine, so that a packet sent by one process and
// received by another still yields its delay.
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
