// Synthetic VP8 frames cut into RTP payloads (RFC 7741): a payload descriptor with a 15-bit
// picture id, and on the first packet of a frame a VP8 frame header that is a valid key or
// inter frame as far as SFUs look (the P bit, the key frame start code and the size). The
// rest is the bench marker and filler.
import { MARKER_SIZE, type Marker, writeMarker } from "./marker.ts";

export interface Vp8FrameSpec {
  pictureId: number;
  keyframe: boolean;
  width: number;
  height: number;
  /** Total payload bytes of the frame, across its packets. */
  bytes: number;
  /** Largest payload of one packet. */
  maxPayload: number;
}

const DESCRIPTOR_SIZE = 4;
const KEY_HEADER_SIZE = 10;
const INTER_HEADER_SIZE = 3;

/** Cuts one frame into payloads; `marker(i)` gives the marker of packet i. */
export function vp8FramePayloads(spec: Vp8FrameSpec, marker: (i: number) => Marker): Buffer[] {
  const minPacket = DESCRIPTOR_SIZE + KEY_HEADER_SIZE + MARKER_SIZE;
  const count = Math.max(1, Math.ceil(spec.bytes / spec.maxPayload));
  const size = Math.max(minPacket, Math.ceil(spec.bytes / count));
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(size);
    const first = i === 0;
    // X=1, S=1 on the first packet, PID=0
    buf[0] = first ? 0x90 : 0x80;
    buf[1] = 0x80; // I=1: picture id present
    buf[2] = 0x80 | ((spec.pictureId >> 8) & 0x7f); // M=1: 15-bit picture id
    buf[3] = spec.pictureId & 0xff;
    let o = DESCRIPTOR_SIZE;
    if (first) o = writeFrameHeader(buf, o, spec);
    writeMarker(buf, o, marker(i));
    out.push(buf);
  }
  return out;
}

function writeFrameHeader(buf: Buffer, o: number, spec: Vp8FrameSpec): number {
  const firstPartSize = 16;
  // frame tag: bit 0 = P (0 = key frame), bits 1-3 version 0, bit 4 show_frame, 19 bits size
  const tag = (spec.keyframe ? 0 : 1) | (1 << 4) | (firstPartSize << 5);
  buf[o] = tag & 0xff;
  buf[o + 1] = (tag >> 8) & 0xff;
  buf[o + 2] = (tag >> 16) & 0xff;
  if (!spec.keyframe) return o + INTER_HEADER_SIZE;
  buf[o + 3] = 0x9d;
  buf[o + 4] = 0x01;
  buf[o + 5] = 0x2a;
  buf.writeUInt16LE(spec.width & 0x3fff, o + 6);
  buf.writeUInt16LE(spec.height & 0x3fff, o + 8);
  return o + KEY_HEADER_SIZE;
}

/** True when the payload starts a VP8 key frame (descriptor parsed per RFC 7741). */
export function isVp8KeyframeStart(p: Buffer): boolean {
  if (p.length < 1) return false;
  const b0 = p[0]!;
  const start = (b0 & 0x10) !== 0 && (b0 & 0x0f) === 0;
  if (!start) return false;
  let o = 1;
  if (b0 & 0x80) {
    const x = p[o++];
    if (x === undefined) return false;
    if (x & 0x80) o += (p[o] ?? 0) & 0x80 ? 2 : 1;
    if (x & 0x40) o += 1;
    if (x & 0x30) o += 1;
  }
  const tag = p[o];
  return tag !== undefined && (tag & 0x01) === 0;
}
