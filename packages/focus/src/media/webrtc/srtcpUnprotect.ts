// SRTCP unprotection of one received compound RTCP packet (RFC 3711 §3.4 with
// AES_CM_128_HMAC_SHA1_80, RFC 7714 §9 with AEAD_AES_128_GCM) with the session keys of
// werift's remote SRTCP context, AES-GCM through the native addon when it is there
// (nativeSrtp.ts). Unlike werift it builds no additional-data buffer by
// concatenation and parses nothing: it returns the plain compound (first 8 bytes as sent,
// then the decrypted rest) without the SRTCP index and tag, or undefined when the packet is
// too short, does not authenticate or uses a profile this does not know. SRTCP carries its
// index in every packet, so no state is needed to decrypt; `srtcpIndex` reads it for the
// caller's replay list (replayWindow.ts; werift keeps none).
import { type CipherKey, createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import { gcmContextFor, nativeSrtp } from "./nativeSrtp.ts";
import {
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  writeCtrIv,
  writeGcmIv,
} from "./srtpProtect.ts";

/** The part of werift's remote SrtcpContext used here (untyped internals). */
export interface SrtcpRemoteContext {
  profile: number;
  cipher: {
    srtcpSessionKey: CipherKey;
    srtcpSessionSalt: Buffer;
    srtcpSessionAuthTag?: CipherKey;
  };
}

const GCM_TAG = 16;
const HMAC_TAG = 10;
/** E flag (1 bit) and SRTCP index (31 bits), after the encrypted part. */
const INDEX = 4;
/** RTCP header and sender SSRC, never encrypted. */
const CLEAR = 8;
const iv = Buffer.alloc(16);
const iv12 = iv.subarray(0, 12);
const aad = Buffer.alloc(CLEAR + INDEX);

/** Where E || SRTCP index sits: at the end with AES-GCM, before the HMAC tag otherwise. */
function indexOffset(profile: number, length: number): number {
  return length - INDEX - (profile === SRTP_AEAD_AES_128_GCM ? 0 : HMAC_TAG);
}

/** The SRTCP index (31 bits) of a packet that `unprotectRtcp` accepted. */
export function srtcpIndex(ctx: SrtcpRemoteContext, packet: Buffer): number {
  return packet.readUInt32BE(indexOffset(ctx.profile, packet.length)) & 0x7fffffff;
}

/** The plain compound of `packet`, or undefined (see the file's head). */
export function unprotectRtcp(ctx: SrtcpRemoteContext, packet: Buffer): Buffer | undefined {
  if (ctx.profile === SRTP_AEAD_AES_128_GCM) return unprotectGcm(ctx, packet);
  if (ctx.profile === SRTP_AES128_CM_HMAC_SHA1_80) return unprotectCtr(ctx, packet);
  return undefined;
}

function unprotectGcm(ctx: SrtcpRemoteContext, packet: Buffer): Buffer | undefined {
  const indexAt = indexOffset(SRTP_AEAD_AES_128_GCM, packet.length);
  const tagAt = indexAt - GCM_TAG;
  if (tagAt < CLEAR) return undefined;
  const word = packet.readUInt32BE(indexAt);
  const encrypted = word >>> 31 === 1;
  const index = word & 0x7fffffff;
  // RFC 7714 §9.1: 00 00 || SSRC || 00 00 || 0 || index (31 bits), XOR the salt; written by the
  // RTP writer with the index's high half as ROC and its low half as sequence number.
  const ssrc = packet.readUInt32BE(4);
  writeGcmIv(iv12, ctx.cipher.srtcpSessionSalt, ssrc, index >>> 16, index & 0xffff);
  if (encrypted) {
    // RFC 7714 §17: the additional data is the first 8 bytes and E || index
    packet.copy(aad, 0, 0, CLEAR);
    packet.copy(aad, CLEAR, indexAt);
  }
  const n = encrypted ? nativeSrtp() : undefined;
  if (n !== undefined) {
    // into a copy: a compound the router declines goes to werift as it came
    const plain = Buffer.from(packet.subarray(0, tagAt));
    const key = gcmContextFor(n, ctx.cipher, false, "srtcpSessionKey");
    const tag = packet.subarray(tagAt, indexAt);
    return n.gcmOpen(key, iv12, aad, plain.subarray(CLEAR), tag) === 1 ? plain : undefined;
  }
  const d = createDecipheriv("aes-128-gcm", ctx.cipher.srtcpSessionKey, iv12);
  d.setAuthTag(packet.subarray(tagAt, indexAt));
  let plain: Buffer;
  if (encrypted) {
    d.setAAD(aad);
    const rest = d.update(packet.subarray(CLEAR, tagAt));
    plain = Buffer.allocUnsafe(tagAt);
    packet.copy(plain, 0, 0, CLEAR);
    rest.copy(plain, CLEAR);
  } else {
    d.setAAD(Buffer.concat([packet.subarray(0, tagAt), packet.subarray(indexAt)]));
    plain = Buffer.from(packet.subarray(0, tagAt));
  }
  try {
    d.final();
  } catch {
    return undefined;
  }
  return plain;
}

function unprotectCtr(ctx: SrtcpRemoteContext, packet: Buffer): Buffer | undefined {
  const indexAt = indexOffset(SRTP_AES128_CM_HMAC_SHA1_80, packet.length);
  const tagAt = indexAt + INDEX;
  const authKey = ctx.cipher.srtcpSessionAuthTag;
  if (indexAt < CLEAR || authKey === undefined) return undefined;
  // RFC 3711 §4.2: HMAC-SHA1 over the packet with its E || index, 80 bits
  const tag = createHmac("sha1", authKey)
    .update(packet.subarray(0, tagAt))
    .digest()
    .subarray(0, HMAC_TAG);
  if (!timingSafeEqual(tag, packet.subarray(tagAt))) return undefined;
  const word = packet.readUInt32BE(indexAt);
  const plain = Buffer.from(packet.subarray(0, indexAt));
  if (word >>> 31 === 0) return plain;
  const index = word & 0x7fffffff;
  writeCtrIv(iv, ctx.cipher.srtcpSessionSalt, packet.readUInt32BE(4), index >>> 16, index & 0xffff);
  createDecipheriv("aes-128-ctr", ctx.cipher.srtcpSessionKey, iv)
    .update(packet.subarray(CLEAR, indexAt))
    .copy(plain, CLEAR);
  return plain;
}
