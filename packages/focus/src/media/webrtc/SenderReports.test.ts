import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type RtcpPacket,
  RtcpPacketConverter,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
} from "werift";
import { type ReportedSender, SenderReports } from "./SenderReports.ts";

/** A transport that keeps each SRTCP payload it is given, parsed back by werift's reader. */
function transport() {
  const sent: RtcpPacket[][] = [];
  return {
    sent,
    sendRtcp: async (packets: RtcpPacket[]) => {
      sent.push(RtcpPacketConverter.deSerialize(Buffer.concat(packets.map((p) => p.serialize()))));
    },
  };
}

/** The NTP time of every sender's last packet in these tests. */
const NTP = (3_900_000_000n << 32n) | 0x80000000n;
const lastSentNtp = () => NTP;

function sender(ssrc: number, t: ReturnType<typeof transport>): ReportedSender {
  return {
    ssrc,
    cname: "focus-cname",
    rtpTimestamp: ssrc * 10,
    packetCount: ssrc + 1,
    octetCount: (ssrc + 1) * 1000,
    lastSRtimestamp: 0,
    lastSentSRTimestamp: 0,
    dtlsTransport: t,
  };
}

/** The SSRCs of every sender report `t` was given, in order. */
function reportedSsrcs(t: ReturnType<typeof transport>): number[] {
  return t.sent
    .flat()
    .filter((x) => x instanceof RtcpSrPacket)
    .map((r) => r.ssrc);
}

describe("SenderReports", () => {
  it("reports every sender of a transport with its own counts, in packets of at most perPacket senders", () => {
    const t = transport();
    const reports = new SenderReports({ intervalMs: 60_000, perPacket: 12 });
    const senders = Array.from({ length: 14 }, (_, i) => sender(i + 1, t));
    for (const s of senders) reports.add(s, lastSentNtp);
    reports.round();
    reports.close();
    expect(t.sent.map((p) => p.filter((x) => x instanceof RtcpSrPacket).length)).toEqual([12, 2]);
    // what goes on the wire parses back to the same reports, each with its CNAME
    const wire = RtcpPacketConverter.deSerialize(
      Buffer.concat(t.sent[1]!.map((p) => p.serialize())),
    );
    const srs = wire.filter((x) => x instanceof RtcpSrPacket);
    expect(srs.map((r) => [r.ssrc, r.senderInfo.packetCount, r.senderInfo.octetCount])).toEqual([
      [13, 14, 14_000],
      [14, 15, 15_000],
    ]);
    expect(srs[0]?.senderInfo.rtpTimestamp).toBe(130);
    expect(srs[0]?.senderInfo.ntpTimestamp).toBe(NTP);
    const sdes = wire.find((x) => x instanceof RtcpSourceDescriptionPacket);
    expect(sdes?.chunks.map((c) => c.source)).toEqual([13, 14]);
    // werift computes round-trip times from these when a receiver report comes back
    expect(senders[0]?.lastSRtimestamp).toBe((3_900_000_000 & 0xffff) * 65536 + 0x8000);
  });

  it("keeps werift's own loop off and drops a sender once it is stopped", () => {
    const t = transport();
    const reports = new SenderReports({ intervalMs: 60_000, perPacket: 12 });
    const a = sender(1, t);
    const b = sender(2, t);
    reports.add(a, lastSentNtp);
    reports.add(b, lastSentNtp);
    expect(a.rtcpRunning).toBe(true);
    b.stopped = true;
    reports.round();
    reports.close();
    expect(reports.size).toBe(0);
    expect(reportedSsrcs(t)).toEqual([1]);
  });

  it("sends one packet per transport when senders use different transports", () => {
    const t1 = transport();
    const t2 = transport();
    const reports = new SenderReports({ intervalMs: 60_000, perPacket: 12 });
    reports.add(sender(1, t1), lastSentNtp);
    reports.add(sender(2, t2), lastSentNtp);
    reports.add(sender(3, t1), lastSentNtp);
    reports.round();
    reports.close();
    expect([t1.sent.length, t2.sent.length]).toEqual([1, 1]);
    expect(reports.packetsSent).toBe(2);
  });

  describe("timing", () => {
    afterEach(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    it("sends a round every period, one period per connection drawn once from 0.5–1.5 × the interval", () => {
      vi.useFakeTimers();
      const t = transport();
      const reports = new SenderReports({ intervalMs: 1000, perPacket: 12 });
      reports.add(sender(1, t), lastSentNtp);
      const at: number[] = [];
      for (let ms = 0; ms < 20_000; ms += 5) {
        vi.advanceTimersByTime(5);
        while (at.length < t.sent.length) at.push(ms + 5);
      }
      reports.close();
      const gaps = at.slice(1).map((a, i) => a - (at[i] ?? 0));
      expect(at[0]).toBeGreaterThanOrEqual(500);
      expect(at[0]).toBeLessThanOrEqual(1500);
      // one period: every gap the same (to the 5 ms steps of this loop)
      expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(5);
      expect(Math.abs((gaps[0] ?? 0) - (at[0] ?? 0))).toBeLessThanOrEqual(5);
    });

    it("stops its timer once no sender is left, and starts one again for a new sender", () => {
      vi.useFakeTimers();
      vi.spyOn(Math, "random").mockReturnValue(0.5); // a period of exactly 1000 ms
      const t = transport();
      const reports = new SenderReports({ intervalMs: 1000, perPacket: 12 });
      const a = sender(1, t);
      reports.add(a, lastSentNtp);
      a.stopped = true;
      vi.advanceTimersByTime(1500);
      expect(vi.getTimerCount()).toBe(0);
      reports.add(sender(2, t), lastSentNtp);
      vi.advanceTimersByTime(1000);
      expect(reportedSsrcs(t)).toEqual([2]);
      reports.close();
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
