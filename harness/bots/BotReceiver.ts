// What a bot receives from the focus: one ReceivedTrack per forwarded track (keyed by the
// msid the focus announced), optionally ignoring some video packets and NACKing them at once,
// and PLIs for received tracks.
import type { RTCDtlsTransport, RTCPeerConnection, RTCRtpTransceiver } from "werift";
import { sendNack, sendPli } from "./BotRtcp.ts";
import { ReceivedTrack } from "./ReceivedTrack.ts";

export class BotReceiver {
  /** Tracks received from the focus, by "streamId/trackId". */
  readonly received = new Map<string, ReceivedTrack>();
  readonly #pc: RTCPeerConnection;
  /** Share of received video packets ignored and NACKed, 0..1. */
  readonly #dropShare: number;
  readonly #watched = new WeakSet<RTCRtpTransceiver>();
  /** Retransmissions that arrived as RTX (RFC 4588), before werift unwraps them. */
  rtxReceived = 0;
  #rtxPts: { sdp: string; pts: Set<number> } = { sdp: "", pts: new Set() };

  constructor(pc: RTCPeerConnection, dropReceivedVideo: number) {
    this.#pc = pc;
    this.#dropShare = dropReceivedVideo;
    pc.onRemoteTransceiverAdded.subscribe((t) => this.#watch(t));
    pc.onTransceiverAdded.subscribe((t) => this.#watch(t));
  }

  /** Counts RTX packets on `transport` (call once its DTLS transport exists). */
  countRtx(transport: RTCDtlsTransport): void {
    transport.onRtp.subscribe((p) => {
      if (this.#rtxPayloadTypes().has(p.header.payloadType)) this.rtxReceived++;
    });
  }

  track(streamId: string, trackId: string): ReceivedTrack | undefined {
    return this.received.get(`${streamId}/${trackId}`);
  }

  /** Sends a PLI for a received track (false until a packet of it arrived). */
  requestKeyframe(streamId: string, trackId: string): boolean {
    const ssrc = this.track(streamId, trackId)?.lastSsrc;
    const transport = this.#pc.dtlsTransports[0];
    if (ssrc === undefined || !transport) return false;
    sendPli(transport, ssrc);
    return true;
  }

  /** Payload types of rtx/90000 in the current remote description (the focus's). */
  #rtxPayloadTypes(): Set<number> {
    const sdp = this.#pc.remoteDescription?.sdp ?? "";
    if (sdp !== this.#rtxPts.sdp) {
      const pts = [...sdp.matchAll(/a=rtpmap:(\d+) rtx\/90000/gi)].map((m) => Number(m[1]));
      this.#rtxPts = { sdp, pts: new Set(pts) };
    }
    return this.#rtxPts.pts;
  }

  #dropNow(rec: ReceivedTrack): boolean {
    return this.#dropShare > 0 && rec.packets > 0 && Math.random() < this.#dropShare;
  }

  #watch(t: RTCRtpTransceiver): void {
    if (this.#watched.has(t)) return;
    this.#watched.add(t);
    t.onTrack.subscribe((track) => {
      // the msid is read at the first packet: werift may report the track before storing it
      let rec: ReceivedTrack | undefined;
      track.onReceiveRtp.subscribe((p) => {
        if (!rec) {
          const streamId = t.receiver.remoteStreamId ?? track.streamId ?? "";
          const trackId = t.receiver.remoteTrackId ?? track.id ?? "";
          const key = `${streamId}/${trackId}`;
          rec =
            this.received.get(key) ??
            new ReceivedTrack(streamId, trackId, track.kind === "audio" ? "audio" : "video");
          this.received.set(key, rec);
        }
        const { ssrc, sequenceNumber: seq, timestamp } = p.header;
        if (rec.kind === "video" && !rec.retransmissionArrived(seq) && this.#dropNow(rec)) {
          rec.droppedOnPurpose(seq);
          const transport = this.#pc.dtlsTransports[0];
          if (transport) sendNack(transport, ssrc, [seq]);
          return;
        }
        rec.packetArrived(ssrc, seq, p.payload, timestamp);
      });
    });
  }
}
