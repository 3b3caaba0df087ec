// A known-answer check of the native addon before the focus uses it: one AES-GCM SRTP packet
// protected by the addon must be byte for byte what node:crypto makes of it (RFC 7714), and
// the addon must decrypt it back and reject it once a byte is changed. An addon built against
// other headers, or broken otherwise, would otherwise corrupt every forwarded packet without
// an error anywhere; failing this, the TypeScript path runs and the start-up log says why.
import { createCipheriv } from "node:crypto";
import type { NativeSrtp } from "./nativeSrtp.ts";
import { writeGcmIv } from "./srtpProtect.ts";

const key = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
const salt = Buffer.from("a0a1a2a3a4a5a6a7a8a9aaab", "hex");
// an RTP header: V=2, PT 96, seq 0xfffe, timestamp, SSRC 0x11223344
const header = Buffer.from("8060fffe0000abcd11223344", "hex");
const payload = Buffer.from("matrix-focus native SRTP known-answer check");
const roc = 1;

/** The packet's AES-GCM IV (RFC 7714 §8.1), for the protection and the generic open. */
const iv = writeGcmIv(Buffer.alloc(12), salt, header.readUInt32BE(8), roc, header.readUInt16BE(2));

/** What node:crypto makes of the packet: header || ciphertext || 16-byte tag. */
function expected(): Buffer {
  const c = createCipheriv("aes-128-gcm", key, iv);
  c.setAAD(header);
  const enc = c.update(payload);
  c.final();
  return Buffer.concat([header, enc, c.getAuthTag()]);
}

/** Undefined when the addon passes; else what went wrong. */
export function nativeSelfCheckProblem(n: NativeSrtp): string | undefined {
  try {
    const want = expected();
    const out = Buffer.alloc(want.length + 64);
    header.copy(out, 0);
    const enc = n.gcmContext(key, true);
    const len = n.gcmProtect(enc, salt, out, 0, header.length, payload, roc);
    const got = out.subarray(0, len);
    if (!got.equals(want)) return "its AES-GCM output differs from node:crypto's";
    const dec = n.gcmContext(key, false);
    const plain = n.gcmUnprotect(dec, salt, Buffer.from(got), header.length, roc);
    if (plain !== payload.length) return "it does not decrypt its own packet";
    const tampered = Buffer.from(got);
    tampered[header.length] = (tampered[header.length] as number) ^ 1;
    if (n.gcmUnprotect(dec, salt, tampered, header.length, roc) !== -1)
      return "it accepts a packet that does not authenticate";
    // the generic open (SRTCP): the additional data apart from the data
    const tag = got.subarray(len - 16);
    const opened = Buffer.from(got.subarray(header.length, len - 16));
    if (n.gcmOpen(dec, iv, header, opened, tag) !== 1 || !opened.equals(payload))
      return "its generic AES-GCM open does not decrypt what node:crypto encrypts";
    const otherHeader = Buffer.from(header);
    otherHeader[1] = (otherHeader[1] as number) ^ 1;
    const again = Buffer.from(got.subarray(header.length, len - 16));
    if (n.gcmOpen(dec, iv, otherHeader, again, tag) !== 0)
      return "its generic AES-GCM open accepts changed additional data";
    return undefined;
  } catch (e) {
    return `it threw: ${(e as Error).message}`;
  }
}
