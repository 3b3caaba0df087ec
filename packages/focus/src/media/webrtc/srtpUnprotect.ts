// SRTP unprotection of one received RTP packet (RFC 3711 AES_CM_128_HMAC_SHA1_80, RFC 7714
// AEAD_AES_128_GCM) with the session keys and rollover state of werift's remote SRTP context,
// so that packets decrypted here and packets werift decrypts itself (those of streams not yet
// known to the fast path) share one state per SSRC. Unlike werift it returns only the
// decrypted payload (no copy of the header, no concatenation) and leaves the state untouched
// when the packet does not authenticate.
import { type CipherKey, createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import { gcmContextFor, nativeSrtp } from "./nativeSrtp.ts";
import {
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  writeCtrIv,
  writeGcmIv,
} from "./srtpProtect.ts";

/** Rollover state of one SSRC, as werift keeps it. */
interface RocState {
  ssrc?: number;
  rolloverCounter: number;
  lastSequenceNumber: number;
  rolloverHasProcessed?: boolean;
}

/** The part of werift's remote SrtpContext used here (untyped internals). */
export interface SrtpRemoteContext {
  profile: number;
  cipher: {
    srtpSessionKey: CipherKey;
    srtpSessionSalt: Buffer;
    srtpSessionAuthTag?: CipherKey;
  };
  srtpSSRCStates: Record<number, RocState | undefined>;
  updateRolloverCount(sequenceNumber: number, s: RocState): void;
}

const GCM_TAG = 16;
const HMAC_TAG = 10;
const iv = Buffer.alloc(16);
const iv12 = iv.subarray(0, 12);
const rocBytes = Buffer.alloc(4);
const scratch: RocState = { rolloverCounter: 0, lastSequenceNumber: 0 };

/**
 * Decrypts and authenticates `packet` (an SRTP packet whose RTP header, CSRCs and header
 * extensions take `headerLength` bytes). Returns the plain payload (with any RTP padding
 * still at its end), or undefined when the packet is too short, fails authentication or uses
 * a profile this does not know. With the native addon (nativeSrtp.ts) an AES-GCM packet is
 * decrypted in place: the returned payload is a view of `packet`.
 */
export function unprotectRtp(
  ctx: SrtpRemoteContext,
  packet: Buffer,
  headerLength: number,
): Buffer | undefined {
  const ssrc = packet.readUInt32BE(8);
  const seq = packet.readUInt16BE(2);
  const known = ctx.srtpSSRCStates[ssrc];
  scratch.rolloverCounter = known?.rolloverCounter ?? 0;
  scratch.lastSequenceNumber = known?.lastSequenceNumber ?? 0;
  scratch.rolloverHasProcessed = known?.rolloverHasProcessed ?? false;
  ctx.updateRolloverCount(seq, scratch);
  const roc = scratch.rolloverCounter;
  const salt = ctx.cipher.srtpSessionSalt;
  let payload: Buffer;
  if (ctx.profile === SRTP_AEAD_AES_128_GCM) {
    const end = packet.length - GCM_TAG;
    if (end < headerLength) return undefined;
    const n = nativeSrtp();
    if (n !== undefined) {
      const ctxN = gcmContextFor(n, ctx.cipher, false);
      const len = n.gcmUnprotect(ctxN, salt, packet, headerLength, roc);
      if (len < 0) return undefined;
      commitRoc(ctx, known, ssrc, roc, seq);
      return packet.subarray(headerLength, headerLength + len);
    }
    const d = createDecipheriv(
      "aes-128-gcm",
      ctx.cipher.srtpSessionKey,
      writeGcmIv(iv12, salt, ssrc, roc, seq),
    );
    d.setAAD(packet.subarray(0, headerLength));
    d.setAuthTag(packet.subarray(end));
    payload = d.update(packet.subarray(headerLength, end));
    try {
      d.final();
    } catch {
      return undefined;
    }
  } else if (ctx.profile === SRTP_AES128_CM_HMAC_SHA1_80) {
    const end = packet.length - HMAC_TAG;
    const authKey = ctx.cipher.srtpSessionAuthTag;
    if (end < headerLength || authKey === undefined) return undefined;
    // RFC 3711 §4.2: HMAC-SHA1 over header || encrypted payload || ROC, 80 bits
    rocBytes.writeUInt32BE(roc, 0);
    const tag = createHmac("sha1", authKey)
      .update(packet.subarray(0, end))
      .update(rocBytes)
      .digest()
      .subarray(0, HMAC_TAG);
    if (!timingSafeEqual(tag, packet.subarray(end))) return undefined;
    writeCtrIv(iv, salt, ssrc, roc, seq);
    payload = createDecipheriv("aes-128-ctr", ctx.cipher.srtpSessionKey, iv).update(
      packet.subarray(headerLength, end),
    );
  } else {
    return undefined;
  }
  commitRoc(ctx, known, ssrc, roc, seq);
  return payload;
}

/** Stores the rollover state of an authenticated packet. */
function commitRoc(
  ctx: SrtpRemoteContext,
  known: RocState | undefined,
  ssrc: number,
  roc: number,
  seq: number,
): void {
  if (known) {
    known.rolloverCounter = roc;
    known.lastSequenceNumber = seq;
    known.rolloverHasProcessed = true;
  } else {
    ctx.srtpSSRCStates[ssrc] = {
      ssrc,
      rolloverCounter: roc,
      lastSequenceNumber: seq,
      rolloverHasProcessed: true,
    };
  }
}
