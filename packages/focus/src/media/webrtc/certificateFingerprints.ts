// werift writes its certificate's fingerprint into every m-section of every description it
// makes, and computes it each time from scratch: `RTCCertificate.getFingerprints` parses the
// certificate's PEM (ASN.1, @peculiar/x509) and hashes it. A renegotiation offer of a call of
// 20 has 40 m-sections, so the focus parsed its certificate 40 times per offer: 176 ms of the
// 6.1 s the focus was busy in a call of 20's life, most of it in the joins
// (docs/performance.md, "Data-channel round trips in large calls"). A certificate never changes, so its
// fingerprints are computed once and kept beside it. Installed once per process; werift's
// other users in the process get the same values as before.
import { RTCCertificate } from "werift";

const cached = Symbol("fingerprintsCached");

interface FingerprintSource {
  getFingerprints(): { algorithm: string; value: string }[];
}

/**
 * Makes `getFingerprints` of `proto` compute its result once per object and return copies of
 * that list after. Returns false when `proto` was already patched.
 */
export function cacheFingerprints(proto: FingerprintSource): boolean {
  const marked = proto as FingerprintSource & { [cached]?: true };
  if (marked[cached]) return false;
  const compute = proto.getFingerprints;
  const known = new WeakMap<object, ReturnType<FingerprintSource["getFingerprints"]>>();
  proto.getFingerprints = function (this: FingerprintSource) {
    let list = known.get(this);
    if (!list) {
      list = compute.call(this);
      known.set(this, list);
    }
    // a new list each time, as before (callers keep it in their descriptions)
    return [...list];
  };
  marked[cached] = true;
  return true;
}

/** Makes werift compute each certificate's fingerprint once. Idempotent. */
export function useCachedFingerprints(): void {
  cacheFingerprints(RTCCertificate.prototype as unknown as FingerprintSource);
}
