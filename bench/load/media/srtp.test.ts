import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RtpHeader, RtpPacket, SrtpSession } from "werift";
import { headerTemplate, writeHeader } from "./RtpOut.ts";
import {
  AEAD_AES_128_GCM,
  AES_CM_HMAC_SHA1_80,
  peekPayload,
  protect,
  RolloverTracker,
  rtpHeaderLength,
  srtpKeys,
  unprotect,
} from "./srtp.ts";

function sessions(profile: 1 | 7) {
  const keyLen = 16;
  const saltLen = profile === AEAD_AES_128_GCM ? 12 : 14;
  const [k1, s1, k2, s2] = [keyLen, saltLen, keyLen, saltLen].map((n) => randomBytes(n));
  const a = new SrtpSession({
    profile,
    keys: {
      localMasterKey: k1!,
      localMasterSalt: s1!,
      remoteMasterKey: k2!,
      remoteMasterSalt: s2!,
    },
  });
  const b = new SrtpSession({
    profile,
    keys: {
      localMasterKey: k2!,
      localMasterSalt: s2!,
      remoteMasterKey: k1!,
      remoteMasterSalt: s1!,
    },
  });
  return { a, b };
}

const template = headerTemplate(96, 0x11223344, [
  { id: 1, data: Buffer.from("1") },
  { id: 2, data: Buffer.from("f") },
]);
const seqs = [65_533, 65_534, 65_535, 0, 1, 2];

for (const profile of [AES_CM_HMAC_SHA1_80, AEAD_AES_128_GCM] as const) {
  describe(`SRTP profile ${profile}`, () => {
    it("decrypts werift's packets across a sequence number wrap, in full and as a prefix", () => {
      const { a, b } = sessions(profile);
      const keys = srtpKeys({ srtp: b as never }, "remote")!;
      const roc = new RolloverTracker();
      for (const seq of seqs) {
        const payload = randomBytes(1100);
        const header = RtpHeader.deSerialize(writeHeader(template, true, seq, 1234));
        const enc = a.encrypt(payload, header);
        const hl = rtpHeaderLength(enc);
        const r = roc.roc(enc.readUInt32BE(8), seq);
        expect(unprotect(keys, enc, hl, r)).toEqual(payload);
        expect(peekPayload(keys, enc, hl, r, 64)).toEqual(payload.subarray(0, 64));
      }
    });

    it("protects packets that werift decrypts to the same header and payload", () => {
      const { a, b } = sessions(profile);
      const keys = srtpKeys({ srtp: a as never }, "local")!;
      let roc = 0;
      for (const seq of seqs) {
        if (seq === 0) roc++;
        const payload = randomBytes(300);
        const header = writeHeader(template, false, seq, 99);
        const dec = b.decrypt(Buffer.concat(protect(keys, header, payload, roc)));
        const p = RtpPacket.deSerialize(dec);
        expect(p.payload).toEqual(payload);
        expect(p.header.sequenceNumber).toBe(seq);
        expect(p.header.ssrc).toBe(0x11223344);
      }
    });

    it("rejects a packet whose payload was changed", () => {
      const { a, b } = sessions(profile);
      const keys = srtpKeys({ srtp: b as never }, "remote")!;
      const header = RtpHeader.deSerialize(writeHeader(template, false, 7, 1));
      const enc = a.encrypt(randomBytes(200), header);
      enc[enc.length - 30] = (enc[enc.length - 30] as number) ^ 1;
      expect(unprotect(keys, enc, rtpHeaderLength(enc), 0)).toBeUndefined();
    });
  });
}

describe("headerTemplate", () => {
  it("writes a header werift parses to the same fields and extensions", () => {
    const h = RtpHeader.deSerialize(writeHeader(template, true, 4242, 0xdeadbeef));
    expect(h.payloadType).toBe(96);
    expect(h.marker).toBe(true);
    expect(h.sequenceNumber).toBe(4242);
    expect(h.timestamp).toBe(0xdeadbeef);
    expect(h.extensions.map((e) => [e.id, e.payload.toString()])).toEqual([
      [1, "1"],
      [2, "f"],
    ]);
    expect(rtpHeaderLength(template)).toBe(template.length);
  });
});

describe("RolloverTracker", () => {
  it("counts a wrap forward and keeps late packets from before it in the old cycle", () => {
    const t = new RolloverTracker();
    expect(t.roc(1, 65_530)).toBe(0);
    expect(t.roc(1, 3)).toBe(1);
    expect(t.roc(1, 65_535)).toBe(0);
    expect(t.roc(1, 4)).toBe(1);
    expect(t.roc(2, 4)).toBe(0);
  });
});
