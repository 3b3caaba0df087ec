// A publisher's video pacer, as libwebrtc's paced sender works: packets leave at
// `factor` × the publisher's video bitrate rather than a whole frame at once, released in
// small bursts every `intervalMs` (libwebrtc: factor 2.5, a 5 ms process interval). A frame
// of the default profile (~8.8 KB over three layers) then takes ~13 ms to leave.

export interface PacedPacket {
  header: Buffer;
  payload: Buffer;
}

export class PacedQueue {
  readonly #bytesPerMs: number;
  readonly #intervalMs: number;
  #queue: PacedPacket[] = [];
  #head = 0;
  /** When the budget lets the next packet go, ms. */
  #departAt = Number.NEGATIVE_INFINITY;
  #nextRelease = Number.NEGATIVE_INFINITY;

  constructor(bitsPerSecond: number, factor: number, intervalMs: number) {
    if (!(bitsPerSecond > 0 && factor > 0)) throw new Error("a paced queue needs a rate");
    this.#bytesPerMs = (bitsPerSecond * factor) / 8 / 1000;
    this.#intervalMs = intervalMs;
  }

  get length(): number {
    return this.#queue.length - this.#head;
  }

  push(p: PacedPacket, now: number): void {
    if (this.length === 0) {
      this.#queue = [];
      this.#head = 0;
      // an idle pacer has no budget saved up beyond now
      this.#departAt = Math.max(this.#departAt, now);
    }
    this.#queue.push(p);
  }

  /** Hands `send` the packets whose time has come; at most once per interval. */
  release(now: number, send: (p: PacedPacket) => void): number {
    if (this.length === 0 || now < this.#nextRelease) return 0;
    this.#nextRelease = now + this.#intervalMs;
    let n = 0;
    while (this.#head < this.#queue.length && this.#departAt <= now) {
      const p = this.#queue[this.#head++] as PacedPacket;
      this.#departAt += (p.header.length + p.payload.length) / this.#bytesPerMs;
      send(p);
      n++;
    }
    return n;
  }
}
