// Sends the focus's receive-side estimate (REMB) to one publisher at a fixed interval, for
// every video SSRC it has seen arrive on that peer connection.
import type { Clock, TimerHandle } from "../../util/Clock.ts";
import type { MediaOptions } from "../defaults.ts";
import { RembEstimator } from "./RembEstimator.ts";

export interface RembTarget {
  sendRemb(bitrate: number, ssrcs: number[]): void;
}

export class RembSender {
  readonly #target: RembTarget;
  readonly #estimator: RembEstimator;
  readonly #ssrcs = new Set<number>();
  readonly #clock: Clock;
  #timer: TimerHandle | undefined;
  /** The last estimate sent, bits/s (for logs and tests). */
  lastSentBps = 0;

  constructor(clock: Clock, o: MediaOptions, target: RembTarget) {
    this.#clock = clock;
    this.#target = target;
    this.#estimator = new RembEstimator(clock, {
      initialBps: o.rembInitialBps,
      maxBps: o.rembMaxBps,
      headroom: o.rembHeadroom,
    });
    this.#timer = clock.setInterval(() => this.#send(), o.rembIntervalMs);
  }

  /** Records a video packet of `ssrc` with `bytes` bytes. */
  videoArrived(ssrc: number, bytes: number): void {
    if (!this.#ssrcs.has(ssrc)) {
      this.#ssrcs.add(ssrc);
      this.#send();
    }
    this.#estimator.bytesArrived(bytes);
  }

  stop(): void {
    this.#clock.clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #send(): void {
    if (this.#ssrcs.size === 0) return;
    this.lastSentBps = this.#estimator.estimate();
    this.#target.sendRemb(this.lastSentBps, [...this.#ssrcs]);
  }
}
