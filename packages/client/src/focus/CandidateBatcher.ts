// Trickle ICE over to-device: local candidates gathered within `batchMs` go out in one
// m.call.candidates message; the end of gathering adds `{candidate: ""}` and sends at once.

import type { IceCandidate } from "@matrix-focus/protocol";
import type { Clock, TimerHandle } from "../util/Clock.ts";

export class CandidateBatcher {
  #clock: Clock;
  #batchMs: number;
  #send: (candidates: IceCandidate[]) => void;
  #batch: IceCandidate[] = [];
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(clock: Clock, batchMs: number, send: (candidates: IceCandidate[]) => void) {
    this.#clock = clock;
    this.#batchMs = batchMs;
    this.#send = send;
  }

  /** A gathered candidate, or null when gathering is complete. */
  add(c: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null): void {
    if (this.#closed) return;
    this.#batch.push(
      c === null
        ? { candidate: "" }
        : { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex },
    );
    if (c === null) this.flush();
    else if (this.#timer === undefined) {
      this.#timer = this.#clock.setTimeout(() => this.flush(), this.#batchMs);
    }
  }

  flush(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch.splice(0);
    if (batch.length > 0 && !this.#closed) this.#send(batch);
  }

  close(): void {
    this.#closed = true;
    this.#clock.clearTimeout(this.#timer);
  }
}
