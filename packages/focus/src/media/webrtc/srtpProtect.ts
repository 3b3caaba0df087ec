// SRTP protection of one outgoing RTP packet (RFC 3711 §3-4 AES_CM_128_HMAC_SHA1_80, RFC 7714
// AEAD_AES_128_GCM) with the session keys and rollover state of werift's local SRTP context,
// so that packets the focus protects here and packets werift protects itself (RTCP, data of
// its own senders) share one state per SSRC. Returns the parts of the datagram (header,
// encrypted payload, tag) for a gathering socket send: no concatenation, no parse.
import { type CipherKey, createCipheriv, createHmac } from "node:crypto";

/** werift's profile numbers (DTLS-SRTP protection profiles, RFC 5764 / RFC 7714). */
export const SRTP_AES128_CM_HMAC_SHA1_80 = 1;
export const SRTP_AEAD_AES_128_GCM = 7;

interface SsrcState {
  rolloverCounter: number;
}

/** The part of werift's SrtpContext used here (untyped internals). */
export interface SrtpLocalContext {
  profile: number;
  cipher: {
    srtpSessionKey: CipherKey;
    srtpSessionSalt: Buffer;
    srtpSessionAuthTag?: CipherKey;
  };
  getSrtpSsrcState(ssrc: number): SsrcState;
  updateRolloverCount(sequenceNumber: number, s: SsrcState): void;
}

const iv = Buffer.alloc(16);
const iv12 = iv.subarray(0, 12);
const rocBytes = Buffer.alloc(4);

/** The rollover counter for this packet, advancing the context's state like werift does. */
export function rolloverFor(ctx: SrtpLocalContext, ssrc: number, seq: number): number {
  const s = ctx.getSrtpSsrcState(ssrc);
  ctx.updateRolloverCount(seq, s);
  return s.rolloverCounter;
}

/**
 * `rolloverFor` for one sender: werift keeps each SSRC's state in an object keyed by the SSRC,
 * a sparse lookup that V8 serves through its generic (megamorphic) path on every packet; this
 * keeps the state object of the last context and SSRC it was asked about.
 */
export class SsrcRollover {
  #ctx: SrtpLocalContext | undefined;
  #ssrc = -1;
  #state: SsrcState | undefined;

  next(ctx: SrtpLocalContext, ssrc: number, seq: number): number {
    let s = this.#state;
    if (s === undefined || ctx !== this.#ctx || ssrc !== this.#ssrc) {
      s = ctx.getSrtpSsrcState(ssrc);
      this.#ctx = ctx;
      this.#ssrc = ssrc;
      this.#state = s;
    }
    ctx.updateRolloverCount(seq, s);
    return s.rolloverCounter;
  }
}

/** RFC 7714 §8.1 AES-GCM IV: 00 00 || SSRC || ROC || SEQ, XOR the 12-byte salt. */
export function writeGcmIv(
  out: Buffer,
  salt: Buffer,
  ssrc: number,
  roc: number,
  seq: number,
): Buffer {
  out.writeUInt16BE(0, 0);
  out.writeUInt32BE(ssrc, 2);
  out.writeUInt32BE(roc, 6);
  out.writeUInt16BE(seq, 10);
  for (let i = 0; i < 12; i++) out[i] = (out[i] as number) ^ (salt[i] as number);
  return out;
}

/** RFC 3711 §4.1.1 AES-CM IV: (salt << 16) XOR (SSRC << 64) XOR (index << 16). */
export function writeCtrIv(
  out: Buffer,
  salt: Buffer,
  ssrc: number,
  roc: number,
  seq: number,
): Buffer {
  out.fill(0);
  out.writeUInt32BE(ssrc, 4);
  out.writeUInt32BE(roc, 8);
  out.writeUInt16BE(seq, 12);
  for (let i = 0; i < 14; i++) out[i] = (out[i] as number) ^ (salt[i] as number);
  return out;
}

/**
 * Protects an RTP packet whose serialized header is `header` (SSRC at bytes 8-11, sequence
 * number at 2-3) and whose plain payload is `payload`. Throws on an unknown profile.
 */
export function protectRtp(ctx: SrtpLocalContext, header: Buffer, payload: Uint8Array): Buffer[] {
  const ssrc = header.readUInt32BE(8);
  const seq = header.readUInt16BE(2);
  const roc = rolloverFor(ctx, ssrc, seq);
  const salt = ctx.cipher.srtpSessionSalt;
  if (ctx.profile === SRTP_AEAD_AES_128_GCM) {
    const v = writeGcmIv(iv12, salt, ssrc, roc, seq);
    const c = createCipheriv("aes-128-gcm", ctx.cipher.srtpSessionKey, v);
    c.setAAD(header);
    const enc = c.update(payload);
    c.final();
    return [header, enc, c.getAuthTag()];
  }
  if (ctx.profile === SRTP_AES128_CM_HMAC_SHA1_80) {
    writeCtrIv(iv, salt, ssrc, roc, seq);
    const enc = createCipheriv("aes-128-ctr", ctx.cipher.srtpSessionKey, iv).update(payload);
    const authKey = ctx.cipher.srtpSessionAuthTag;
    if (authKey === undefined) throw new Error("SRTP context has no authentication key");
    // RFC 3711 §4.2: HMAC-SHA1 over header || encrypted payload || ROC, 80 bits
    rocBytes.writeUInt32BE(roc, 0);
    const tag = createHmac("sha1", authKey)
      .update(header)
      .update(enc)
      .update(rocBytes)
      .digest()
      .subarray(0, 10);
    return [header, enc, tag];
  }
  throw new Error(`unsupported SRTP profile ${ctx.profile}`);
}
