// A receive-side bandwidth estimate for one publisher, sent as REMB
// (draft-alvestrand-rmcat-remb-03). It never says less than a generous configured floor, and
// rises with what arrives, so that a Chrome publisher (without transport-cc) turns on all its
// simulcast layers instead of collapsing to the lowest one.
import type { Clock } from "../../util/Clock.ts";

export interface RembEstimatorOptions {
  initialBps: number;
  maxBps: number;
  headroom: number;
  /** Window over which the received rate is measured, ms. */
  windowMs?: number;
}

export class RembEstimator {
  readonly #clock: Clock;
  readonly #o: RembEstimatorOptions;
  #windowStart: number;
  #bytes = 0;
  #rateBps = 0;

  constructor(clock: Clock, o: RembEstimatorOptions) {
    this.#clock = clock;
    this.#o = o;
    this.#windowStart = clock.now();
  }

  bytesArrived(n: number): void {
    this.#roll();
    this.#bytes += n;
  }

  /** The measured incoming rate over the last complete window, bits/s. */
  get receivedBps(): number {
    this.#roll();
    return this.#rateBps;
  }

  /** The estimate to send now, bits/s. */
  estimate(): number {
    const wanted = Math.max(this.#o.initialBps, this.receivedBps * this.#o.headroom);
    return Math.round(Math.min(this.#o.maxBps, wanted));
  }

  #roll(): void {
    const windowMs = this.#o.windowMs ?? 1000;
    const now = this.#clock.now();
    const elapsed = now - this.#windowStart;
    if (elapsed < windowMs) return;
    this.#rateBps = elapsed > 2 * windowMs ? 0 : (this.#bytes * 8 * 1000) / elapsed;
    this.#bytes = 0;
    this.#windowStart = now;
  }
}
