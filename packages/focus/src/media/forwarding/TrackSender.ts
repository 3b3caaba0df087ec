// One subscription's media: forwards the layer that fits the subscriber's wanted size from a
// TrackReceiver to one OutgoingTrack, as one continuous stream (RtpRewriter). Switches layers
// only on a keyframe, asks for keyframes when the subscriber or a switch needs one (a new
// subscription from the moment it is made, and it starts from the last keyframe when that
// is recent: keyframeStart.ts), and
// answers NACKs from the publisher's recent packets (TrackReceiver.historyPacket), passing
// those the focus never got upstream. The incoming packet is shared by every subscriber and
// never changed: VP8 fields are rewritten in a scratch copy that is encrypted and sent at once.
import type { MediaCounters } from "../MediaCounters.ts";
import { RtpRewriter } from "../rtp/RtpRewriter.ts";
import { selectLayer, type WantedSize } from "../simulcast/LayerSelector.ts";
import type { OutgoingTrack } from "../webrtc/OutgoingTrack.ts";
import type { RtpPacket } from "../webrtc/types.ts";
import { Forwarder } from "./Forwarder.ts";
import type { PacketSink, TrackReceiver } from "./TrackReceiver.ts";

/** One buffer for every sender: a payload is copied, rewritten and sent synchronously. */
let scratch = Buffer.allocUnsafe(2048);
/** Views of `scratch` by length, made once each, so that a copy allocates nothing. */
let views: Buffer[] = [];

function scratchCopy(payload: Uint8Array): Buffer {
  const n = payload.length;
  if (n > scratch.length) {
    scratch = Buffer.allocUnsafe(n * 2);
    views = [];
  }
  scratch.set(payload, 0);
  let view = views[n];
  if (view === undefined) {
    view = scratch.subarray(0, n);
    views[n] = view;
  }
  return view;
}

export class TrackSender<AppData = unknown> implements PacketSink {
  readonly appData: AppData;
  readonly receiver: TrackReceiver;
  readonly out: OutgoingTrack;
  readonly #counters: MediaCounters;
  readonly #forwarder: Forwarder;
  readonly #rewriter: RtpRewriter;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #vp8: boolean;
  #want: WantedSize;
  #closed = false;
  #started = false;
  /** Ends the receiver's keeping of the layer this subscription awaits. */
  #endAwait: () => void;
  packetsSent = 0;
  /** RTP bytes forwarded (payload + 12-byte header). */
  bytesSent = 0;
  /** Subscriber NACKs answered from the publisher's recent packets. */
  packetsResent = 0;

  constructor(
    receiver: TrackReceiver,
    out: OutgoingTrack,
    want: WantedSize,
    counters: MediaCounters,
    appData: AppData,
  ) {
    this.receiver = receiver;
    this.out = out;
    this.appData = appData;
    this.#want = want;
    this.#counters = counters;
    const video = receiver.kind === "video";
    this.#vp8 = video;
    this.#forwarder = new Forwarder(video);
    this.#rewriter = new RtpRewriter({ clockRate: video ? 90000 : 48000, vp8: video });
    this.#unsubscribe.push(
      out.onKeyframeRequested(() => {
        const rid = this.#forwarder.currentLayer ?? this.#forwarder.targetLayer;
        if (rid !== undefined) receiver.requestKeyframe(rid);
      }),
      out.onNack((lost) => this.#onNack(lost)),
    );
    out.onSendFailure(() => this.#counters.forwardingErrors++);
    const target = selectLayer(receiver.layers(), want);
    this.#endAwait = target === undefined ? () => {} : receiver.awaitStart(target);
  }

  /**
   * Starts forwarding (once the subscriber's m-line is negotiated, so that the first
   * keyframe is not lost): from the layer's last keyframe if it is recent and kept whole,
   * else it asks for a keyframe. Idempotent.
   */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.receiver.addSink(this);
    this.#forwarder.setTarget(selectLayer(this.receiver.layers(), this.#want));
    this.#endAwait();
    const target = this.#forwarder.targetLayer;
    if (target === undefined) return;
    const run = this.#vp8 ? this.receiver.keyframeStart(target) : undefined;
    if (!run) {
      this.receiver.requestKeyframe(target);
      return;
    }
    this.#counters.keyframesReplayed++;
    for (const k of run) this.packetArrived(target, k.packet, k.keyframe, k.arrivalMs);
  }

  get started(): boolean {
    return this.#started;
  }

  /** The layer currently forwarded. */
  get currentLayer(): string | undefined {
    return this.#forwarder.currentLayer;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The subscriber shows the video at a new size. */
  setWantedSize(want: WantedSize): void {
    this.#want = want;
    this.#retarget();
  }

  layersChanged(): void {
    this.#retarget();
  }

  packetArrived(rid: string, packet: RtpPacket, keyframe: boolean, arrivalMs: number): boolean {
    if (this.#closed) return false;
    const decision = this.#forwarder.decide(rid, keyframe);
    if (decision === "drop") {
      if (rid === this.#forwarder.targetLayer) this.receiver.requestKeyframe(rid);
      return false;
    }
    if (decision === "switch") this.#counters.layerSwitches++;
    this.#forward(packet, arrivalMs, false);
    const bytes = packet.payload.length + 12;
    this.packetsSent++;
    this.bytesSent += bytes;
    this.#counters.packetsOut++;
    this.#counters.bytesOut += bytes;
    return true;
  }

  /** Stops forwarding and closes the outgoing track. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endAwait();
    this.receiver.removeSink(this);
    for (const u of this.#unsubscribe) u();
    this.out.close();
  }

  #retarget(): void {
    const before = this.#forwarder.targetLayer;
    const target = selectLayer(this.receiver.layers(), this.#want);
    this.#forwarder.setTarget(target);
    if (target !== undefined && target !== before && this.#forwarder.waitingForKeyframe) {
      this.receiver.requestKeyframe(target);
    }
  }

  /** Rewrites (in a scratch copy for VP8) and sends or resends one source packet. */
  #forward(packet: RtpPacket, arrivalMs: number, resend: boolean): boolean {
    const payload = this.#vp8 ? scratchCopy(packet.payload) : packet.payload;
    const h = packet.header;
    const r = this.#rewriter;
    r.rewrite(h.ssrc, h.sequenceNumber, h.timestamp, payload, arrivalMs);
    if (resend) return this.out.resendRtp(h.marker, r.sequenceNumber, r.timestamp, payload);
    this.out.sendRtp(h.marker, r.sequenceNumber, r.timestamp, payload);
    return true;
  }

  #onNack(lost: number[]): void {
    this.#counters.nacksReceived++;
    const rid = this.#forwarder.currentLayer;
    if (rid === undefined || this.#closed) return;
    const upstream: number[] = [];
    for (const seq of lost) {
      const src = this.#rewriter.sourceOf(seq);
      if (!src) continue;
      const p = this.receiver.historyPacket(rid, src.sequenceNumber);
      if (p && p.header.ssrc === src.ssrc) {
        if (this.#forward(p, 0, true)) this.packetsResent++;
      } else upstream.push(src.sequenceNumber);
    }
    if (upstream.length > 0) this.receiver.nackIfMissing(rid, upstream);
  }
}
