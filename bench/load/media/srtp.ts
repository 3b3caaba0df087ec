// SRTP for the load generator's lean media paths (RFC 3711 AES_CM_128_HMAC_SHA1_80, RFC 7714
// AEAD_AES_128_GCM), with KeyObjects made once from the session keys werift derived for the
// connection. werift's own path imports its raw key Buffers on every packet and copies the
// packet several times; here a packet costs one cipher call (docs/benchmark.md).
//
// Receiving only needs the bench marker at the start of the payload, so `peekPayload` decrypts
// just the first bytes (both profiles are counter mode underneath: GCM's payload keystream
// starts at counter 2 of its IV, RFC 7714 §8.1 / NIST SP 800-38D) and does not check the tag;
// `unprotect` decrypts and authenticates a whole packet and is used on a sample.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  KeyObject,
} from "node:crypto";

/** DTLS-SRTP protection profiles (RFC 5764, RFC 7714), as werift numbers them. */
export const AES_CM_HMAC_SHA1_80 = 1;
export const AEAD_AES_128_GCM = 7;

export interface SrtpKeys {
  profile: number;
  key: KeyObject;
  salt: Buffer;
  /** HMAC-SHA1 key (AES-CM only). */
  auth: KeyObject | undefined;
  /** Bytes of authentication tag at the end of each packet. */
  tagLength: number;
}

interface WeriftCipher {
  srtpSessionKey?: Buffer | KeyObject;
  srtpSessionSalt?: Buffer;
  srtpSessionAuthTag?: Buffer | KeyObject;
}
interface WeriftContext {
  profile?: number;
  cipher?: WeriftCipher;
}
/** The SRTP part of werift's RTCDtlsTransport (untyped internals of werift 0.25.2). */
export interface DtlsWithSrtp {
  srtp?: { localContext?: WeriftContext; remoteContext?: WeriftContext };
}

const asKey = (k: Buffer | KeyObject) => (k instanceof KeyObject ? k : createSecretKey(k));

/** The SRTP session keys of one direction of a connected DTLS transport, or undefined. */
export function srtpKeys(dtls: DtlsWithSrtp, side: "local" | "remote"): SrtpKeys | undefined {
  const ctx = side === "local" ? dtls.srtp?.localContext : dtls.srtp?.remoteContext;
  const c = ctx?.cipher;
  if (!ctx || !c?.srtpSessionKey || !c.srtpSessionSalt) return undefined;
  if (ctx.profile === AEAD_AES_128_GCM) {
    return {
      profile: ctx.profile,
      key: asKey(c.srtpSessionKey),
      salt: c.srtpSessionSalt,
      auth: undefined,
      tagLength: 16,
    };
  }
  if (ctx.profile === AES_CM_HMAC_SHA1_80 && c.srtpSessionAuthTag) {
    return {
      profile: ctx.profile,
      key: asKey(c.srtpSessionKey),
      salt: c.srtpSessionSalt,
      auth: asKey(c.srtpSessionAuthTag),
      tagLength: 10,
    };
  }
  return undefined;
}

/** Length of an RTP header with its CSRCs and extension (RFC 3550 §5.1), or -1 if truncated. */
export function rtpHeaderLength(p: Uint8Array): number {
  if (p.length < 12) return -1;
  let n = 12 + 4 * ((p[0] as number) & 0x0f);
  if ((p[0] as number) & 0x10) {
    if (p.length < n + 4) return -1;
    n += 4 + 4 * (((p[n + 2] as number) << 8) | (p[n + 3] as number));
  }
  return n <= p.length ? n : -1;
}

const iv16 = Buffer.alloc(16);
const rocBytes = Buffer.alloc(4);

/**
 * The counter block of the first payload byte. GCM (RFC 7714 §8.1): 00 00 || SSRC || ROC ||
 * SEQ XOR salt, then the 32-bit block counter, 2 for the first payload block. AES-CM
 * (RFC 3711 §4.1.1): (salt << 16) XOR (SSRC << 64) XOR (index << 16).
 */
function counterBlock(k: SrtpKeys, ssrc: number, roc: number, seq: number, gcmBlock: number) {
  const v = iv16;
  v.fill(0);
  if (k.profile === AEAD_AES_128_GCM) {
    v.writeUInt32BE(ssrc, 2);
    v.writeUInt32BE(roc, 6);
    v.writeUInt16BE(seq, 10);
    for (let i = 0; i < 12; i++) v[i] = (v[i] as number) ^ (k.salt[i] as number);
    v.writeUInt32BE(gcmBlock, 12);
  } else {
    v.writeUInt32BE(ssrc, 4);
    v.writeUInt32BE(roc, 8);
    v.writeUInt16BE(seq, 12);
    for (let i = 0; i < 14; i++) v[i] = (v[i] as number) ^ (k.salt[i] as number);
  }
  return v;
}

