// Synthetic RTP media for headless participants: Opus-sized audio packets and VP8 simulcast
// frames whose payload descriptor and keyframe header are valid (RFC 7741, RFC 6386 §9.1), so
// that the focus can detect keyframes and frame sizes. The pixels are not a real picture.

export interface LayerSpec {
  rid: string;
  width: number;
  height: number;
  /** Bytes per frame (split into packets of at most 1100 bytes). */
  frameBytes: number;
}

/** Default layers: q 320x180, h 640x360, f 1280x720, about 100/250/600 kb/s at 15 fps. */
export const defaultLayers: LayerSpec[] = [
  { rid: "q", width: 320, height: 180, frameBytes: 800 },
  { rid: "h", width: 640, height: 360, frameBytes: 2000 },
  { rid: "f", width: 1280, height: 720, frameBytes: 5000 },
];

const MAX_PACKET = 1100;

/** Payloads (one per RTP packet) of one VP8 frame; the first carries the start bit. */
export function vp8Frame(o: {
  pictureId: number;
  tl0PicIdx: number;
  keyframe: boolean;
  width: number;
  height: number;
  bytes: number;
}): Buffer[] {
  const out: Buffer[] = [];
  let left = Math.max(o.bytes, 16);
  let first = true;
  while (left > 0) {
    const size = Math.min(left, MAX_PACKET);
    left -= size;
    const desc = Buffer.from([
      0x80 | (first ? 0x10 : 0),
      0xc0,
      0x80 | ((o.pictureId >> 8) & 0x7f),
      o.pictureId & 0xff,
      o.tl0PicIdx & 0xff,
    ]);
    const body = Buffer.alloc(Math.max(size, 10));
    if (first) {
      body[0] = (o.keyframe ? 0 : 1) | 0x10;
      if (o.keyframe) {
        body[3] = 0x9d;
        body[4] = 0x01;
        body[5] = 0x2a;
        body.writeUInt16LE(o.width & 0x3fff, 6);
        body.writeUInt16LE(o.height & 0x3fff, 8);
      }
    }
    out.push(Buffer.concat([desc, body]));
    first = false;
  }
  return out;
}

/** Reads a VP8 payload: keyframe start, picture id (or undefined), frame size of a keyframe. */
export function readVp8(p: Buffer): {
  keyframe: boolean;
  pictureId?: number;
  width?: number;
  height?: number;
} {
  if (p.length < 1) return { keyframe: false };
  const b0 = p[0] as number;
  let i = 1;
  let pictureId: number | undefined;
  if (b0 & 0x80) {
    const b1 = p[1] ?? 0;
    i = 2;
    if (b1 & 0x80) {
      const m = p[i] ?? 0;
      if (m & 0x80) {
        pictureId = ((m & 0x7f) << 8) | (p[i + 1] ?? 0);
        i += 2;
      } else {
        pictureId = m & 0x7f;
        i += 1;
      }
    }
    if (b1 & 0x40) i += 1;
    if (b1 & 0x30) i += 1;
  }
  const start = (b0 & 0x10) !== 0 && (b0 & 0x07) === 0;
  const keyframe = start && p.length > i && ((p[i] as number) & 1) === 0;
  if (!keyframe || p.length < i + 10)
    return { keyframe, ...(pictureId !== undefined ? { pictureId } : {}) };
  return {
    keyframe,
    ...(pictureId !== undefined ? { pictureId } : {}),
    width: p.readUInt16LE(i + 6) & 0x3fff,
    height: p.readUInt16LE(i + 8) & 0x3fff,
  };
}
