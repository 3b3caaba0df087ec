import { createCipheriv, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  GenericNack,
  ProtectionProfileAeadAes128Gcm,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpTransportLayerFeedback,
  type SrtcpSession,
} from "werift";
import { type SrtcpRemoteContext, srtcpIndex, unprotectRtcp } from "./srtcpUnprotect.ts";
import { useKeyObjects } from "./srtpKeys.ts";
import { writeCtrIv } from "./srtpProtect.ts";
import { onPath, rtcpPair, unprotectCases } from "./srtpTestSupport.ts";

const remote = (s: SrtcpSession) => s.remoteContext as unknown as SrtcpRemoteContext;

/** A compound of a receiver report and a NACK, as a subscriber sends it. */
function compound(n: number): Buffer {
  const rr = new RtcpRrPacket({
    ssrc: 0xaabbccdd,
    reports: [new RtcpReceiverInfo({ ssrc: 0x01020304, highestSequence: n, jitter: 3 })],
  });
  const nack = new RtcpTransportLayerFeedback({
    feedback: new GenericNack({
      senderSsrc: 0xaabbccdd,
      mediaSourceSsrc: 0x01020304,
      lost: [n, n + 2],
    }),
  });
  return Buffer.concat([rr.serialize(), nack.serialize()]);
}

/** An SRTCP packet with the E flag clear (RFC 3711 §3.4: authenticated, not encrypted). */
function unencrypted(profile: number, sender: SrtcpSession, plain: Buffer, index: number): Buffer {
  const cipher = (
    sender.localContext as unknown as {
      cipher: Record<string, Buffer> & { rtcpInitializationVector(s: number, i: number): Buffer };
    }
  ).cipher;
  const word = Buffer.alloc(4);
  word.writeUInt32BE(index);
  if (profile === ProtectionProfileAeadAes128Gcm) {
    const iv = cipher.rtcpInitializationVector(0xaabbccdd, index);
    const c = createCipheriv("aes-128-gcm", cipher.srtcpSessionKey as Buffer, iv);
    c.setAAD(Buffer.concat([plain, word]));
    c.final();
    return Buffer.concat([plain, c.getAuthTag(), word]);
  }
  const tag = createHmac("sha1", cipher.srtcpSessionAuthTag as Buffer)
    .update(Buffer.concat([plain, word]))
    .digest()
    .subarray(0, 10);
  return Buffer.concat([plain, word, tag]);
}

for (const [name, profile, path] of unprotectCases) {
  describe(`SRTCP unprotection of received compounds (${name}, ${path} path)`, () => {
    onPath(path);

    it("returns the compound werift's own decryption returns, with the keys as key objects", () => {
      const { sender, receiver } = rtcpPair(profile);
      const check = rtcpPair(profile).receiver;
      useKeyObjects({ srtcp: receiver as never });
      for (let n = 0; n < 5; n++) {
        const plain = compound(n);
        const packet = sender.encrypt(plain);
        const copy = Buffer.from(packet);
        const ours = unprotectRtcp(remote(receiver), copy);
        expect(ours?.toString("hex")).toBe(plain.toString("hex"));
        expect(ours?.equals(check.decrypt(packet))).toBe(true);
        // the datagram itself stays as it came (werift gets it when the router declines)
        expect(copy.equals(packet)).toBe(true);
      }
    });

    it("rejects a compound whose header, encrypted part, index or tag was changed", () => {
      const { sender, receiver } = rtcpPair(profile);
      const packet = sender.encrypt(compound(7));
      expect(unprotectRtcp(remote(receiver), packet)).toBeDefined();
      for (const at of [1, 5, 12, packet.length - 15, packet.length - 1]) {
        const forged = Buffer.from(packet);
        forged[at] = (forged[at] as number) ^ 1;
        expect(unprotectRtcp(remote(receiver), forged), `byte ${at}`).toBeUndefined();
      }
      // the index is authenticated too (GCM: last 4 bytes; CM: the 4 bytes before the tag)
      const forged = Buffer.from(packet);
      const indexAt =
        profile === ProtectionProfileAeadAes128Gcm ? packet.length - 1 : packet.length - 11;
      forged[indexAt] = (forged[indexAt] as number) ^ 1;
      expect(unprotectRtcp(remote(receiver), forged)).toBeUndefined();
      expect(unprotectRtcp(remote(receiver), packet.subarray(0, 20))).toBeUndefined();
    });

    it("reads the SRTCP index of each packet, for the replay list", () => {
      const { sender, receiver } = rtcpPair(profile);
      const indices = [0, 1, 2].map(() =>
        srtcpIndex(remote(receiver), sender.encrypt(compound(1))),
      );
      expect(indices[1]).toBe((indices[0] as number) + 1);
      expect(indices[2]).toBe((indices[0] as number) + 2);
      expect(srtcpIndex(remote(receiver), unencrypted(profile, sender, compound(3), 9))).toBe(9);
    });

    it("accepts an authenticated compound that was sent unencrypted (E flag clear)", () => {
      const { sender, receiver } = rtcpPair(profile);
      const plain = compound(3);
      const packet = unencrypted(profile, sender, plain, 9);
      expect(unprotectRtcp(remote(receiver), packet)?.equals(plain)).toBe(true);
      packet[10] = (packet[10] as number) ^ 1;
      expect(unprotectRtcp(remote(receiver), packet)).toBeUndefined();
    });
  });
}

describe("SRTCP unprotection", () => {
  it("rejects a profile it does not know", () => {
    const { sender, receiver } = rtcpPair(ProtectionProfileAeadAes128Gcm);
    const ctx = { ...remote(receiver), profile: 2 };
    expect(unprotectRtcp(ctx, sender.encrypt(compound(1)))).toBeUndefined();
  });

  it("writes the counter-mode IV with the index where RFC 3711 puts it", () => {
    // (salt << 16) XOR (SSRC << 64) XOR (index << 16), with a zero salt
    const iv = writeCtrIv(Buffer.alloc(16), Buffer.alloc(14), 0x11223344, 0x1234, 0x5678);
    expect(iv.toString("hex")).toBe("00000000112233440000123456780000");
  });
});
