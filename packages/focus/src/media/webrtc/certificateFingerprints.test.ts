import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { cacheFingerprints, useCachedFingerprints } from "./certificateFingerprints.ts";

class FakeCertificate {
  computed = 0;
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  getFingerprints() {
    this.computed++;
    return [{ algorithm: "sha-256", value: this.value }];
  }
}

describe("cached certificate fingerprints", () => {
  it("computes a certificate's fingerprints once and returns a fresh list of them each time", () => {
    class Cert extends FakeCertificate {}
    expect(cacheFingerprints(Cert.prototype)).toBe(true);
    const c = new Cert("AA:BB");
    const first = c.getFingerprints();
    first.pop();
    expect(c.getFingerprints()).toEqual([{ algorithm: "sha-256", value: "AA:BB" }]);
    expect(c.computed).toBe(1);
  });

  it("keeps each certificate's own fingerprints", () => {
    class Cert extends FakeCertificate {}
    cacheFingerprints(Cert.prototype);
    const a = new Cert("AA");
    const b = new Cert("BB");
    expect([a.getFingerprints()[0]?.value, b.getFingerprints()[0]?.value]).toEqual(["AA", "BB"]);
  });

  it("patches a prototype only once", () => {
    class Cert extends FakeCertificate {}
    cacheFingerprints(Cert.prototype);
    expect(cacheFingerprints(Cert.prototype)).toBe(false);
    const c = new Cert("AA");
    c.getFingerprints();
    c.getFingerprints();
    expect(c.computed).toBe(1);
  });

  it("leaves werift's offers with the fingerprint of the certificate the connection uses", async () => {
    useCachedFingerprints();
    const pc = new RTCPeerConnection({ iceUseIpv6: false });
    try {
      pc.addTransceiver("audio", { direction: "sendonly" });
      pc.addTransceiver("video", { direction: "sendonly" });
      const offer = await pc.createOffer();
      const again = await pc.createOffer();
      const certPem = (pc.dtlsTransports[0] as unknown as { localCertificate: { certPem: string } })
        .localCertificate.certPem;
      const expected = new X509Certificate(certPem).fingerprint256;
      const lines = [...offer.sdp.matchAll(/^a=fingerprint:sha-256 (\S+)/gm)].map((m) => m[1]);
      expect(lines).toHaveLength(2);
      expect(new Set(lines)).toEqual(new Set([expected]));
      expect(again.sdp.match(/^a=fingerprint:.*$/m)?.[0]).toBe(`a=fingerprint:sha-256 ${expected}`);
    } finally {
      await pc.close();
    }
  });
});
