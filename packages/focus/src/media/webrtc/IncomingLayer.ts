// One incoming RTP stream: one simulcast layer (rid) of one remote track, or the only stream
// of a track without simulcast (rid ""). Wraps a werift track and its receiver. Its first
// packets come through werift (which finds the stream by rid or SSRC); once the SSRC is known,
// `ssrcKnown` lets the peer route the rest past werift (rtpIntercept.ts) to `receiveIntercepted`.
import {
  GenericNack,
  type MediaStreamTrack,
  PictureLossIndication,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  type RtpPacket,
} from "werift";
import { countReceived, type StreamStatisticsLike } from "./receiveStats.ts";
import { flushSends } from "./sendQueue.ts";
import type { MediaKind } from "./types.ts";

export class IncomingLayer {
  readonly kind: MediaKind;
  readonly rid: string;
  readonly mid: string;
  readonly #track: MediaStreamTrack;
  readonly #transceiver: RTCRtpTransceiver;
  #ssrc: number | undefined;
  #listeners: ((packet: RtpPacket) => void)[] = [];
  readonly #ssrcKnown: ((layer: IncomingLayer, ssrc: number) => void) | undefined;

  /** `ssrcKnown` is called once, with the SSRC of the first packet werift delivered. */
  constructor(
    track: MediaStreamTrack,
    transceiver: RTCRtpTransceiver,
    ssrcKnown?: (layer: IncomingLayer, ssrc: number) => void,
  ) {
    this.#track = track;
    this.#transceiver = transceiver;
    this.#ssrcKnown = ssrcKnown;
    this.kind = track.kind === "audio" ? "audio" : "video";
    this.rid = track.rid ?? "";
    this.mid = transceiver.mid ?? "";
    track.onReceiveRtp.subscribe((p) => this.#deliver(p));
  }

  /**
   * msid stream id from the remote description. Read lazily: werift reports simulcast
   * tracks before it has stored the m-line's msid.
   */
  get streamId(): string {
    return this.#transceiver.receiver.remoteStreamId ?? this.#track.streamId ?? "";
  }

  /** msid track id from the remote description (read lazily, see streamId). */
  get trackId(): string {
    return this.#transceiver.receiver.remoteTrackId ?? this.#track.id ?? "";
  }

  /** False once the remote stopped sending on this m-line (renegotiated inactive or removed). */
  get receiving(): boolean {
    const t = this.#transceiver;
    if (t.stopped || t.stopping) return false;
    const d = t.currentDirection;
    return d === null || d === "recvonly" || d === "sendrecv";
  }

  /** SSRC of the stream; unknown until its first packet arrived (taken from the packet). */
  get ssrc(): number | undefined {
    return this.#ssrc ?? this.#track.ssrc;
  }

  /** Calls `fn` for every RTP packet; returns an unsubscribe function. */
  onRtp(fn: (packet: RtpPacket) => void): () => void {
    this.#listeners = [...this.#listeners, fn];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== fn);
    };
  }

  /** Delivers a packet recovered outside werift's routing (see RtxRepair) to the subscribers. */
  injectRtp(packet: RtpPacket): void {
    this.#deliver(packet);
  }

  /**
   * A packet of this layer's SSRC that bypassed werift (rtpIntercept.ts). Keeps the receiver's
   * statistics (its receiver reports) as werift would; false once this m-line stopped
   * receiving, so that the SSRC goes back to werift's routing.
   */
  receiveIntercepted(packet: RtpPacket): boolean {
    if (!this.receiving) return false;
    const receiver = this.#transceiver.receiver as unknown as {
      remoteStreams: Record<number, StreamStatisticsLike | undefined>;
    };
    const stats = receiver.remoteStreams[packet.header.ssrc];
    const h = packet.header;
    if (stats)
      countReceived(stats, h.sequenceNumber, h.timestamp, h.payloadOffset, packet.payload.length);
    this.#deliver(packet);
    return true;
  }

  #deliver(packet: RtpPacket): void {
    if (this.#ssrc === undefined) {
      this.#ssrc = packet.header.ssrc;
      this.#ssrcKnown?.(this, this.#ssrc);
    }
    for (const l of this.#listeners) l(packet);
    // the copies for this packet's subscribers leave now, not after the rest of the event
    // loop's turn: they would otherwise wait for every datagram read after this one
    flushSends();
  }

  /** Sends a PLI for this layer; false when its SSRC is not known yet. */
  requestKeyframe(): boolean {
    const ssrc = this.ssrc;
    if (ssrc === undefined) return false;
    const pli = new RtcpPayloadSpecificFeedback({
      feedback: new PictureLossIndication({
        senderSsrc: this.#transceiver.receiver.rtcpSsrc,
        mediaSsrc: ssrc,
      }),
    });
    void this.#transceiver.receiver.dtlsTransport.sendRtcp([pli]).catch(() => {});
    return true;
  }

  /** NACKs the given sequence numbers of this layer upstream (RFC 4585 §6.2.1). */
  sendNack(lost: number[]): boolean {
    const ssrc = this.ssrc;
    if (ssrc === undefined || lost.length === 0) return false;
    const nack = new RtcpTransportLayerFeedback({
      feedback: new GenericNack({
        senderSsrc: this.#transceiver.receiver.rtcpSsrc,
        mediaSourceSsrc: ssrc,
        lost,
      }),
    });
    void this.#transceiver.receiver.dtlsTransport.sendRtcp([nack]).catch(() => {});
    return true;
  }
}
