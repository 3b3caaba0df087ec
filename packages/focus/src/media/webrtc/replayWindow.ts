// Replay protection for SRTCP (RFC 3711 §3.3.2: a receiver SHOULD drop a packet whose index it
// has seen, or that is older than its window). The focus acts on its subscribers' RTCP: a
// replayed PLI or NACK would have publishers send key frames, or the focus resend packets, at
// an eavesdropper's will. Not used for SRTP: a client without RTX resends a lost packet under
// its own sequence number, which a replay list would drop.

/** Indices of one sender: the last 64 below the highest seen are remembered. */
export class ReplayWindow {
  static readonly SIZE = 64;
  /** Slot i holds the index last accepted with index % SIZE === i (none: -1). */
  readonly #slots = new Float64Array(ReplayWindow.SIZE).fill(-1);
  #highest = -1;

  /** True (and remembered) for an index not seen before and not older than the window. */
  accept(index: number): boolean {
    if (index <= this.#highest - ReplayWindow.SIZE) return false;
    const slot = index % ReplayWindow.SIZE;
    if (this.#slots[slot] === index) return false;
    this.#slots[slot] = index;
    if (index > this.#highest) this.#highest = index;
    return true;
  }
}

/** A replay window per sender SSRC, for the few senders of one connection. */
export class ReplayWindows {
  /** More senders than this on one connection: start over (they are authenticated anyway). */
  static readonly MAX_SENDERS = 64;
  readonly #windows = new Map<number, ReplayWindow>();

  accept(ssrc: number, index: number): boolean {
    let w = this.#windows.get(ssrc);
    if (w === undefined) {
      if (this.#windows.size >= ReplayWindows.MAX_SENDERS) this.#windows.clear();
      w = new ReplayWindow();
      this.#windows.set(ssrc, w);
    }
    return w.accept(index);
  }
}
