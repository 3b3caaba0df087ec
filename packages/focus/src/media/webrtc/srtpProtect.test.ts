import { KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  SrtcpSession,
  type SrtpSession,
} from "werift";
import { useKeyObjects } from "./srtpKeys.ts";
import { protectRtp, rolloverFor, type SrtpLocalContext, SsrcRollover } from "./srtpProtect.ts";
import { header, hex, pair } from "./srtpTestSupport.ts";

const local = (s: SrtpSession) => s.localContext as unknown as SrtpLocalContext;

describe("SRTP protection of forwarded packets", () => {
  it("derives the RFC 3711 B.3 session keys that it then uses", () => {
    const { sender } = pair(ProtectionProfileAes128CmHmacSha1_80);
    const c = local(sender).cipher;
    expect(Buffer.from(c.srtpSessionKey as Buffer).toString("hex")).toBe(
      "c61e7a93744f39ee10734afe3ff7a087",
    );
    expect(c.srtpSessionSalt.toString("hex")).toBe("30cbbc08863d8c85d49db34a9ae1");
    expect(Buffer.from(c.srtpSessionAuthTag as Buffer).toString("hex")).toBe(
      "cebe321f6ff7716b6fd4ab49af256a156d38baa4",
    );
  });

  it("produces the RFC 3711 B.2 AES-CM keystream for SSRC 0, ROC 0, SEQ 0", () => {
    const ctx: SrtpLocalContext = {
      profile: ProtectionProfileAes128CmHmacSha1_80,
      cipher: {
        srtpSessionKey: hex("2B7E151628AED2A6ABF7158809CF4F3C"),
        srtpSessionSalt: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
        srtpSessionAuthTag: Buffer.alloc(20),
      },
      getSrtpSsrcState: () => ({ rolloverCounter: 0 }),
      updateRolloverCount: () => {},
    };
    const h = Buffer.alloc(12);
    const [, enc] = protectRtp(ctx, h, Buffer.alloc(48));
    expect(enc?.toString("hex")).toBe(
      "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0",
    );
  });

  for (const [name, profile] of [
    ["AES_CM_128_HMAC_SHA1_80", ProtectionProfileAes128CmHmacSha1_80],
    ["AEAD_AES_128_GCM", ProtectionProfileAeadAes128Gcm],
  ] as const) {
    it(`writes the same bytes as werift and werift's receiver decrypts them (${name}), across a sequence number wrap`, () => {
      const { sender, reference, receiver } = pair(profile);
      useKeyObjects({ srtp: sender as never });
      expect(local(sender).cipher.srtpSessionKey).toBeInstanceOf(KeyObject);
      const ext = [{ id: 1, payload: Buffer.from("3") }];
      for (const seq of [65533, 65534, 65535, 0, 1, 2]) {
        const h = header(seq, 0x11223344, ext);
        const payload = Buffer.from(`payload ${seq} `.repeat(40));
        const ours = Buffer.concat(
          protectRtp(local(sender), h.serialize(h.serializeSize), payload),
        );
        const theirs = reference.encrypt(payload, header(seq, 0x11223344, ext));
        expect(ours.equals(theirs)).toBe(true);
        const plain = receiver.decrypt(ours);
        expect(plain.subarray(h.serializeSize).equals(payload)).toBe(true);
      }
      // the rollover counter advanced once at the wrap, in werift's own state
      expect(local(sender).getSrtpSsrcState(0x11223344).rolloverCounter).toBe(1);
    });
  }

  for (const profile of [ProtectionProfileAes128CmHmacSha1_80, ProtectionProfileAeadAes128Gcm]) {
    it(`still decrypts SRTP and protects SRTCP after werift's keys became KeyObjects (profile ${profile})`, () => {
      const { reference, receiver } = pair(profile);
      const rtcpReceiver = new SrtcpSession({
        keys: {
          localMasterKey: hex("2B7E151628AED2A6ABF7158809CF4F3C"),
          localMasterSalt: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD").subarray(0, profile === 7 ? 12 : 14),
          remoteMasterKey: hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
          remoteMasterSalt: hex("0EC675AD498AFEEBB6960B3AABE6").subarray(
            0,
            profile === 7 ? 12 : 14,
          ),
        },
        profile: profile as 1,
      });
      const rtcpSender = new SrtcpSession({
        keys: {
          localMasterKey: hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
          localMasterSalt: hex("0EC675AD498AFEEBB6960B3AABE6").subarray(0, profile === 7 ? 12 : 14),
          remoteMasterKey: hex("2B7E151628AED2A6ABF7158809CF4F3C"),
          remoteMasterSalt: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD").subarray(
            0,
            profile === 7 ? 12 : 14,
          ),
        },
        profile: profile as 1,
      });
      expect(
        useKeyObjects({ srtp: receiver as never, srtcp: rtcpReceiver as never }),
      ).toBeGreaterThan(0);
      useKeyObjects({ srtcp: rtcpSender as never });
      const payload = Buffer.from("media ".repeat(50));
      const plain = receiver.decrypt(reference.encrypt(payload, header(7)));
      expect(plain.subarray(12).equals(payload)).toBe(true);
      // an RTCP receiver report (RFC 3550 §6.4.2) with no report blocks
      const rr = Buffer.from("81c90001deadbeef", "hex");
      expect(rtcpReceiver.decrypt(rtcpSender.encrypt(rr)).equals(rr)).toBe(true);
    });
  }

  it("advances one sender's rollover counter as werift's state does, looking that state up once", () => {
    const { sender, reference } = pair(ProtectionProfileAeadAes128Gcm);
    const ctx = local(sender);
    const lookups = { n: 0 };
    const get = ctx.getSrtpSsrcState.bind(ctx);
    ctx.getSrtpSsrcState = (ssrc) => {
      lookups.n++;
      return get(ssrc);
    };
    const refCtx = reference.localContext as unknown as SrtpLocalContext;
    const cached = new SsrcRollover();
    const seqs = [65534, 65535, 0, 1, 65535, 2, 3];
    const ours = seqs.map((seq) => cached.next(ctx, 0x11223344, seq));
    expect(ours).toEqual(seqs.map((seq) => rolloverFor(refCtx, 0x11223344, seq)));
    expect(ours.at(-1)).toBe(1);
    expect(lookups.n).toBe(1);
    // another SSRC in the same context has a state of its own
    expect(cached.next(ctx, 0x55667788, 10)).toBe(0);
    expect(lookups.n).toBe(2);
  });

  it("refuses a profile it does not know", () => {
    const { sender } = pair(ProtectionProfileAes128CmHmacSha1_80);
    const ctx = { ...local(sender), profile: 99 } as SrtpLocalContext;
    ctx.getSrtpSsrcState = () => ({ rolloverCounter: 0 });
    ctx.updateRolloverCount = () => {};
    expect(() => protectRtp(ctx, Buffer.alloc(12), Buffer.alloc(4))).toThrow(/profile 99/);
  });
});
