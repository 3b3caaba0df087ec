// werift keeps its SRTP/SRTCP session keys as raw Buffers and calls createCipheriv /
// createHmac with them for every packet. Node then imports the raw key into a key object on
// each call, which costs more than the cipher itself (measured on Node 24: AES-128-CTR 27.7 us
// with a Buffer key, 3.2 us with a KeyObject; AES-128-GCM 18.4 / 7.5 us; HMAC-SHA1 18.7 /
// 8.7 us; docs/performance.md). Both accept a KeyObject, so the keys are swapped for
// KeyObjects once per session; the byte output is the same (srtpKeys.test.ts). The same holds
// for the AES-GCM write keys of the DTLS record layer, which carries the data channel (one
// createCipheriv per record: 14 us with a Buffer key, 4.4 us with a KeyObject on Node 24).
import { createSecretKey, KeyObject } from "node:crypto";

/** The fields of werift's CipherAesCtr / CipherAesGcm that hold keys (salts stay Buffers). */
interface WeriftCipherKeys {
  srtpSessionKey?: Buffer | KeyObject;
  srtcpSessionKey?: Buffer | KeyObject;
  srtpSessionAuthTag?: Buffer | KeyObject;
  srtcpSessionAuthTag?: Buffer | KeyObject;
}

interface WeriftContext {
  cipher?: WeriftCipherKeys;
}

interface WeriftSession {
  localContext?: WeriftContext;
  remoteContext?: WeriftContext;
}

/** werift's AEADCipher of a DTLS session, once its keys are derived. */
interface WeriftRecordCipher {
  clientWriteKey?: Buffer | KeyObject;
  serverWriteKey?: Buffer | KeyObject;
}

/** werift's RTCDtlsTransport (untyped internals): its SRTP sessions and its DTLS session. */
export interface DtlsSrtpState {
  srtp?: WeriftSession;
  srtcp?: WeriftSession;
  dtls?: { cipher?: { cipher?: WeriftRecordCipher } };
}

const KEY_FIELDS = [
  "srtpSessionKey",
  "srtcpSessionKey",
  "srtpSessionAuthTag",
  "srtcpSessionAuthTag",
] as const;

function toKeyObjects<F extends string>(
  holder: Partial<Record<F, Buffer | KeyObject>> | undefined,
  fields: readonly F[],
): number {
  if (!holder) return 0;
  let n = 0;
  for (const f of fields) {
    const k = holder[f];
    if (k && !(k instanceof KeyObject)) {
      holder[f] = createSecretKey(k);
      n++;
    }
  }
  return n;
}

/**
 * Replaces the raw key Buffers of a DTLS transport's SRTP and SRTCP sessions (both directions)
 * and of its DTLS record layer by KeyObjects. Returns how many keys were replaced (0 when
 * already done or no session yet).
 */
export function useKeyObjects(dtls: DtlsSrtpState): number {
  let n = 0;
  for (const session of [dtls.srtp, dtls.srtcp]) {
    n += toKeyObjects(session?.localContext?.cipher, KEY_FIELDS);
    n += toKeyObjects(session?.remoteContext?.cipher, KEY_FIELDS);
  }
  n += toKeyObjects(dtls.dtls?.cipher?.cipher, ["clientWriteKey", "serverWriteKey"] as const);
  return n;
}
