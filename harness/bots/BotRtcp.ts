// RTCP as a bot sees and sends it: records the sender and receiver reports the focus sends,
// and sends NACKs and PLIs for tracks the bot receives.
import {
  GenericNack,
  PictureLossIndication,
  type RTCDtlsTransport,
  RtcpPayloadSpecificFeedback,
  RtcpRrPacket,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
} from "werift";

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

/** One RTCP sender report (RFC 3550 §6.4.1) the focus sent, as received. */
export interface SenderReport {
  ssrc: number;
  /** The NTP timestamp as Unix time, ms. */
  ntpMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  /** Local time of arrival, ms. */
  receivedAtMs: number;
}

/** One report block (RFC 3550 §6.4.2) of a receiver or sender report the focus sent. */
export interface ReportBlock {
  /** SSRC of the focus's stream that wrote the report. */
  reporterSsrc: number;
  /** SSRC the block is about (one the bot sends). */
  ssrc: number;
  fractionLost: number;
  packetsLost: number;
  highestSequence: number;
  jitter: number;
  receivedAtMs: number;
}

/** The NTP timestamp of a sender report as Unix time in ms. */
export function ntpToUnixMs(ntp: bigint): number {
  const seconds = Number(ntp >> 32n) - NTP_UNIX_OFFSET;
  const fraction = Number(ntp & 0xffffffffn) / 0x100000000;
  return (seconds + fraction) * 1000;
}

export class RtcpRecorder {
  readonly senderReports: SenderReport[] = [];
  readonly reportBlocks: ReportBlock[] = [];

  attach(transport: RTCDtlsTransport): void {
    transport.onRtcp.subscribe((p) => this.#record(p));
  }

  #record(p: unknown): void {
    const receivedAtMs = Date.now();
    if (p instanceof RtcpSrPacket) {
      const i = p.senderInfo;
      this.senderReports.push({
        ssrc: p.ssrc,
        ntpMs: ntpToUnixMs(i.ntpTimestamp),
        rtpTimestamp: i.rtpTimestamp,
        packetCount: i.packetCount,
        octetCount: i.octetCount,
        receivedAtMs,
      });
    }
    if (p instanceof RtcpSrPacket || p instanceof RtcpRrPacket) {
      for (const r of p.reports) {
        this.reportBlocks.push({
          reporterSsrc: p.ssrc,
          ssrc: r.ssrc,
          fractionLost: r.fractionLost,
          packetsLost: r.packetsLost,
          highestSequence: r.highestSequence,
          jitter: r.jitter,
          receivedAtMs,
        });
      }
    }
  }
}

/** Sends a generic NACK (RFC 4585 §6.2.1) for sequence numbers of `mediaSsrc`. */
export function sendNack(transport: RTCDtlsTransport, mediaSsrc: number, lost: number[]): void {
  const feedback = new GenericNack({ senderSsrc: 1, mediaSourceSsrc: mediaSsrc, lost });
  void transport.sendRtcp([new RtcpTransportLayerFeedback({ feedback })]).catch(() => {});
}

/** Sends a picture loss indication (RFC 4585 §6.3.1) for `mediaSsrc`. */
export function sendPli(transport: RTCDtlsTransport, mediaSsrc: number): void {
  const feedback = new PictureLossIndication({ senderSsrc: 1, mediaSsrc });
  void transport.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback })]).catch(() => {});
}
