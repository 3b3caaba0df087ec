// m.call.ping every `pingIntervalMs` over the data channel; a participant that has not
// answered with a pong for `pongTimeoutMs` is declared gone (the caller hangs up with
// keep_alive_timeout). Time comes from the injected clock.
import type { Clock, TimerHandle } from "../util/Clock.ts";
import type { KeepAliveOptions } from "./defaults.ts";

export interface KeepAliveCallbacks {
  sendPing(): void;
  timedOut(): void;
}

export class KeepAlive {
  readonly #clock: Clock;
  readonly #o: KeepAliveOptions;
  readonly #cb: KeepAliveCallbacks;
  #timer: TimerHandle | undefined;
  #lastPong = 0;
  #stopped = false;

  constructor(clock: Clock, o: KeepAliveOptions, cb: KeepAliveCallbacks) {
    this.#clock = clock;
    this.#o = o;
    this.#cb = cb;
  }

  /** Starts pinging (first ping now). Idempotent. */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#lastPong = this.#clock.now();
    this.#cb.sendPing();
    this.#timer = this.#clock.setInterval(() => this.#tick(), this.#o.pingIntervalMs);
  }

  pongReceived(): void {
    this.#lastPong = this.#clock.now();
  }

  /** Stops for good. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#clock.clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    if (this.#clock.now() - this.#lastPong >= this.#o.pongTimeoutMs) {
      this.stop();
      this.#cb.timedOut();
      return;
    }
    this.#cb.sendPing();
  }
}
