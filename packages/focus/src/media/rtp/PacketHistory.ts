// The recent packets of one incoming stream, kept to answer subscribers' NACKs (RFC 4585
// §6.2.1) without holding on to the packets themselves: each payload is copied into one ring
// of bytes per stream and its header fields into typed arrays, indexed by sequence number.
// The packet objects then die young (cheap for the garbage collector, and no buffer of a
// packet is pinned for seconds). The ring grows (doubling, up to `maxBytes`) while one lap
// of it takes less than `keepMs`, so it holds between `keepMs` and twice that of the
// stream's recent bytes at its current rate, and at most `slots` packets.

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

  constructor(o: PacketHistoryOptions) {
    this.#o = { ...o, slots: Math.max(1, Math.floor(o.slots)) };
  }

  #allocate(nowMs: number): Buffer {
    const n = this.#o.slots;
    this.#seq = new Int32Array(n).fill(-1);
    this.#ssrc = new Uint32Array(n);
    this.#ts = new Uint32Array(n);
    this.#marker = new Uint8Array(n);
    this.#len = new Uint32Array(n);
    this.#start = new Float64Array(n);
    this.#arrival = new Float64Array(n);
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
    if (!this.#ring) this.#allocate(nowMs);
    this.#seq[slot] = -1;
    if (n > this.#ring!.length) this.#grow(n, nowMs);
    const ring = this.#ring!;
    if (n > ring.length) return; // larger than maxBytes: not kept
    let pos = this.#written % ring.length;
    if (pos + n > ring.length) {
      // a new lap: grow first if the last one was shorter than keepMs
      if (nowMs - this.#lapStartMs < this.#o.keepMs && ring.length < this.#o.maxBytes) {
        this.#grow(ring.length * 2, nowMs);
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
      payload: Buffer.from(ring.subarray(pos, pos + this.#len[slot]!)),
    };
  }

  /** Forgets every packet and releases the ring. */
  clear(): void {
    this.#seq = new Int32Array(0);
    this.#ring = undefined;
    this.#written = 0;
  }

  /** A larger ring (at least `bytes`, capped at maxBytes) with the kept packets, oldest first. */
  #grow(bytes: number, nowMs: number): void {
    const old = this.#ring;
    const size = Math.min(this.#o.maxBytes, Math.max(bytes, old?.length ?? 0));
    if (!old || size <= old.length) return;
    const kept: number[] = [];
    for (let i = 0; i < this.#o.slots; i++) {
      if (this.#seq[i]! >= 0 && this.#written - this.#start[i]! <= old.length) kept.push(i);
      else this.#seq[i] = -1;
    }
    kept.sort((a, b) => this.#start[a]! - this.#start[b]!);
    const ring = Buffer.allocUnsafe(size);
    let at = 0;
    for (const i of kept) {
      const from = this.#start[i]! % old.length;
      old.copy(ring, at, from, from + this.#len[i]!);
      this.#start[i] = at;
      at += this.#len[i]!;
    }
    this.#ring = ring;
    this.#written = at;
    this.#lapStartMs = kept.length > 0 ? this.#arrival[kept[0]!]! : nowMs;
  }
}
