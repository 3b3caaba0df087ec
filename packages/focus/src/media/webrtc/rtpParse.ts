// werift parses every received RTP header twice (once to authenticate SRTP, once after
// decryption) with `RtpHeader.deSerialize`, which reads the first two bytes' bit fields by
// formatting them as strings (`getBit`) and grows the extension list by copying it per element.
// In a call this was the largest werift item of the focus's profile (docs/performance.md).
// `useFastRtpHeaderParse` replaces that static method with one that builds the same RtpHeader
// (same fields, same values, same errors on short input; rtpParse.test.ts compares both on
// generated packets) with plain bit operations. Installed once per process; werift's other
// users in the process get the same objects as before.
import { RtpHeader } from "werift";

const ONE_BYTE = 0xbede;
const TWO_BYTE = 0x1000;

type Parse = (raw: Buffer) => RtpHeader;

/** werift's own parser, kept for comparison in tests. */
export const weriftRtpHeaderParse: Parse = RtpHeader.deSerialize.bind(RtpHeader);

/**
 * RFC 3550 §5.1 fixed header, CSRCs and RFC 8285 header extensions, as werift reads them.
 * With `extensions` false the extension block is skipped (`payloadOffset` and
 * `extensionLength` as before) and the header's `extensions` list stays empty: for readers
 * past werift that never look at them, one object and one buffer view fewer per extension.
 */
export function parseRtpHeader(raw: Buffer, extensions = true): RtpHeader {
  const h = new RtpHeader();
  const b0 = raw[0] as number;
  h.version = b0 >> 6;
  h.padding = (b0 & 0x20) !== 0;
  h.extension = (b0 & 0x10) !== 0;
  const cc = b0 & 0x0f;
  h.csrcLength = cc;
  const b1 = raw[1] as number;
  h.marker = (b1 & 0x80) !== 0;
  h.payloadType = b1 & 0x7f;
  h.sequenceNumber = raw.readUInt16BE(2);
  h.timestamp = raw.readUInt32BE(4);
  h.ssrc = raw.readUInt32BE(8);
  const csrc: number[] = [];
  for (let i = 0; i < cc; i++) csrc.push(raw.readUInt32BE(12 + i * 4));
  h.csrc = csrc;
  let off = 12 + cc * 4;
  if (h.extension) {
    const profile = raw.readUInt16BE(off);
    h.extensionProfile = profile as RtpHeader["extensionProfile"];
    const length = raw.readUInt16BE(off + 2) * 4;
    h.extensionLength = length;
    off += 4;
    const end = off + length;
    if (!extensions) {
      h.payloadOffset = end;
      if (h.padding) h.paddingSize = raw[raw.length - 1] as number;
      return h;
    }
    const list: { id: number; payload: Buffer }[] = [];
    if (profile === ONE_BYTE) {
      while (off < end) {
        const b = raw[off] as number;
        if (b === 0) {
          off++;
          continue;
        }
        const id = b >> 4;
        const len = (b & 0x0f) + 1;
        off++;
        if (id === 15) break;
        list.push({ id, payload: raw.subarray(off, off + len) });
        off += len;
      }
    } else if (profile === TWO_BYTE) {
      while (off < end) {
        if (raw[off] === 0) {
          off++;
          continue;
        }
        const id = raw[off] as number;
        const len = raw[off + 1] as number;
        off += 2;
        list.push({ id, payload: raw.subarray(off, off + len) });
        off += len;
      }
    } else {
      const payload = raw.subarray(off, off + length);
      list.push({ id: 0, payload });
      off += payload.length;
    }
    h.extensions = list;
  }
  h.payloadOffset = off;
  if (h.padding) h.paddingSize = raw[raw.length - 1] as number;
  return h;
}

let installed = false;

/** Makes werift use parseRtpHeader for every RTP header it reads. Idempotent. */
export function useFastRtpHeaderParse(): void {
  if (installed) return;
  installed = true;
  (RtpHeader as unknown as { deSerialize: Parse }).deSerialize = parseRtpHeader;
}
