// What one subscriber received: per (publisher, stream) packet counts, order and loss from
// the bench marker's counter, end-to-end delay from its send time, and when the first key
// frame of each publisher arrived.
import type { RtpPacket } from "werift";
import { Histogram, type HistogramData } from "../../lib/histogram.ts";
import { nowMs } from "../clock.ts";
import { readMarker } from "../synth/marker.ts";
import { isVp8KeyframeStart } from "../synth/vp8.ts";

/**
 * One (publisher, stream) in the window. A stream's counter range is split into segments at
 * layer switches, so that packets the SFU never meant to forward (while this subscriber was
 * on another layer of the same publisher) do not count as lost.
 */
const SEEN_SLOTS = 4096;

interface StreamWindow {
  received: number;
  /** The last counter seen in each slot (counter % SEEN_SLOTS), to spot duplicates. */
  seen: Int32Array;
  duplicates: number;
  segStart: number;
  maxCounter: number;
  /** Expected packets of the segments closed so far. */
  closedExpected: number;
  outOfOrder: number;
}

export interface ReceiveSnapshot {
  packets: number;
  bytes: number;
  /** Packets the senders numbered within the window's range but that never arrived. */
  lost: number;
  expected: number;
  outOfOrder: number;
  /** Packets that arrived a second time (e.g. retransmissions of packets that had arrived). */
  duplicates: number;
  /** Packets without a bench marker (e.g. padding/probes). */
  unmarked: number;
  delay: HistogramData;
  streams: number;
  /** Times a publisher's video arrived on a different layer than its previous packet. */
  layerSwitches: number;
  /** Packets per marker stream: [audio, first layer, second layer, ...]. */
  byStream: number[];
}

/** The key of `layerKeyframeAt`: a publisher and its video stream (1 = the profile's first layer). */
export const layerKey = (publisher: number, stream: number) => `${publisher}:${stream}`;

export class ReceiveStats {
  /** Time the first key frame of each publisher arrived, ms (load clock, clock.ts). */
  readonly firstKeyframeAt = new Map<number, number>();
  /**
   * While `watchLayerKeyframes` is set: the time the first key frame of each (publisher, video
   * stream) arrived since the map was last cleared (layer switches, load/lateJoin.ts).
   */
  readonly layerKeyframeAt = new Map<string, number>();
  watchLayerKeyframes = false;
  #window = new Map<string, StreamWindow>();
  #delay = new Histogram();
  #packets = 0;
  #bytes = 0;
  #unmarked = 0;
  #byStream: number[] = [];
  #layerSwitches = 0;
  /** Publishers whose audio / video arrived in the window (marked packets only). */
  readonly audioFrom = new Set<number>();
  readonly videoFrom = new Set<number>();
  /** The video stream each publisher's last video packet came on. */
  readonly #lastVideo = new Map<number, number>();
  readonly #now: () => number;

  constructor(now: () => number = nowMs) {
    this.#now = now;
  }

  /** A packet that came through werift's receive path. */
  onRtp(rtp: RtpPacket): void {
    this.onPayload(rtp.payload, rtp.payload.length, this.#now());
  }

  /**
   * A packet: the first bytes of its payload (at least the marker's), the payload's full
   * length and when it arrived (load clock).
   */
  onPayload(head: Buffer, payloadBytes: number, now: number): void {
    const m = readMarker(head);
    this.#packets++;
    this.#bytes += payloadBytes + 12;
    if (!m) {
      this.#unmarked++;
      return;
    }
    const first = !this.firstKeyframeAt.has(m.publisher);
    if (m.stream > 0 && (first || this.watchLayerKeyframes) && isVp8KeyframeStart(head)) {
      if (first) this.firstKeyframeAt.set(m.publisher, now);
      const k = layerKey(m.publisher, m.stream);
      if (this.watchLayerKeyframes && !this.layerKeyframeAt.has(k))
        this.layerKeyframeAt.set(k, now);
    }
    this.#delay.add(now - m.sentAt);
    (m.stream > 0 ? this.videoFrom : this.audioFrom).add(m.publisher);
    this.#byStream[m.stream] = (this.#byStream[m.stream] ?? 0) + 1;
    const key = `${m.publisher}:${m.stream}`;
    const w = this.#window.get(key);
    let switched = false;
    if (m.stream > 0) {
      const last = this.#lastVideo.get(m.publisher);
      switched = last !== undefined && last !== m.stream;
      if (switched) this.#layerSwitches++;
      this.#lastVideo.set(m.publisher, m.stream);
    }
    if (!w) {
      const seen = new Int32Array(SEEN_SLOTS).fill(-1);
      seen[m.counter % SEEN_SLOTS] = m.counter;
      this.#window.set(key, {
        received: 1,
        seen,
        duplicates: 0,
        segStart: m.counter,
        maxCounter: m.counter,
        closedExpected: 0,
        outOfOrder: 0,
      });
      return;
    }
    const slot = m.counter % SEEN_SLOTS;
    if (w.seen[slot] === m.counter) {
      w.duplicates++;
      return;
    }
    w.seen[slot] = m.counter;
    w.received++;
    if (switched && m.counter > w.maxCounter) {
      // back on this layer after another one: a new segment starts here
      w.closedExpected += w.maxCounter - w.segStart + 1;
      w.segStart = m.counter;
      w.maxCounter = m.counter;
    } else if (m.counter < w.maxCounter) {
      w.outOfOrder++;
      if (m.counter < w.segStart) w.segStart = m.counter;
    } else {
      w.maxCounter = m.counter;
    }
  }

  /** Starts a new measurement window. */
  reset(): void {
    this.#window = new Map();
    this.#delay = new Histogram();
    this.#packets = 0;
    this.#bytes = 0;
    this.#unmarked = 0;
    this.#byStream = [];
    this.#layerSwitches = 0;
    this.audioFrom.clear();
    this.videoFrom.clear();
  }

  snapshot(): ReceiveSnapshot {
    let expected = 0;
    let received = 0;
    let outOfOrder = 0;
    let duplicates = 0;
    for (const w of this.#window.values()) {
      expected += w.closedExpected + w.maxCounter - w.segStart + 1;
      received += w.received;
      outOfOrder += w.outOfOrder;
      duplicates += w.duplicates;
    }
    return {
      packets: this.#packets,
      bytes: this.#bytes,
      lost: Math.max(0, expected - received),
      expected,
      outOfOrder,
      duplicates,
      unmarked: this.#unmarked,
      delay: this.#delay.toData(),
      streams: this.#window.size,
      byStream: Array.from(this.#byStream, (v) => v ?? 0),
      layerSwitches: this.#layerSwitches,
    };
  }
}
