// The recent packets of one incoming stream, kept to answer subscribers' NACKs (RFC 4585
// §6.2.1) without holding on to the packets themselves: each payload is copied into one ring
// of bytes per stream and its header fields into typed arrays, indexed by sequence number.
// The packet objects then die young (cheap for the garbage collector, and no buffer of a
// packet is pinned for seconds). The ring is sized by the stream's rate, measured over each
// lap of it: a lap shorter than `keepMs` grows it, a lap longer than twice that (after a
// burst, or when the rate fell) shrinks it, both to hold 1.25 × `keepMs` at the lap's rate
// (within initialBytes..maxBytes). It keeps at most `slots` packets.

export interface PacketHistoryOptions {
  /** At most this many packets (indexed by sequence number modulo this). */
  slots: number;
  /** Keep at least this long of the stream, ms, if `maxBytes` allows. */
  keepMs: number;
  /** The ring never grows beyond this many bytes. */
  maxBytes: number;
  /** The ring's first size, bytes. */
  initialBytes: number;
}

/** A packet as kept: what is needed to send it again. */
export interface StoredPacket {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  /** When it arrived (the `nowMs` it was added with). */
  arrivalMs: number;
  /** A copy; the caller may keep or change it. */
  payload: Buffer;
}

export class PacketHistory {
  readonly #o: PacketHistoryOptions;
  // per slot; allocated with the ring on the first packet (audio layers never add any)
  /** Sequence number per slot, -1 = empty. */
  #seq = new Int32Array(0);
  #ssrc = new Uint32Array(0);
  #ts = new Uint32Array(0);
  #marker = new Uint8Array(0);
  #len = new Uint32Array(0);
  /** Position of the payload in the ring's endless byte stream (physical = start % size). */
  #start = new Float64Array(0);
  #arrival = new Float64Array(0);
  #ring: Buffer | undefined;
  /** Bytes written into the ring's endless stream so far (including skipped ends). */
  #written = 0;
  #lapStartMs = 0;
  #lastAddMs = 0;

  constructor(o: PacketHistoryOptions) {
    this.#o = { ...o, slots: Math.max(1, Math.floor(o.slots)) };
  }

