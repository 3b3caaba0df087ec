// The bench marker carried inside every synthetic media payload: who sent it, on which
// stream, its place in that stream and when it was sent. Subscribers find it by its magic
// bytes, so whatever a forwarder rewrites in the codec descriptor does not matter.

const MAGIC = 0x4d464231; // "MFB1"
export const MARKER_SIZE = 21;

export interface Marker {
  /** Index of the publisher in the load generator. */
  publisher: number;
  /** 0 = audio, 1.. = video layers in the order of the media profile. */
  stream: number;
  /** Counts up by one per packet of this (publisher, stream). */
  counter: number;
  /** Send time, ms on the load generators' shared clock (clock.ts). */
  sentAt: number;
}

export function writeMarker(buf: Buffer, offset: number, m: Marker): void {
  buf.writeUInt32BE(MAGIC, offset);
  buf.writeUInt32BE(m.publisher, offset + 4);
  buf.writeUInt8(m.stream, offset + 8);
  buf.writeUInt32BE(m.counter >>> 0, offset + 9);
  buf.writeDoubleBE(m.sentAt, offset + 13);
}

/** Rewrites the send time of the marker in a payload (for packets held back by a pacer). */
export function restampMarker(buf: Buffer, sentAt: number, searchLimit = 48): boolean {
  const at = markerOffset(buf, searchLimit);
  if (at < 0) return false;
  buf.writeDoubleBE(sentAt, at + 13);
  return true;
}

function markerOffset(buf: Buffer, searchLimit: number): number {
  const last = Math.min(searchLimit, buf.length - MARKER_SIZE);
  for (let i = 0; i <= last; i++) {
    if (buf[i] === 0x4d && buf.readUInt32BE(i) === MAGIC) return i;
  }
  return -1;
}

/** Finds the marker within the first `searchLimit` bytes of a payload. */
export function readMarker(buf: Buffer, searchLimit = 48): Marker | undefined {
  const i = markerOffset(buf, searchLimit);
  if (i < 0) return undefined;
  return {
    publisher: buf.readUInt32BE(i + 4),
    stream: buf.readUInt8(i + 8),
    counter: buf.readUInt32BE(i + 9),
    sentAt: buf.readDoubleBE(i + 13),
  };
}
