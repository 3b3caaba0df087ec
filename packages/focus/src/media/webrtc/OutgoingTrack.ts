// One track the focus sends to a subscriber: a send-only transceiver whose m-line carries
// `a=msid:<stream id> <track id>` of the original publication. Packets go out through
// FastRtpSender (not werift's per-packet path); werift keeps no history for them, so the
// caller answers the subscriber's NACKs (resend).
import {
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
  type RtpPacket,
} from "werift";
import { FastRtpSender, type WeriftSenderLike } from "./FastRtpSender.ts";
import type { SenderReports } from "./SenderReports.ts";
import type { MediaKind } from "./types.ts";

/** RFC 5104 §4.3.1 FIR is a payload-specific feedback with FMT 4. */
const FIR_FMT = 4;

export class OutgoingTrack {
  readonly kind: MediaKind;
  readonly streamId: string;
  readonly trackId: string;
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #fast: FastRtpSender;
  #closed = false;

  constructor(
    pc: RTCPeerConnection,
    transceiver: RTCRtpTransceiver,
    streamId: string,
    trackId: string,
    reports: SenderReports,
  ) {
    this.#pc = pc;
    this.#transceiver = transceiver;
    this.kind = transceiver.kind === "audio" ? "audio" : "video";
    this.streamId = streamId;
    this.trackId = trackId;
    this.#fast = new FastRtpSender(transceiver.sender as unknown as WeriftSenderLike, reports);
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
    const a = this.#transceiver.sender.onPictureLossIndication.subscribe(fn);
    const b = this.#transceiver.sender.onRtcp.subscribe((p) => {
      if (p instanceof RtcpPayloadSpecificFeedback && p.feedback.count === FIR_FMT) fn();
    });
    return () => {
      a.unSubscribe();
      b.unSubscribe();
    };
  }

  /** The subscriber NACKed these output sequence numbers. */
  onNack(fn: (lost: number[]) => void): () => void {
    return this.#transceiver.sender.onGenericNack.subscribe((n) => fn(n.lost)).unSubscribe;
  }

  /** Stops sending; the m-line becomes inactive at the next negotiation. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#pc.removeTrack(this.#transceiver.sender);
    } catch {
      // already gone with its peer connection
    }
  }
}
