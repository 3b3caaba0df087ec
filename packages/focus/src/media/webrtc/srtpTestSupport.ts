// Test support for the SRTP tests: werift sessions for both ends of one SRTP (or SRTCP)
// association and RTP headers to protect.
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtpHeader,
  SrtcpSession,
  SrtpSession,
} from "werift";
import { nativeSrtp, setNativeForTests } from "./nativeSrtp.ts";

export const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");

/** werift sessions for both ends of one SRTP association (SRTCP with `Session`). */
export function pair<S = SrtpSession>(
  profile: number,
  Session: new (config: ConstructorParameters<typeof SrtpSession>[0]) => S = SrtpSession as never,
) {
  const keys = {
    a: { key: hex("E1F97A0D3E018BE0D64FA32C06DE4139"), salt: hex("0EC675AD498AFEEBB6960B3AABE6") },
    b: { key: hex("2B7E151628AED2A6ABF7158809CF4F3C"), salt: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD") },
  };
  if (profile === ProtectionProfileAeadAes128Gcm) {
    keys.a.salt = keys.a.salt.subarray(0, 12);
    keys.b.salt = keys.b.salt.subarray(0, 12);
  }
  const session = (local: typeof keys.a, remote: typeof keys.a) =>
    new Session({
      keys: {
        localMasterKey: local.key,
        localMasterSalt: local.salt,
        remoteMasterKey: remote.key,
        remoteMasterSalt: remote.salt,
      },
      profile: profile as 1,
    });
  return {
    sender: session(keys.a, keys.b),
    reference: session(keys.a, keys.b),
    receiver: session(keys.b, keys.a),
  };
}

/** werift SRTCP sessions for both ends of one association. */
export const rtcpPair = (profile: number) => pair(profile, SrtcpSession);

export function header(
  seq: number,
  ssrc = 0x11223344,
  extensions: { id: number; payload: Buffer }[] = [],
) {
  return new RtpHeader({
    payloadType: 96,
    marker: seq % 2 === 0,
    sequenceNumber: seq,
    timestamp: 90000 + seq * 3000,
    ssrc,
    extensions,
  });
}

/** The profiles and paths unprotection runs on: AES-CM in TypeScript only, AES-GCM on both. */
export const unprotectCases = [
  ["AES_CM_128_HMAC_SHA1_80", ProtectionProfileAes128CmHmacSha1_80, "TypeScript"],
  ["AEAD_AES_128_GCM", ProtectionProfileAeadAes128Gcm, "native addon"],
  ["AEAD_AES_128_GCM", ProtectionProfileAeadAes128Gcm, "TypeScript"],
] as const;

/** Runs the enclosing describe's tests on `path`, with a test that they do. */
export function onPath(path: "native addon" | "TypeScript"): void {
  beforeEach(() => setNativeForTests(path === "TypeScript" ? null : undefined));
  afterEach(() => setNativeForTests(undefined));
  it("runs on the path it names", () => {
    expect(nativeSrtp() === undefined).toBe(path === "TypeScript");
  });
}
