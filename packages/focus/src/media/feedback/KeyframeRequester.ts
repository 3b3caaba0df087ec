// Throttles keyframe requests (PLI, RFC 4585 §6.3.1) sent upstream per media source, so
// that many subscribers asking at once cause one request per throttle interval.
import type { Clock } from "../../util/Clock.ts";

export class KeyframeRequester {
  readonly #clock: Clock;
  readonly #throttleMs: number;
  readonly #last = new Map<number, number>();

  constructor(clock: Clock, throttleMs: number) {
    this.#clock = clock;
    this.#throttleMs = throttleMs;
  }

  /** True when a PLI for `ssrc` may be sent now (and records it as sent). */
  shouldRequest(ssrc: number): boolean {
    const now = this.#clock.now();
    const last = this.#last.get(ssrc);
    if (last !== undefined && now - last < this.#throttleMs) return false;
    this.#last.set(ssrc, now);
    return true;
  }
}
