import { describe, expect, it } from "vitest";
import { ProtectionProfileAeadAes128Gcm, type RTCPeerConnection, type RtpPacket } from "werift";
import { RtpIntercept } from "./rtpIntercept.ts";
import { header, pair, rtcpPair } from "./srtpTestSupport.ts";

type OnData = (data: Buffer, addr: [string, number]) => void;

/** A stand-in for werift's RTCPeerConnection with one DTLS transport over one UDP socket. */
function fakePeer() {
  const { sender, receiver } = pair(ProtectionProfileAeadAes128Gcm);
  const rtcpSessions = rtcpPair(ProtectionProfileAeadAes128Gcm);
  const toWerift: Buffer[] = [];
  const transport: { type: string; onData: OnData } = {
    type: "udp",
    onData: (d) => {
      toWerift.push(d);
    },
  };
  const dtls = {
    srtp: receiver,
    srtcp: rtcpSessions.receiver,
    bytesReceived: 0,
    packetsReceived: 0,
    iceTransport: { connection: { protocols: [{ transport }] } },
  };
  const pc = { dtlsTransports: [dtls] } as unknown as RTCPeerConnection;
  const datagram = (d: Buffer) => transport.onData(d, ["10.0.0.1", 5000]);
  const rtp = (seq: number, ssrc: number, payload: string) =>
    sender.encrypt(Buffer.from(payload), header(seq, ssrc, [{ id: 1, payload: Buffer.from("a") }]));
  const rtcp = (plain: Buffer) => rtcpSessions.sender.encrypt(plain);
  return { pc, dtls, toWerift, datagram, rtp, rtcp };
}

describe("RTP interception of known incoming streams", () => {
  it("hands decrypted packets of accepted SSRCs to their sink and everything else to werift", () => {
    const p = fakePeer();
    const intercept = new RtpIntercept();
    const got: RtpPacket[] = [];
    intercept.accept(111, (packet) => {
      got.push(packet);
      return true;
    });
    expect(intercept.install(p.pc)).toBe(1);
    expect(intercept.install(p.pc)).toBe(0);
    const stun = Buffer.from("000100002112a442000000000000000000000000", "hex");
    const dtlsRecord = Buffer.from("16fefd00000000000000000000", "hex");
    const rtcp = Buffer.from("81c90001deadbeef0000000000000000", "hex");
    const other = p.rtp(1, 222, "other");
    for (const d of [stun, dtlsRecord, rtcp, other]) p.datagram(d);
    p.datagram(p.rtp(10, 111, "hello"));
    p.datagram(p.rtp(11, 111, "world"));
    expect(p.toWerift).toEqual([stun, dtlsRecord, rtcp, other]);
    expect(got.map((g) => [g.header.sequenceNumber, g.payload.toString()])).toEqual([
      [10, "hello"],
      [11, "world"],
    ]);
    // the payload starts after the extension block, whose elements nobody past here reads
    expect(got[0]?.header.extensions).toEqual([]);
    expect(got[0]?.header.extension).toBe(true);
    expect(p.dtls.packetsReceived).toBe(2);
    expect(intercept.delivered).toBe(2);
  });

  it("drops a forged packet of an accepted SSRC instead of delivering or passing it on", () => {
    const p = fakePeer();
    const drops: string[] = [];
    const intercept = new RtpIntercept({ dropped: (why) => drops.push(why) });
    const got: RtpPacket[] = [];
    intercept.accept(111, (packet) => got.push(packet) > 0);
    intercept.install(p.pc);
    const forged = p.rtp(5, 111, "payload");
    forged[forged.length - 3] = (forged[forged.length - 3] as number) ^ 0xff;
    p.datagram(forged);
    expect(got).toEqual([]);
    expect(p.toWerift).toEqual([]);
    expect(intercept.rejected).toBe(1);
    expect(drops).toEqual(["forged"]);
  });

  it("gives an SSRC back to werift once its sink declines", () => {
    const p = fakePeer();
    const intercept = new RtpIntercept();
    let calls = 0;
    intercept.accept(111, () => {
      calls++;
      return false;
    });
    intercept.install(p.pc);
    p.datagram(p.rtp(1, 111, "a"));
    const later = p.rtp(2, 111, "b");
    p.datagram(later);
    expect(calls).toBe(1);
    expect(p.toWerift).toEqual([later]);
  });

  it("restores werift's socket handler when uninstalled", () => {
    const p = fakePeer();
    const intercept = new RtpIntercept();
    intercept.accept(111, () => true);
    intercept.install(p.pc);
    intercept.uninstall();
    const packet = p.rtp(1, 111, "a");
    p.datagram(packet);
    expect(p.toWerift).toEqual([packet]);
  });

  it("offers decrypted RTCP to its RTCP sink once it has one, and gives declined RTCP to werift as it came", () => {
    const p = fakePeer();
    const intercept = new RtpIntercept();
    const offered: string[] = [];
    intercept.handleRtcp((plain) => {
      offered.push(plain.toString("hex"));
      return plain[1] === 205;
    });
    intercept.install(p.pc);
    const nack = Buffer.from("81cd0003aabbccdd0102030400050000", "hex");
    const sr = Buffer.from("80c80006aabbccdd0000000000000001000000020000000300000004", "hex");
    const nackPacket = p.rtcp(nack);
    const srPacket = p.rtcp(sr);
    p.datagram(nackPacket);
    p.datagram(srPacket);
    expect(offered).toEqual([nack.toString("hex"), sr.toString("hex")]);
    expect(p.toWerift).toEqual([srPacket]);
    expect(intercept.rtcpRead).toBe(1);
    expect(p.dtls.packetsReceived).toBe(1);
  });

  it("drops a replayed RTCP packet once it has an RTCP sink, and takes reordered ones", () => {
    const p = fakePeer();
    const drops: string[] = [];
    const intercept = new RtpIntercept({ dropped: (why) => drops.push(why) });
    const offered: number[] = [];
    intercept.handleRtcp((plain) => offered.push(plain.readUInt32BE(8)) > 0);
    intercept.install(p.pc);
    // three NACKs naming media sources 1, 2, 3, protected in that order (SRTCP index 1, 2, 3)
    const nacks = [1, 2, 3].map((m) =>
      p.rtcp(Buffer.from(`81cd0003aabbccdd${m.toString(16).padStart(8, "0")}00050000`, "hex")),
    );
    for (const i of [1, 0, 1, 2, 0]) p.datagram(nacks[i] as Buffer);
    expect(offered).toEqual([2, 1, 3]);
    expect(intercept.replayed).toBe(2);
    expect(drops).toEqual(["replayed", "replayed"]);
    expect(p.toWerift).toEqual([]);
  });

  it("drops a forged RTCP packet once it has an RTCP sink, and leaves RTCP to werift without one", () => {
    const p = fakePeer();
    const intercept = new RtpIntercept();
    intercept.install(p.pc);
    const nack = p.rtcp(Buffer.from("81cd0003aabbccdd0102030400050000", "hex"));
    p.datagram(nack);
    expect(p.toWerift).toEqual([nack]);
    let offered = 0;
    intercept.handleRtcp(() => ++offered > 0);
    const forged = Buffer.from(nack);
    forged[9] = (forged[9] as number) ^ 1;
    p.datagram(forged);
    expect(offered).toBe(0);
    expect(p.toWerift).toEqual([nack]);
    expect(intercept.rejected).toBe(1);
  });
});
