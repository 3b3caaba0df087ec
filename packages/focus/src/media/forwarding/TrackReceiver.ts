// One publication's media: receives every layer of one remote track, keeps per-layer state
// (arriving or not, frame size, missing packets) and fans packets out to its TrackSenders.
// It sends keyframe requests (throttled) and NACKs upstream on behalf of its subscribers, and
// gives a new subscription the last keyframe and what followed it when that is recent
// (keyframeStart.ts).
import { RtpHeader, RtpPacket as WeriftRtpPacket } from "werift";
import type { Clock, TimerHandle } from "../../util/Clock.ts";
import { TypedEmitter } from "../../util/TypedEmitter.ts";
import type { MediaOptions } from "../defaults.ts";
import { KeyframeRequester } from "../feedback/KeyframeRequester.ts";
import { NackGenerator } from "../feedback/NackGenerator.ts";
import type { MediaCounters } from "../MediaCounters.ts";
import { PacketHistory, type StoredPacket } from "../rtp/PacketHistory.ts";
import { isVp8Keyframe, vp8KeyframeSize } from "../rtp/vp8.ts";
import { LayerMonitor } from "../simulcast/LayerMonitor.ts";
import type { LayerInfo } from "../simulcast/LayerSelector.ts";
import type { IncomingLayer } from "../webrtc/IncomingLayer.ts";
import type { MediaKind, RtpPacket } from "../webrtc/types.ts";
import { type FanoutQueue, fanoutQueue } from "./FanoutQueue.ts";
import { type KeptKeyframe, keptRunFrom, seqAfter } from "./keyframeStart.ts";

/** What a TrackReceiver hands to each of its senders. */
export interface PacketSink {
  /** True when the sink sent the packet on (the receiver then keeps it for NACKs). */
  packetArrived(rid: string, packet: RtpPacket, keyframe: boolean, arrivalMs: number): boolean;
  layersChanged(): void;
}

export type TrackReceiverEvents = {
  /** A layer started or stopped arriving, or its size became known. */
  layersChanged: [];
  /** A keyframe's size differs from what the metadata said (video). */
  closed: [];
};

interface LayerState {
  layer: IncomingLayer;
  /** The layer's rid in this track (its own, or the one a sibling link's track id names). */
  rid: string;
  nack: NackGenerator;
  /** Copies of the layer's recent packets (subscriber NACKs). */
  history: PacketHistory;
  // every field is set when the state is made: the packet path reads these objects, and a
  // property added later gives them another hidden class (decisions/perf-hidden-classes.md)
  width: number | undefined;
  height: number | undefined;
  /** The last keyframe kept in `history`, and the newest sequence number kept. */
  keyframe: KeptKeyframe | undefined;
  newestKept: number | undefined;
  unsubscribe: () => void;
}

/** A kept packet handed to a starting sink: sent as if it had just arrived. */
export interface KeptPacket {
  packet: RtpPacket;
  keyframe: boolean;
  arrivalMs: number;
}

/** A kept packet as an RTP packet to send again. */
function asRtpPacket(p: StoredPacket): RtpPacket {
  const { ssrc, sequenceNumber, timestamp, marker } = p;
  return new WeriftRtpPacket(new RtpHeader({ ssrc, sequenceNumber, timestamp, marker }), p.payload);
}

/** The first size of a layer's NACK history ring; it grows to what the layer needs. */
const nackHistoryInitialBytes = 16 * 1024;

export interface TrackReceiverOptions<AppData> {
  kind: MediaKind;
  streamId: string;
  trackId: string;
  clock: Clock;
  media: MediaOptions;
  counters: MediaCounters;
  /** Called for every incoming packet (for the publisher's bandwidth estimate). */
  bytesArrived?: (ssrc: number, bytes: number) => void;
  appData: AppData;
  /** Where the rest of a large fan-out waits (default: the thread's queue). */
  fanout?: FanoutQueue;
}

export class TrackReceiver<AppData = unknown> extends TypedEmitter<TrackReceiverEvents> {
  readonly kind: MediaKind;
  readonly streamId: string;
  readonly trackId: string;
  readonly appData: AppData;
  readonly #o: TrackReceiverOptions<AppData>;
  readonly #layers = new Map<string, LayerState>();
  readonly #sinks = new Set<PacketSink>();
  /** The sinks as an array, made anew when they change (a deferred fan-out keeps its own). */
  #sinkList: readonly PacketSink[] = [];
  /** Per layer, how many subscriptions wait to start on it (its packets are kept meanwhile). */
  readonly #awaited = new Map<string, number>();
  readonly #monitor: LayerMonitor;
  readonly #keyframes: KeyframeRequester;
  readonly #timer: TimerHandle;
  #active = "";
  #closed = false;
  /** This receiver's packets whose fan-out waits in the queue (later ones queue behind). */
  #deferred = 0;
  /** Packets a sink threw on (the other sinks still got them), and the last error. */
  sinkErrors = 0;
  lastSinkError: string | undefined;