  /** Per-slot arrays of `n` slots, all empty. */
  #setSlots(n: number): void {
    this.#seq = new Int32Array(n).fill(-1);
    this.#ssrc = new Uint32Array(n);
    this.#ts = new Uint32Array(n);
    this.#marker = new Uint8Array(n);
    this.#len = new Uint32Array(n);
    this.#start = new Float64Array(n);
    this.#arrival = new Float64Array(n);
  }

  #allocate(nowMs: number): Buffer {
    this.#setSlots(this.#o.slots);
    this.#lapStartMs = nowMs;
    this.#ring = Buffer.allocUnsafe(Math.min(this.#o.maxBytes, this.#o.initialBytes));
    return this.#ring;
  }

  /** Bytes the ring takes now. */
  get capacityBytes(): number {
    return this.#ring?.length ?? 0;
  }

  /** Copies a packet in (replacing whatever was kept under its slot). */
  add(
    ssrc: number,
    sequenceNumber: number,
    timestamp: number,
    marker: boolean,
    payload: Uint8Array,
    nowMs: number,
  ): void {
    const slot = sequenceNumber % this.#o.slots;
    const n = payload.length;
    this.#lastAddMs = nowMs;
    if (!this.#ring) this.#allocate(nowMs);
    this.#seq[slot] = -1;
    if (n > this.#ring!.length) this.#resize(n, nowMs);
    const ring = this.#ring!;
    if (n > ring.length) return; // larger than maxBytes: not kept
    let pos = this.#written % ring.length;
    if (pos + n > ring.length) {
      // a new lap: resize first if the last one was shorter than keepMs or over twice as long
      const lapMs = nowMs - this.#lapStartMs;
      const size = this.#sizeFor(ring.length, lapMs);
      if (size !== ring.length && (lapMs < this.#o.keepMs || lapMs > 2 * this.#o.keepMs)) {
        this.#resize(size, nowMs);
        this.add(ssrc, sequenceNumber, timestamp, marker, payload, nowMs);
        return;
      }
      this.#written += ring.length - pos;
      this.#lapStartMs = nowMs;
      pos = 0;
    }
    ring.set(payload, pos);
    this.#seq[slot] = sequenceNumber;
    this.#ssrc[slot] = ssrc;
    this.#ts[slot] = timestamp;
    this.#marker[slot] = marker ? 1 : 0;
    this.#len[slot] = n;
    this.#start[slot] = this.#written;
    this.#arrival[slot] = nowMs;
    this.#written += n;
  }

  /** The kept packet with this sequence number, if its bytes are still in the ring. */
  get(sequenceNumber: number): StoredPacket | undefined {
    const slot = sequenceNumber % this.#o.slots;
    const ring = this.#ring;
    if (!ring || this.#seq[slot] !== sequenceNumber) return undefined;
    const start = this.#start[slot]!;
    if (this.#written - start > ring.length) return undefined; // overwritten since
    const pos = start % ring.length;
    return {
      ssrc: this.#ssrc[slot]!,
      sequenceNumber,
      timestamp: this.#ts[slot]!,
      marker: this.#marker[slot] === 1,
      arrivalMs: this.#arrival[slot]!,
      payload: Buffer.from(ring.subarray(pos, pos + this.#len[slot]!)),
    };
  }

  /** Releases the ring when nothing was added for `idleMs` (no one receives the stream). */
  releaseIfIdle(nowMs: number, idleMs: number): void {
    if (this.#ring && nowMs - this.#lastAddMs >= idleMs) this.clear();
  }

  /** Forgets every packet and releases the ring. */
  clear(): void {
    this.#setSlots(0);
    this.#ring = undefined;
    this.#written = 0;
  }

  /** Ring bytes for 1.25 × keepMs at the rate of a lap of `bytes` in `lapMs` (4 KiB steps). */
  #sizeFor(bytes: number, lapMs: number): number {
    const want = lapMs > 0 ? (bytes * 1.25 * this.#o.keepMs) / lapMs : Number.POSITIVE_INFINITY;
    const steps = Math.ceil(Math.min(want, this.#o.maxBytes) / 4096) * 4096;
    return Math.max(this.#o.initialBytes, Math.min(this.#o.maxBytes, steps));
  }

  /** A new ring of `bytes` (at most maxBytes) with the newest kept packets that fit. */
  #resize(bytes: number, nowMs: number): void {
    const old = this.#ring!;
    const size = Math.min(this.#o.maxBytes, bytes);
    if (size === old.length) return;
    const kept: number[] = [];
    for (let i = 0; i < this.#o.slots; i++) {
      if (this.#seq[i]! >= 0 && this.#written - this.#start[i]! <= old.length) kept.push(i);
      else this.#seq[i] = -1;
    }
    kept.sort((a, b) => this.#start[b]! - this.#start[a]!); // newest first
    let total = 0;
    let fit = 0;
    while (fit < kept.length && total + this.#len[kept[fit]!]! <= size) {
      total += this.#len[kept[fit]!]!;
      fit++;
    }
    for (const i of kept.slice(fit)) this.#seq[i] = -1;
    const ring = Buffer.allocUnsafe(size);
    let at = 0;
    for (let k = fit - 1; k >= 0; k--) {
      const i = kept[k]!;
      const from = this.#start[i]! % old.length;
      old.copy(ring, at, from, from + this.#len[i]!);
      this.#start[i] = at;
      at += this.#len[i]!;
    }
    this.#ring = ring;
    this.#written = at;
    this.#lapStartMs = fit > 0 ? this.#arrival[kept[fit - 1]!]! : nowMs;
  }
}
