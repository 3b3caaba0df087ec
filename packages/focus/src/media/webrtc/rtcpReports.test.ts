import { describe, expect, it } from "vitest";
import { RtcpPacketConverter, RtcpSourceDescriptionPacket, RtcpSrPacket } from "werift";
import { compactNtpOf, MAX_REPORTS, writeSenderReports } from "./rtcpReports.ts";

const fields = (ssrc: number, cname?: string) => ({
  ssrc,
  ntp: (0x01020304n << 32n) | 0x05060708n,
  rtpTimestamp: 0xfffffffe,
  packetCount: 7,
  octetCount: 9000,
  cname,
});

describe("writeSenderReports", () => {
  it("writes CNAMEs of every length so that werift's reader gets them back, each chunk on a 4-byte boundary", () => {
    const names = ["a", "ab", "abc", "abcd", "abcde", "é".repeat(200)];
    const wire = writeSenderReports(names.map((n, i) => fields(i + 1, n)));
    expect(wire.length % 4).toBe(0);
    const packets = RtcpPacketConverter.deSerialize(wire);
    const srs = packets.filter((p) => p instanceof RtcpSrPacket);
    expect(srs.map((r) => r.ssrc)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(srs[0]?.senderInfo.ntpTimestamp).toBe((0x01020304n << 32n) | 0x05060708n);
    expect(srs[0]?.senderInfo.rtpTimestamp).toBe(0xfffffffe);
    const sdes = packets.find((p) => p instanceof RtcpSourceDescriptionPacket);
    const texts = sdes?.chunks.map((c) => c.items[0]?.text);
    expect(texts?.slice(0, 5)).toEqual(names.slice(0, 5));
    // 400 bytes of UTF-8 cut to the item's limit of 255, between two characters
    expect(texts?.[5]).toBe("é".repeat(127));
  });

  it("leaves the SDES out when no sender has a CNAME and refuses more reports than a packet can name", () => {
    expect(writeSenderReports([fields(1), fields(2)]).length).toBe(56);
    const many = Array.from({ length: MAX_REPORTS + 1 }, (_, i) => fields(i));
    expect(() => writeSenderReports(many)).toThrow(RangeError);
  });

  it("takes the middle 32 bits of an NTP time", () => {
    expect(compactNtpOf((0x01020304n << 32n) | 0x05060708n)).toBe(0x03040506);
  });
});