  constructor(o: TrackReceiverOptions<AppData>) {
    super();
    this.#o = o;
    this.kind = o.kind;
    this.streamId = o.streamId;
    this.trackId = o.trackId;
    this.appData = o.appData;
    this.#monitor = new LayerMonitor(o.clock, o.media.layerTimeoutMs);
    this.#keyframes = new KeyframeRequester(o.clock, o.media.pliThrottleMs, {
      minGapMs: o.media.pliMinGapMs,
      publisherGapMs: o.media.pliPublisherGapMs,
    });
    this.#timer = o.clock.setInterval(
      () => this.#checkLayers(),
      Math.max(50, o.media.layerTimeoutMs / 3),
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds one incoming layer (one simulcast rid, by default the layer's own) of this track. */
  addLayer(layer: IncomingLayer, rid = layer.rid): void {
    if (this.#closed) return;
    this.#layers.get(rid)?.unsubscribe();
    const state: LayerState = {
      layer,
      rid,
      nack: new NackGenerator(),
      history: new PacketHistory({
        slots: this.#o.media.nackCacheSize,
        keepMs: this.#o.media.nackHistoryMs,
        maxBytes: this.#o.media.nackHistoryMaxBytes,
        initialBytes: nackHistoryInitialBytes,
      }),
      width: undefined,
      height: undefined,
      keyframe: undefined,
      newestKept: undefined,
      unsubscribe: () => {},
    };
    state.unsubscribe = layer.onRtp((p) => this.#onPacket(state, p));
    this.#layers.set(rid, state);
  }

  /** The layers with what is known about them. */
  layers(): LayerInfo[] {
    return [...this.#layers.values()].map((s) => ({
      rid: s.rid,
      active: this.#monitor.isActive(s.rid),
      ...(s.width !== undefined ? { width: s.width, height: s.height } : {}),
    }));
  }

  /** False once no layer of this track is negotiated for receiving any more. */
  get receiving(): boolean {
    for (const s of this.#layers.values()) if (s.layer.receiving) return true;
    return false;
  }

  addSink(sink: PacketSink): void {
    this.#sinks.add(sink);
    this.#sinkList = [...this.#sinks];
  }

  removeSink(sink: PacketSink): void {
    if (this.#sinks.delete(sink)) this.#sinkList = [...this.#sinks];
  }

  get sinkCount(): number {
    return this.#sinks.size;
  }

  /**
   * A subscription will start on layer `rid` once negotiated: asks for a keyframe now and
   * keeps the layer's packets until the returned function is called (once; idempotent).
   */
  awaitStart(rid: string): () => void {
    if (this.kind !== "video" || this.#o.media.keyframeReplayMaxAgeMs <= 0) return () => {};
    this.#awaited.set(rid, (this.#awaited.get(rid) ?? 0) + 1);
    this.requestKeyframe(rid);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.#awaited.get(rid) ?? 1) - 1;
      if (n > 0) this.#awaited.set(rid, n);
      else this.#awaited.delete(rid);
    };
  }

  /**
   * The last keyframe of layer `rid` and every packet since, when it arrived at most
   * `keyframeReplayMaxAgeMs` ago and all of them are kept; otherwise undefined.
   */
  keyframeStart(rid: string): KeptPacket[] | undefined {
    const maxAgeMs = this.#o.media.keyframeReplayMaxAgeMs;
    const s = this.#layers.get(rid);
    const kf = s?.keyframe;
    if (maxAgeMs <= 0 || !s || !kf || s.newestKept === undefined) return undefined;
    if (this.#o.clock.now() - kf.arrivalMs > maxAgeMs) return undefined;
    const run = keptRunFrom(s.history, kf, s.newestKept, this.#o.media.nackCacheSize);
    return run?.map((p, i) => ({
      packet: asRtpPacket(p),
      keyframe: i === 0,
      arrivalMs: p.arrivalMs,
    }));
  }

  /** Asks the publisher for a keyframe on layer `rid` (throttled per layer). */
  requestKeyframe(rid: string): void {
    if (this.kind !== "video") return;
    this.#o.counters.keyframesRequested++;
    const layer = this.#layers.get(rid)?.layer;
    const ssrc = layer?.ssrc;
    if (!layer || ssrc === undefined || !this.#keyframes.shouldRequest(ssrc)) return;
    if (layer.requestKeyframe()) this.#o.counters.plisSent++;
  }

  /** NACKs upstream those of `seqs` (source sequence numbers of layer `rid`) the focus never got. */
  nackIfMissing(rid: string, seqs: number[]): void {
    const s = this.#layers.get(rid);
    if (!s) return;
    const missing = seqs.filter((q) => s.nack.isMissing(q));
    if (missing.length > 0 && s.layer.sendNack(missing)) this.#o.counters.nacksSent++;
  }

  /**
   * A copy of the packet of layer `rid` with this source sequence number, if it is still
   * kept (the last `nackCacheSize` packets of the layer at most, at least the last
   * `nackHistoryMs` if `nackHistoryMaxBytes` allow), to answer a subscriber's NACK.
   */
  historyPacket(rid: string, sequenceNumber: number): RtpPacket | undefined {
    const p = this.#layers.get(rid)?.history.get(sequenceNumber);
    return p && asRtpPacket(p);
  }

  /** Stops receiving and forgets every sink. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.clock.clearInterval(this.#timer);
    for (const s of this.#layers.values()) {
      s.unsubscribe();
      s.history.clear();
    }
    this.#layers.clear();
    this.#sinks.clear();
    this.#sinkList = [];
    this.emit("closed");
    this.removeAllListeners();
  }

  #onPacket(s: LayerState, packet: RtpPacket): void {
    if (this.#closed) return;
    const rid = s.rid;
    const bytes = packet.payload.length + 12;
    this.#o.counters.packetsIn++;
    this.#o.counters.bytesIn += bytes;
    this.#o.bytesArrived?.(packet.header.ssrc, bytes);
    let changed = this.#monitor.packetArrived(rid);
    let keyframe = false;
    const now = this.#o.clock.now();
    if (this.kind === "video") {
      keyframe = isVp8Keyframe(packet.payload);
      if (keyframe) {
        this.#keyframes.keyframeArrived(packet.header.ssrc);
        const size = vp8KeyframeSize(packet.payload);
        if (size && (size.width !== s.width || size.height !== s.height)) {
          s.width = size.width;
          s.height = size.height;
          changed = true;
        }
      }
      const lost = s.nack.packetArrived(packet.header.sequenceNumber);
      if (lost.length > 0 && s.layer.sendNack(lost)) this.#o.counters.nacksSent++;
    }
    if (changed) this.#layersChanged();
    // A fan-out of up to twice the inline part goes whole; a larger one goes to its first
    // `inline` sinks now and to the rest in the queue's slices. While any of this receiver's
    // packets wait there, the next ones wait whole, so that every sink gets them in order.
    const inline = this.#o.media.fanoutInlineSinks;
    const sinks = this.#sinkList;
    const first = this.#deferred > 0 ? 0 : sinks.length <= 2 * inline ? sinks.length : inline;
    let forwarded = false;
    for (let i = 0; i < first; i++) {
      if (this.#toSink(sinks[i] as PacketSink, rid, packet, keyframe, now)) forwarded = true;
    }
    const kept = forwarded || this.#awaited.has(rid);
    if (kept) this.#keep(s, packet, keyframe, now);
    if (first === sinks.length) return;
    this.#deferred++;
    (this.#o.fanout ?? fanoutQueue()).defer(
      {
        count: sinks.length,
        each: (i) =>
          !this.#closed && this.#toSink(sinks[i] as PacketSink, rid, packet, keyframe, now),
        done: (rest) => {
          this.#deferred--;
          if (rest && !kept && !this.#closed) this.#keep(s, packet, keyframe, now);
        },
      },
      first,
    );
  }

  /** Sends `packet` to one sink; one failing must not cut off the others (werift would swallow it). */
  #toSink(
    sink: PacketSink,
    rid: string,
    packet: RtpPacket,
    keyframe: boolean,
    now: number,
  ): boolean {
    try {
      return sink.packetArrived(rid, packet, keyframe, now);
    } catch (e) {
      this.sinkErrors++;
      this.#o.counters.forwardingErrors++;
      this.lastSinkError = (e as Error).message;
      return false;
    }
  }

  /**
   * Keeps a video packet that was sent on (for subscriber NACKs) or that a starting
   * subscription awaits: a layer nobody receives (the larger layers of a call where everyone is
   * small on screen) keeps no history.
   */
  #keep(s: LayerState, packet: RtpPacket, keyframe: boolean, now: number): void {
    if (this.kind !== "video") return;
    const h = packet.header;
    s.history.add(h.ssrc, h.sequenceNumber, h.timestamp, h.marker, packet.payload, now);
    if (s.newestKept === undefined || seqAfter(h.sequenceNumber, s.newestKept)) {
      s.newestKept = h.sequenceNumber;
    }
    if (keyframe) s.keyframe = { ssrc: h.ssrc, sequenceNumber: h.sequenceNumber, arrivalMs: now };
  }

  #checkLayers(): void {
    const idleMs = 2 * this.#o.media.nackHistoryMs;
    const now = this.#o.clock.now();
    for (const s of this.#layers.values()) s.history.releaseIfIdle(now, idleMs);
    const active = this.#monitor.activeLayers().sort().join(",");
    if (active !== this.#active) this.#layersChanged();
  }

  #layersChanged(): void {
    this.#active = this.#monitor.activeLayers().sort().join(",");
    this.emit("layersChanged");
    for (const sink of this.#sinks) sink.layersChanged();
  }
}
