import { randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { flushSends, nativeSrtp } from "@matrix-focus/focus";
import { afterEach, describe, expect, it } from "vitest";
import { type RTCDtlsTransport, RtpPacket, SrtpSession } from "werift";
import { headerTemplate, RtpOut, writeHeader } from "./RtpOut.ts";
import { AEAD_AES_128_GCM, AES_CM_HMAC_SHA1_80 } from "./srtp.ts";

function sessions(profile: 1 | 7) {
  const saltLen = profile === AEAD_AES_128_GCM ? 12 : 14;
  const [k1, s1, k2, s2] = [16, saltLen, 16, saltLen].map((n) => randomBytes(n));
  const keys = (lk: Buffer, ls: Buffer, rk: Buffer, rs: Buffer) => ({
    localMasterKey: lk,
    localMasterSalt: ls,
    remoteMasterKey: rk,
    remoteMasterSalt: rs,
  });
  return {
    sender: new SrtpSession({ profile, keys: keys(k1!, s1!, k2!, s2!) }),
    receiver: new SrtpSession({ profile, keys: keys(k2!, s2!, k1!, s1!) }),
  };
}

const sockets: Socket[] = [];
async function boundSocket(): Promise<Socket> {
  const s = createSocket("udp4");
  sockets.push(s);
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  return s;
}
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** An RtpOut on a stand-in for werift's DTLS transport whose nominated pair is `from` → `to`. */
function rtpOut(srtp: SrtpSession, from: Socket, to: Socket): RtpOut {
  const dtls = {
    srtp,
    iceTransport: {
      connection: {
        nominated: {
          protocol: { transport: { type: "udp", socket: from } },
          remoteAddr: ["127.0.0.1", to.address().port],
        },
      },
    },
  };
  return new RtpOut(dtls as unknown as RTCDtlsTransport);
}

const template = headerTemplate(96, 0x0badcafe, [{ id: 1, data: Buffer.from("0") }]);
const seqs = [65_534, 65_535, 0, 1];

for (const profile of [AEAD_AES_128_GCM, AES_CM_HMAC_SHA1_80] as const) {
  describe(`RtpOut, SRTP profile ${profile}`, () => {
    it("sends packets that the receiver decrypts to the same payloads across a sequence number wrap", async () => {
      const { sender, receiver } = sessions(profile);
      const [from, to] = [await boundSocket(), await boundSocket()];
      const got: Buffer[] = [];
      const all = new Promise<void>((resolve) => {
        to.on("message", (m) => {
          got.push(m);
          if (got.length === seqs.length) resolve();
        });
      });
      const out = rtpOut(sender, from, to);
      const payloads = seqs.map(() => randomBytes(900));
      for (const [i, seq] of seqs.entries()) {
        out.send(writeHeader(template, false, seq, 3000), payloads[i]!);
      }
      flushSends();
      await all;
      const packets = got.map((m) => RtpPacket.deSerialize(receiver.decrypt(m)));
      expect(packets.map((p) => p.header.sequenceNumber)).toEqual(seqs);
      expect(packets.map((p) => p.payload)).toEqual(payloads);
      expect(out.fallbacks).toBe(0);
      // AES-GCM goes through the focus's addon (built at npm install), AES-CM through node:crypto
      expect(out.nativeSends).toBe(profile === AEAD_AES_128_GCM && nativeSrtp() ? seqs.length : 0);
    });
  });
}

it("the focus's native addon is there for the load's AES-GCM sends", () => {
  expect(nativeSrtp()).toBeDefined();
});
