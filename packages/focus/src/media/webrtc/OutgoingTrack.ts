// One track the focus sends to a subscriber: a send-only transceiver whose m-line carries
// `a=msid:<stream id> <track id>` of the original publication. Packets go out through
// FastRtpSender (not werift's per-packet path); werift keeps no history for them, so the
// caller answers the subscriber's NACKs (resend). The subscriber's feedback reaches the track
// through the peer's RtcpFeedbackRouter (read past werift) or, for compounds werift reads,
// through werift's sender events.
import {
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
  type RtpPacket,
} from "werift";
import { FastRtpSender, type WeriftSenderLike } from "./FastRtpSender.ts";
import type { FeedbackTarget, RtcpFeedbackRouter } from "./rtcpFeedback.ts";
import type { SenderReports } from "./SenderReports.ts";
import type { MediaKind } from "./types.ts";

/** RFC 5104 §4.3.1 FIR is a payload-specific feedback with FMT 4. */
const FIR_FMT = 4;

export class OutgoingTrack implements FeedbackTarget {
  readonly kind: MediaKind;
  readonly streamId: string;
  readonly trackId: string;
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #fast: FastRtpSender;
  readonly #feedback: RtcpFeedbackRouter;
  readonly #keyframeListeners = new Set<() => void>();
  readonly #nackListeners = new Set<(lost: number[]) => void>();
  readonly #unsubscribe: (() => void)[];
  #closed = false;

  constructor(
    pc: RTCPeerConnection,
    transceiver: RTCRtpTransceiver,
    streamId: string,
    trackId: string,
    reports: SenderReports,
    feedback: RtcpFeedbackRouter,
  ) {
    this.#pc = pc;
    this.#transceiver = transceiver;
    this.kind = transceiver.kind === "audio" ? "audio" : "video";
    this.streamId = streamId;
    this.trackId = trackId;
    this.#fast = new FastRtpSender(transceiver.sender as unknown as WeriftSenderLike, reports);
    const sender = transceiver.sender;
    this.#unsubscribe = [
      sender.onPictureLossIndication.subscribe(() => this.keyframeRequested()).unSubscribe,
      sender.onRtcp.subscribe((p) => {
        if (p instanceof RtcpPayloadSpecificFeedback && p.feedback.count === FIR_FMT) {
          this.keyframeRequested();
        }
      }).unSubscribe,
      sender.onGenericNack.subscribe((n) => this.nacked(n.lost)).unSubscribe,
    ];
    this.#feedback = feedback;
    feedback.add(sender.ssrc, this);
  }

  get ssrc(): number {
    return this.#transceiver.sender.ssrc;
  }

  get mid(): string | null {
    return this.#transceiver.mid;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a packet whose sequence number and timestamp the caller already rewrote. The
   * publisher's header extensions are dropped (their ids belong to the other connection);
   * the packet itself is not changed.
   */
  send(packet: RtpPacket): void {
    const h = packet.header;
    this.sendRtp(h.marker, h.sequenceNumber, h.timestamp, packet.payload);
  }

  /** Sends one packet from its (rewritten) header fields and payload; the payload is not kept. */
  sendRtp(marker: boolean, sequenceNumber: number, timestamp: number, payload: Uint8Array): void {
    if (this.#closed) return;
    this.#fast.send(marker, sequenceNumber, timestamp, payload);
  }

  /** Retransmits an output packet a subscriber NACKed (RTX when negotiated). */
  resendRtp(
    marker: boolean,
    sequenceNumber: number,
    timestamp: number,
    payload: Uint8Array,
  ): boolean {
    if (this.#closed) return false;
    return this.#fast.resend(marker, sequenceNumber, timestamp, payload);
  }

  /** A packet could not be sent (protecting or sending it threw); it is dropped. */
  onSendFailure(fn: (message: string) => void): void {
    this.#fast.onFailure = fn;
  }

  /** The subscriber asked for a keyframe (PLI or FIR). */
  onKeyframeRequested(fn: () => void): () => void {
    this.#keyframeListeners.add(fn);
    return () => this.#keyframeListeners.delete(fn);
  }

  /** The subscriber NACKed these output sequence numbers. */
  onNack(fn: (lost: number[]) => void): () => void {
    this.#nackListeners.add(fn);
    return () => this.#nackListeners.delete(fn);
  }

  /** FeedbackTarget: a PLI or FIR for this track arrived. */
  keyframeRequested(): void {
    for (const fn of this.#keyframeListeners) fn();
  }

  /** FeedbackTarget: a NACK for this track arrived. */
  nacked(lost: number[]): void {
    for (const fn of this.#nackListeners) fn(lost);
  }

  /** Stops sending; the m-line becomes inactive at the next negotiation. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#feedback.remove(this.ssrc, this);
    for (const u of this.#unsubscribe) u();
    try {
      this.#pc.removeTrack(this.#transceiver.sender);
    } catch {
      // already gone with its peer connection
    }
  }
}
