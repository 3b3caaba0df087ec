// VP8 RTP payload descriptor, RFC 7741 §4.2:
//       0 1 2 3 4 5 6 7
//      +-+-+-+-+-+-+-+-+
//      |X|R|N|S|R| PID | (REQUIRED)
//      +-+-+-+-+-+-+-+-+
// X:   |I|L|T|K| RSV   | (OPTIONAL)
//      +-+-+-+-+-+-+-+-+
// I:   |M| PictureID   | (OPTIONAL, 7 or 15 bits with M)
//      +-+-+-+-+-+-+-+-+
// L:   |   TL0PICIDX   | (OPTIONAL)
//      +-+-+-+-+-+-+-+-+
// T/K: |TID|Y| KEYIDX  | (OPTIONAL)
// followed by the VP8 payload header (RFC 7741 §4.3) whose first bit P is 0 for keyframes.

export interface Vp8Descriptor {
  /** Start of a VP8 partition. */
  start: boolean;
  partitionId: number;
  /** Byte offset of the picture id, or -1 when absent. */
  pictureIdOffset: number;
  /** 7 or 15 (bits), 0 when absent. */
  pictureIdBits: number;
  pictureId: number;
  /** Byte offset of TL0PICIDX, or -1 when absent. */
  tl0PicIdxOffset: number;
  tl0PicIdx: number;
  /** Length of the descriptor; the VP8 payload header starts here. */
  headerLength: number;
  /** The packet starts a keyframe. */
  keyframe: boolean;
}

/** Parses the descriptor; undefined when the payload is too short to be VP8. */
export function parseVp8(payload: Uint8Array): Vp8Descriptor | undefined {
  const d = emptyVp8Descriptor();
  return parseVp8Into(payload, d) ? d : undefined;
}

/** A descriptor to parse into (`parseVp8Into`), so that the packet path allocates none. */
export function emptyVp8Descriptor(): Vp8Descriptor {
  return {
    start: false,
    partitionId: 0,
    pictureIdOffset: -1,
    pictureIdBits: 0,
    pictureId: 0,
    tl0PicIdxOffset: -1,
    tl0PicIdx: 0,
    headerLength: 0,
    keyframe: false,
  };
}

/** `parseVp8` into `d`; false (and `d` unspecified) when the payload is too short to be VP8. */
export function parseVp8Into(payload: Uint8Array, d: Vp8Descriptor): boolean {
  if (payload.length < 1) return false;
  const b0 = payload[0] as number;
  const x = (b0 & 0x80) !== 0;
  const start = (b0 & 0x10) !== 0;
  const partitionId = b0 & 0x07;
  let i = 1;
  let pictureIdOffset = -1;
  let pictureIdBits = 0;
  let pictureId = 0;
  let tl0PicIdxOffset = -1;
  let tl0PicIdx = 0;
  if (x) {
    if (payload.length < 2) return false;
    const b1 = payload[1] as number;
    i = 2;
    if (b1 & 0x80) {
      if (payload.length < i + 1) return false;
      pictureIdOffset = i;
      const p0 = payload[i] as number;
      if (p0 & 0x80) {
        if (payload.length < i + 2) return false;
        pictureIdBits = 15;
        pictureId = ((p0 & 0x7f) << 8) | (payload[i + 1] as number);
        i += 2;
      } else {
        pictureIdBits = 7;
        pictureId = p0 & 0x7f;
        i += 1;
      }
    }
    if (b1 & 0x40) {
      if (payload.length < i + 1) return false;
      tl0PicIdxOffset = i;
      tl0PicIdx = payload[i] as number;
      i += 1;
    }
    if (b1 & 0x30) i += 1;
  }
  if (payload.length < i) return false;
  const first = payload[i];
  d.start = start;
  d.partitionId = partitionId;
  d.pictureIdOffset = pictureIdOffset;
  d.pictureIdBits = pictureIdBits;
  d.pictureId = pictureId;
  d.tl0PicIdxOffset = tl0PicIdxOffset;
  d.tl0PicIdx = tl0PicIdx;
  d.headerLength = i;
  d.keyframe = start && partitionId === 0 && first !== undefined && (first & 0x01) === 0;
  return true;
}

/** The descriptor `isVp8Keyframe` parses into. */
const scratch = emptyVp8Descriptor();

/** True when the RTP payload starts a VP8 keyframe. */
export function isVp8Keyframe(payload: Uint8Array): boolean {
  return parseVp8Into(payload, scratch) && scratch.keyframe;
}

/** Frame size from a keyframe's header (RFC 6386 §9.1), or undefined. */
export function vp8KeyframeSize(
  payload: Uint8Array,
): { width: number; height: number } | undefined {
  const d = parseVp8(payload);
  if (!d?.keyframe) return undefined;
  const o = d.headerLength;
  if (payload.length < o + 10) return undefined;
  if (payload[o + 3] !== 0x9d || payload[o + 4] !== 0x01 || payload[o + 5] !== 0x2a)
    return undefined;
  const width = ((payload[o + 6] as number) | ((payload[o + 7] as number) << 8)) & 0x3fff;
  const height = ((payload[o + 8] as number) | ((payload[o + 9] as number) << 8)) & 0x3fff;
  return { width, height };
}

/** Writes a picture id in place, keeping the width (7 or 15 bits) the packet already uses. */
export function writeVp8PictureId(payload: Uint8Array, d: Vp8Descriptor, pictureId: number): void {
  if (d.pictureIdOffset < 0) return;
  if (d.pictureIdBits === 15) {
    payload[d.pictureIdOffset] = 0x80 | ((pictureId >> 8) & 0x7f);
    payload[d.pictureIdOffset + 1] = pictureId & 0xff;
  } else {
    payload[d.pictureIdOffset] = pictureId & 0x7f;
  }
}

/** Writes TL0PICIDX in place. */
export function writeVp8Tl0PicIdx(payload: Uint8Array, d: Vp8Descriptor, value: number): void {
  if (d.tl0PicIdxOffset >= 0) payload[d.tl0PicIdxOffset] = value & 0xff;
}

/**
 * Builds a VP8 payload (descriptor with a 15-bit picture id and TL0PICIDX, then the frame
 * bytes). For synthetic streams in tests and bots; a keyframe carries a valid frame header.
 */
export function buildVp8Payload(o: {
  pictureId: number;
  tl0PicIdx: number;
  start: boolean;
  keyframe: boolean;
  width?: number;
  height?: number;
  size: number;
}): Buffer {
  const desc = Buffer.from([
    0x80 | (o.start ? 0x10 : 0),
    0xc0,
    0x80 | ((o.pictureId >> 8) & 0x7f),
    o.pictureId & 0xff,
    o.tl0PicIdx & 0xff,
  ]);
  const body = Buffer.alloc(Math.max(10, o.size));
  if (o.start) {
    // frame tag: P bit (0 = keyframe), version 0, show_frame 1
    body[0] = (o.keyframe ? 0 : 1) | 0x10;
    if (o.keyframe) {
      body[3] = 0x9d;
      body[4] = 0x01;
      body[5] = 0x2a;
      body.writeUInt16LE((o.width ?? 320) & 0x3fff, 6);
      body.writeUInt16LE((o.height ?? 180) & 0x3fff, 8);
    }
  } else {
    body[0] = 0x01;
  }
  return Buffer.concat([desc, body]);
}
