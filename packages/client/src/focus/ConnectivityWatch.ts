// Decides when a connection to a focus is lost. A focus that dies sends nothing more: the
// browser reports `disconnected` within a few seconds (no answers to its consent checks) but
// `failed` only after ~30 s. A short `disconnected` also happens on a loaded machine, so the
// connection counts as lost at once when `failed`, and when `disconnected` only if it is still
// (or again) down when the grace period ends. Peer and ICE states both count.
import type { Logger } from "../log.ts";
import type { Clock, TimerHandle } from "../util/Clock.ts";

export interface ConnectivityWatchOptions {
  pc: RTCPeerConnection;
  clock: Clock;
  logger: Logger;
  /** A connection `disconnected` this long is taken as lost. */
  graceMs: number;
  lost: (reason: string) => void;
}

export class ConnectivityWatch {
  readonly #o: ConnectivityWatchOptions;
  #grace: TimerHandle | undefined;
  #closed = false;

  constructor(o: ConnectivityWatchOptions) {
    this.#o = o;
  }

  /** Looks at the connection's state again (call on every peer or ICE state change). */
  check(): void {
    if (this.#closed) return;
    const { clock, logger, graceMs } = this.#o;
    if (this.#is("failed")) {
      this.#lost("the connection failed");
      return;
    }
    if (!this.#is("disconnected")) {
      if (this.#grace !== undefined) logger.info("the connection is back");
      clock.clearTimeout(this.#grace);
      this.#grace = undefined;
      return;
    }
    if (this.#grace !== undefined) return;
    logger.info(`the connection is disconnected; giving it ${graceMs} ms to come back`);
    this.#grace = clock.setTimeout(() => {
      this.#grace = undefined;
      if (this.#is("disconnected") || this.#is("failed"))
        this.#lost(`the connection stayed disconnected for ${graceMs} ms`);
    }, graceMs);
  }

  /** Stops watching. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#grace);
    this.#grace = undefined;
  }

  /** True while the peer connection or its ICE transport reports `state`. */
  #is(state: "disconnected" | "failed"): boolean {
    const pc = this.#o.pc;
    return pc.connectionState === state || pc.iceConnectionState === state;
  }

  #lost(reason: string): void {
    this.close();
    this.#o.lost(reason);
  }
}
