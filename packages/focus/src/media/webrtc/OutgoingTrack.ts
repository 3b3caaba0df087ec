// One track the focus sends to a subscriber: a send-only transceiver whose m-line carries
// `a=msid:<stream id> <track id>` of the original publication. werift keeps a history of
// sent packets and answers the subscriber's NACKs from it (with RTX when negotiated).
import {
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  RtcpPayloadSpecificFeedback,
  type RtpPacket,
} from "werift";
import type { MediaKind } from "./types.ts";

/** RFC 5104 §4.3.1 FIR is a payload-specific feedback with FMT 4. */
const FIR_FMT = 4;

export class OutgoingTrack {
  readonly kind: MediaKind;
  readonly streamId: string;
  readonly trackId: string;
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  #closed = false;

  constructor(
    pc: RTCPeerConnection,
    transceiver: RTCRtpTransceiver,
    streamId: string,
    trackId: string,
  ) {
    this.#pc = pc;
    this.#transceiver = transceiver;
    this.kind = transceiver.kind === "audio" ? "audio" : "video";
    this.streamId = streamId;
    this.trackId = trackId;
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
   * publisher's header extensions are dropped (their ids belong to the other connection).
   */
  send(packet: RtpPacket): void {
    if (this.#closed) return;
    packet.header.extensions = [];
    void this.#transceiver.sender.sendRtp(packet).catch(() => {});
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

  /** The subscriber NACKed these output sequence numbers (werift already answered what it had). */
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
