// The wall-clock time of the packet path, in ms with sub-millisecond resolution (RTP send
// times, abs-send-time, sender reports, receiver statistics). Node's `performance.timeOrigin`
// getter allocates a number on every read, so it is read once.
const timeOrigin = performance.timeOrigin;

export function wallClockMs(): number {
  return timeOrigin + performance.now();
}
