// RTCP sender reports (RFC 3550 §6.4.1) for every sender of one peer connection, in one round:
// a timer per connection instead of werift's loop per sender (a timer, an abort listener and
// a chain of promises per sender and round, most of it surviving into the old generation),
// and one SRTCP packet per `perPacket` senders instead of one per sender.
// The report's content is what werift's loop would have sent: the sender's packet and octet
// counts, the RTP timestamp of its last packet (FastRtpSender keeps those on werift's sender)
// and the NTP time it was sent at (asked for), then an SDES CNAME chunk per sender.
import { type RtcpPacket, timestampSeconds } from "werift";
import {
  compactNtpOf,
  MAX_REPORTS,
  type SenderReportFields,
  writeSenderReports,
} from "./rtcpReports.ts";

/** The fields of werift's RTCRtpSender that a report reads and writes. */
export interface ReportedSender {
  ssrc: number;
  cname?: string;
  stopped?: boolean;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  /** Read by werift when a receiver report comes back (round-trip time). */
  lastSRtimestamp: number;
  lastSentSRTimestamp: number;
  /** werift's own loop does not start while this is true. */
  rtcpRunning?: boolean;
  dtlsTransport?: { sendRtcp(packets: RtcpPacket[]): Promise<unknown> };
}

export interface SenderReportOptions {
  /** Mean time between two rounds, ms; each connection's period is drawn once from 0.5–1.5 × this. */
  intervalMs: number;
  /** Senders per SRTCP packet (12 × (28 + 44) bytes stays under a 1200-byte MTU). */
  perPacket: number;
}

export const senderReportDefaults: SenderReportOptions = { intervalMs: 1000, perPacket: 12 };

export class SenderReports {
  readonly #o: SenderReportOptions;
  /** Each sender with the NTP time of its last packet. */
  readonly #senders = new Map<ReportedSender, () => bigint>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** SRTCP packets handed to the transports so far. */
  packetsSent = 0;

  constructor(o: SenderReportOptions = senderReportDefaults) {
    this.#o = o;
  }

  /**
   * Reports on `s` from now on until it is stopped, with `lastSentNtp()` as the NTP time of its
   * last packet; werift's own loop for it stays off.
   */
  add(s: ReportedSender, lastSentNtp: () => bigint): void {
    if (this.#closed) return;
    s.rtcpRunning = true;
    this.#senders.set(s, lastSentNtp);
    this.#schedule();
  }

  get size(): number {
    return this.#senders.size;
  }

  /** Sends one round now: the reports of every sender that is not stopped. */
  round(): void {
    const byTransport = new Map<NonNullable<ReportedSender["dtlsTransport"]>, ReportedSender[]>();
    for (const s of this.#senders.keys()) {
      if (s.stopped) {
        this.#senders.delete(s);
        continue;
      }
      const t = s.dtlsTransport;
      if (!t) continue;
      const list = byTransport.get(t);
      if (list) list.push(s);
      else byTransport.set(t, [s]);
    }
    const now = timestampSeconds();
    const perPacket = Math.min(this.#o.perPacket, MAX_REPORTS);
    for (const [transport, senders] of byTransport) {
      for (let i = 0; i < senders.length; i += perPacket) {
        const batch = senders.slice(i, i + perPacket);
        const wire = writeSenderReports(
          batch.map((s) => report(s, this.#senders.get(s)?.() ?? 0n, now)),
        );
        this.packetsSent++;
        // werift's transport encrypts what `serialize` gives; not connected yet, or closing:
        // the next round tries again
        transport.sendRtcp([{ serialize: () => wire } as unknown as RtcpPacket]).catch(() => {});
      }
    }
  }

  /** Stops the rounds. Idempotent. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#senders.clear();
  }

  #schedule(): void {
    if (this.#timer || this.#closed || this.#senders.size === 0) return;
    // One period per connection, drawn once from RFC 3550's 0.5–1.5 × range, on one interval
    // timer for the connection's life: a new timeout per round, each with a new duration and
    // so a new timer list, lived a round long and was promoted to the old generation (about
    // 10% of what a fan-out of 95 promoted; decisions/perf-sender-reports.md).
    const period = Math.round(this.#o.intervalMs * (0.5 + Math.random()));
    this.#timer = setInterval(() => {
      this.round();
      if (this.#senders.size > 0) return;
      clearInterval(this.#timer);
      this.#timer = undefined;
    }, period);
    this.#timer.unref?.();
  }
}

/** The report of one sender; notes when it was sent, as werift's loop does. */
function report(s: ReportedSender, ntp: bigint, nowSeconds: number): SenderReportFields {
  s.lastSRtimestamp = compactNtpOf(ntp);
  s.lastSentSRTimestamp = nowSeconds;
  const { ssrc, rtpTimestamp, packetCount, octetCount, cname } = s;
  return { ssrc, ntp, rtpTimestamp, packetCount, octetCount, cname };
}
