// RTP headers the focus writes for forwarded packets (RFC 3550 §5.1) with the header
// extensions of the subscriber's connection (RFC 8285): sdes:mid and abs-send-time. A header
// template is built once per stream; per packet only marker, sequence number, timestamp and
// the send time change.

export const URI_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
export const URI_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

export interface HeaderTemplate {
  /** Header with extensions; marker, sequence number, timestamp and send time are placeholders. */
  bytes: Buffer;
  /** Offset of the 3 abs-send-time bytes, -1 when not negotiated. */
  absSendTimeAt: number;
}

interface Element {
  id: number;
  data: Buffer;
  abs: boolean;
}

/**
 * Builds the template for one stream: payload type, SSRC and the extensions negotiated for it
 * (`extensions`: the sender's id/uri pairs; unknown URIs are left out). Uses the one-byte form,
 * or the two-byte form when an id is above 14 or an element is longer than 16 bytes.
 */
export function headerTemplate(
  payloadType: number,
  ssrc: number,
  mid: string | undefined,
  extensions: readonly { id: number; uri: string }[],
): HeaderTemplate {
  const elements: Element[] = [];
  for (const e of extensions) {
    if (e.uri === URI_MID && mid)
      elements.push({ id: e.id, data: Buffer.from(mid, "ascii"), abs: false });
    else if (e.uri === URI_ABS_SEND_TIME)
      elements.push({ id: e.id, data: Buffer.alloc(3), abs: true });
  }
  elements.sort((a, b) => a.id - b.id);
  const twoByte = elements.some((e) => e.id > 14 || e.data.length > 16);
  const perElement = twoByte ? 2 : 1;
  const body = elements.reduce((n, e) => n + perElement + e.data.length, 0);
  const padded = Math.ceil(body / 4) * 4;
  const extLen = elements.length > 0 ? 4 + padded : 0;
  const bytes = Buffer.alloc(12 + extLen);
  bytes[0] = 0x80 | (extLen > 0 ? 0x10 : 0);
  bytes[1] = payloadType & 0x7f;
  bytes.writeUInt32BE(ssrc >>> 0, 8);
  let absSendTimeAt = -1;
  if (extLen > 0) {
    bytes.writeUInt16BE(twoByte ? 0x1000 : 0xbede, 12);
    bytes.writeUInt16BE(padded / 4, 14);
    let at = 16;
    for (const e of elements) {
      if (twoByte) {
        bytes[at++] = e.id;
        bytes[at++] = e.data.length;
      } else bytes[at++] = (e.id << 4) | (e.data.length - 1);
      if (e.abs) absSendTimeAt = at;
      e.data.copy(bytes, at);
      at += e.data.length;
    }
  }
  return { bytes, absSendTimeAt };
}

/** abs-send-time: seconds in 6.18 fixed point, 24 bits, from a time in ms. */
export function absSendTime(ms: number): number {
  return Math.floor((ms * 262.144) % 0x1000000);
}

/**
 * A fresh header from the template (the datagram keeps it until sent, so it is not reused).
 */
export function writeHeader(
  t: HeaderTemplate,
  marker: boolean,
  sequenceNumber: number,
  timestamp: number,
  nowMs: number,
): Buffer {
  const h = Buffer.allocUnsafe(t.bytes.length);
  writeHeaderInto(t, h, 0, marker, sequenceNumber, timestamp, nowMs);
  return h;
}

/** Writes the header from the template into `out` at `offset`; returns its length. */
export function writeHeaderInto(
  t: HeaderTemplate,
  out: Buffer,
  offset: number,
  marker: boolean,
  sequenceNumber: number,
  timestamp: number,
  nowMs: number,
): number {
  t.bytes.copy(out, offset);
  out[offset + 1] = ((out[offset + 1] as number) & 0x7f) | (marker ? 0x80 : 0);
  out.writeUInt16BE(sequenceNumber & 0xffff, offset + 2);
  out.writeUInt32BE(timestamp >>> 0, offset + 4);
  if (t.absSendTimeAt >= 0) out.writeUIntBE(absSendTime(nowMs), offset + t.absSendTimeAt, 3);
  return t.bytes.length;
}