/** Protects one RTP packet: the parts of the datagram (header, encrypted payload, tag). */
export function protect(k: SrtpKeys, header: Buffer, payload: Uint8Array, roc: number): Buffer[] {
  const ssrc = header.readUInt32BE(8);
  const seq = header.readUInt16BE(2);
  if (k.profile === AEAD_AES_128_GCM) {
    const c = createCipheriv(
      "aes-128-gcm",
      k.key,
      counterBlock(k, ssrc, roc, seq, 0).subarray(0, 12),
    );
    c.setAAD(header);
    const enc = c.update(payload);
    c.final();
    return [header, enc, c.getAuthTag()];
  }
  const enc = createCipheriv("aes-128-ctr", k.key, counterBlock(k, ssrc, roc, seq, 0)).update(
    payload,
  );
  rocBytes.writeUInt32BE(roc >>> 0, 0);
  const tag = createHmac("sha1", k.auth as KeyObject)
    .update(header)
    .update(enc)
    .update(rocBytes)
    .digest()
    .subarray(0, 10);
  return [header, enc, tag];
}

/**
 * Decrypts the first `bytes` bytes of the payload of an SRTP packet whose header is
 * `headerLength` long, without checking its tag.
 */
export function peekPayload(
  k: SrtpKeys,
  packet: Buffer,
  headerLength: number,
  roc: number,
  bytes: number,
): Buffer {
  const end = Math.min(packet.length - k.tagLength, headerLength + bytes);
  if (end <= headerLength) return Buffer.alloc(0);
  const ssrc = packet.readUInt32BE(8);
  const seq = packet.readUInt16BE(2);
  const iv = counterBlock(k, ssrc, roc, seq, 2);
  return createDecipheriv("aes-128-ctr", k.key, iv).update(packet.subarray(headerLength, end));
}

/** Decrypts and authenticates a whole SRTP packet: its payload, or undefined if the tag is wrong. */
export function unprotect(
  k: SrtpKeys,
  packet: Buffer,
  headerLength: number,
  roc: number,
): Buffer | undefined {
  const ssrc = packet.readUInt32BE(8);
  const seq = packet.readUInt16BE(2);
  const tagAt = packet.length - k.tagLength;
  if (tagAt < headerLength) return undefined;
  const header = packet.subarray(0, headerLength);
  const body = packet.subarray(headerLength, tagAt);
  const tag = packet.subarray(tagAt);
  if (k.profile === AEAD_AES_128_GCM) {
    const iv = counterBlock(k, ssrc, roc, seq, 0).subarray(0, 12);
    const d = createDecipheriv("aes-128-gcm", k.key, iv);
    d.setAAD(header);
    d.setAuthTag(tag);
    const out = d.update(body);
    try {
      d.final();
    } catch {
      return undefined;
    }
    return out;
  }
  rocBytes.writeUInt32BE(roc >>> 0, 0);
  const want = createHmac("sha1", k.auth as KeyObject)
    .update(header)
    .update(body)
    .update(rocBytes)
    .digest()
    .subarray(0, 10);
  if (!want.equals(tag)) return undefined;
  return createDecipheriv("aes-128-ctr", k.key, counterBlock(k, ssrc, roc, seq, 0)).update(body);
}

/**
 * The receiver's rollover counter guess per SSRC (RFC 3711 §3.3.1 and Appendix A): the index
 * closest to the highest one seen so far.
 */
export class RolloverTracker {
  readonly #s = new Map<number, { roc: number; seq: number }>();

  /** The ROC of a packet with this SSRC and sequence number (and remembers it). */
  roc(ssrc: number, seq: number): number {
    const s = this.#s.get(ssrc);
    if (!s) {
      this.#s.set(ssrc, { roc: 0, seq });
      return 0;
    }
    let v = s.roc;
    if (s.seq < 0x8000) {
      if (seq - s.seq > 0x8000) v = s.roc - 1;
    } else if (s.seq - 0x8000 > seq) v = s.roc + 1;
    if (v > s.roc || (v === s.roc && seq > s.seq)) {
      s.roc = v;
      s.seq = seq;
    }
    return Math.max(0, v) >>> 0;
  }
}
