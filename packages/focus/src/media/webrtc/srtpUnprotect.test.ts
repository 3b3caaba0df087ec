import { describe, expect, it } from "vitest";
import { ProtectionProfileAes128CmHmacSha1_80, type SrtpSession } from "werift";
import { useKeyObjects } from "./srtpKeys.ts";
import { header, onPath, pair, unprotectCases } from "./srtpTestSupport.ts";
import { type SrtpRemoteContext, unprotectRtp } from "./srtpUnprotect.ts";

const remote = (s: SrtpSession) => s.remoteContext as unknown as SrtpRemoteContext;
const ext = [{ id: 1, payload: Buffer.from("3") }];

for (const [name, profile, path] of unprotectCases) {
  describe(`SRTP unprotection of received packets (${name}, ${path} path)`, () => {
    onPath(path);

    it("returns the payload werift's own decryption returns, across a sequence number wrap", () => {
      const { sender, receiver } = pair(profile);
      // a second receiver with the same keys, left to werift's own decryption
      const check = pair(profile).receiver;
      useKeyObjects({ srtp: receiver as never });
      for (const seq of [65533, 65534, 65535, 0, 1, 2]) {
        const h = header(seq, 0x11223344, ext);
        const payload = Buffer.from(`payload ${seq} `.repeat(40));
        const packet = sender.encrypt(payload, header(seq, 0x11223344, ext));
        const theirs = check.decrypt(packet).subarray(h.serializeSize);
        const ours = unprotectRtp(remote(receiver), Buffer.from(packet), h.serializeSize);
        expect(ours?.equals(payload)).toBe(true);
        expect(ours?.equals(theirs)).toBe(true);
      }
      expect(remote(receiver).srtpSSRCStates[0x11223344]?.rolloverCounter).toBe(1);
    });

    it("rejects a packet whose payload or tag was changed and leaves the rollover state alone", () => {
      const { sender, receiver } = pair(profile);
      const h = header(65535, 7, ext);
      const first = sender.encrypt(Buffer.from("x".repeat(200)), header(65535, 7, ext));
      expect(unprotectRtp(remote(receiver), first, h.serializeSize)).toBeDefined();
      const next = sender.encrypt(Buffer.from("y".repeat(200)), header(0, 7, ext));
      for (const at of [h.serializeSize + 5, next.length - 1]) {
        const forged = Buffer.from(next);
        forged[at] = (forged[at] as number) ^ 1;
        expect(unprotectRtp(remote(receiver), forged, h.serializeSize)).toBeUndefined();
      }
      // the forged packets at sequence number 0 did not advance the rollover counter
      expect(remote(receiver).srtpSSRCStates[7]?.rolloverCounter).toBe(0);
      expect(unprotectRtp(remote(receiver), next, h.serializeSize)?.toString()).toBe(
        "y".repeat(200),
      );
      expect(remote(receiver).srtpSSRCStates[7]?.rolloverCounter).toBe(1);
    });

    it("rejects a packet too short to hold its header and tag", () => {
      const { receiver } = pair(profile);
      expect(unprotectRtp(remote(receiver), Buffer.alloc(20, 0x80), 16)).toBeUndefined();
    });
  });
}

describe("SRTP unprotection with an unknown profile", () => {
  it("returns nothing instead of guessing", () => {
    const { sender, receiver } = pair(ProtectionProfileAes128CmHmacSha1_80);
    const ctx = { ...remote(receiver), profile: 99 } as SrtpRemoteContext;
    ctx.updateRolloverCount = () => {};
    ctx.srtpSSRCStates = {};
    const packet = sender.encrypt(Buffer.from("abc"), header(1));
    expect(unprotectRtp(ctx, packet, 12)).toBeUndefined();
  });
});
