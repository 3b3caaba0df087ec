// Sender reports and their SDES CNAME chunks written straight into one buffer (RFC 3550
// §6.4.1, §6.5): werift's RTCP writers go through a bit writer that works on BigInts and
// strings, which made the focus's sender reports a sixth of what it allocated in a call of 20
// (docs/performance.md, open points).
import { RtcpType } from "./rtcpTypes.ts";

/** What one sender report says. */
export interface SenderReportFields {
  ssrc: number;
  /** NTP time (64-bit fixed point) of the sender's last packet. */
  ntp: bigint;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  cname?: string | undefined;
}

const { SR, SDES } = RtcpType;
const CNAME = 1;
const SR_BYTES = 28;

/** At most this many reports in one compound packet (the SDES chunk count has 5 bits). */
export const MAX_REPORTS = 31;

/**
 * A compound RTCP packet: one SR per sender, then one SDES with the CNAME (at most 255 bytes)
 * of those that have one. At most MAX_REPORTS reports.
 */
export function writeSenderReports(reports: readonly SenderReportFields[]): Buffer {
  if (reports.length > MAX_REPORTS) throw new RangeError(`more than ${MAX_REPORTS} reports`);
  const named = reports.filter((r) => r.cname);
  const cnames = named.map((r) => utf8Within(r.cname as string, 255));
  // a chunk: SSRC, the item (type, length, text), at least one zero octet, up to a 4-byte boundary
  const chunkBytes = cnames.map((c) => (4 + 2 + c.length + 1 + 3) & ~3);
  const sdesBytes = named.length > 0 ? 4 + chunkBytes.reduce((a, b) => a + b, 0) : 0;
  const out = Buffer.alloc(reports.length * SR_BYTES + sdesBytes);
  let o = 0;
  for (const r of reports) {
    out[o] = 0x80;
    out[o + 1] = SR;
    out.writeUInt16BE(SR_BYTES / 4 - 1, o + 2);
    out.writeUInt32BE(r.ssrc >>> 0, o + 4);
    out.writeUInt32BE(Number((r.ntp >> 32n) & 0xffffffffn), o + 8);
    out.writeUInt32BE(Number(r.ntp & 0xffffffffn), o + 12);
    out.writeUInt32BE(r.rtpTimestamp >>> 0, o + 16);
    out.writeUInt32BE(r.packetCount >>> 0, o + 20);
    out.writeUInt32BE(r.octetCount >>> 0, o + 24);
    o += SR_BYTES;
  }
  if (named.length === 0) return out;
  out[o] = 0x80 | named.length;
  out[o + 1] = SDES;
  out.writeUInt16BE(sdesBytes / 4 - 1, o + 2);
  o += 4;
  named.forEach((r, i) => {
    const text = cnames[i] as Buffer;
    out.writeUInt32BE(r.ssrc >>> 0, o);
    out[o + 4] = CNAME;
    out[o + 5] = text.length;
    text.copy(out, o + 6);
    o += chunkBytes[i] as number; // the rest of the chunk stays zero: end of items and padding
  });
  return out;
}

/** `text` as UTF-8, cut to at most `max` bytes at a character boundary. */
function utf8Within(text: string, max: number): Buffer {
  const b = Buffer.from(text, "utf8");
  if (b.length <= max) return b;
  let n = max;
  while (n > 0 && ((b[n] as number) & 0xc0) === 0x80) n--; // not inside a character
  return b.subarray(0, n);
}

/** The middle 32 bits of an NTP time (RFC 3550 §6.4.1 "LSR"). */
export function compactNtpOf(ntp: bigint): number {
  return Number((ntp >> 16n) & 0xffffffffn);
}
