// One incoming RTP stream: one simulcast layer (rid) of one remote track, or the only stream
// of a track without simulcast (rid ""). Wraps a werift track and its receiver.
import {
  GenericNack,
  type MediaStreamTrack,
  PictureLossIndication,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  type RtpPacket,
} from "werift";
import type { MediaKind } from "./types.ts";

export class IncomingLayer {
  readonly kind: MediaKind;
  /** msid stream id from the remote description. */
  readonly streamId: string;
  /** msid track id from the remote description. */
  readonly trackId: string;
  readonly rid: string;
  readonly mid: string;
  readonly #track: MediaStreamTrack;
  readonly #transceiver: RTCRtpTransceiver;

  constructor(track: MediaStreamTrack, transceiver: RTCRtpTransceiver) {
    this.#track = track;
    this.#transceiver = transceiver;
    this.kind = track.kind === "audio" ? "audio" : "video";
    const receiver = transceiver.receiver;
    this.streamId = receiver.remoteStreamId ?? track.streamId ?? "";
    this.trackId = receiver.remoteTrackId ?? track.id ?? "";
    this.rid = track.rid ?? "";
    this.mid = transceiver.mid ?? "";
  }

  /** SSRC of the stream; unknown until its first packet arrived. */
  get ssrc(): number | undefined {
    return this.#track.ssrc;
  }

  /** Calls `fn` for every RTP packet; returns an unsubscribe function. */
  onRtp(fn: (packet: RtpPacket) => void): () => void {
    const { unSubscribe } = this.#track.onReceiveRtp.subscribe((p) => fn(p));
    return unSubscribe;
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
