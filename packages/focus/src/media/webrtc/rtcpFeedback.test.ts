import { describe, expect, it } from "vitest";
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPayloadSpecificFeedback,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  SourceDescriptionChunk,
  SourceDescriptionItem,
} from "werift";
import { type FeedbackTarget, RtcpFeedbackRouter } from "./rtcpFeedback.ts";

const SUBSCRIBER = 0xaabbccdd;
const A = 0x01020304;
const B = 0x0a0b0c0d;

function recorder() {
  const got: string[] = [];
  const target = (name: string): FeedbackTarget => ({
    keyframeRequested: () => got.push(`${name} keyframe`),
    nacked: (lost) => got.push(`${name} nack ${lost.join(",")}`),
  });
  return { got, target };
}

const rr = () =>
  new RtcpRrPacket({
    ssrc: SUBSCRIBER,
    reports: [new RtcpReceiverInfo({ ssrc: A }), new RtcpReceiverInfo({ ssrc: B })],
  }).serialize();
const sdes = () =>
  new RtcpSourceDescriptionPacket({
    chunks: [
      new SourceDescriptionChunk({
        source: SUBSCRIBER,
        items: [new SourceDescriptionItem({ type: 1, text: "cname" })],
      }),
    ],
  }).serialize();
const nack = (ssrc: number, lost: number[]) =>
  new RtcpTransportLayerFeedback({
    feedback: new GenericNack({ senderSsrc: SUBSCRIBER, mediaSourceSsrc: ssrc, lost }),
  }).serialize();
const pli = (ssrc: number) =>
  new RtcpPayloadSpecificFeedback({
    feedback: new PictureLossIndication({ senderSsrc: SUBSCRIBER, mediaSsrc: ssrc }),
  }).serialize();

/** RFC 5104 §4.3.1: FMT 4, media source 0, one FCI entry (SSRC, sequence number) per source. */
function fir(...ssrcs: number[]): Buffer {
  const b = Buffer.alloc(12 + 8 * ssrcs.length);
  b[0] = 0x80 | 4;
  b[1] = 206;
  b.writeUInt16BE(b.length / 4 - 1, 2);
  b.writeUInt32BE(SUBSCRIBER, 4);
  ssrcs.forEach((s, i) => {
    b.writeUInt32BE(s, 12 + 8 * i);
    b[16 + 8 * i] = i + 1;
  });
  return b;
}

describe("RTCP feedback read past werift", () => {
  it("delivers NACKs, PLIs and FIRs of a compound to the tracks they name", () => {
    const router = new RtcpFeedbackRouter();
    const { got, target } = recorder();
    router.add(A, target("a"));
    router.add(B, target("b"));
    const compound = Buffer.concat([
      rr(),
      sdes(),
      nack(A, [100, 101, 105, 117]),
      pli(B),
      fir(B, A),
    ]);
    expect(router.handle(compound)).toBe(true);
    expect(got).toEqual(["a nack 100,101,105,117", "b keyframe", "b keyframe", "a keyframe"]);
    expect(router.handled).toBe(1);
  });

  it("reads NACK entries across the sequence number wrap", () => {
    const router = new RtcpFeedbackRouter();
    const { got, target } = recorder();
    router.add(A, target("a"));
    expect(router.handle(nack(A, [65534, 65535, 0, 1]))).toBe(true);
    expect(got).toEqual(["a nack 65534,65535,0,1"]);
  });

  it("reads receiver reports alone without delivering anything", () => {
    const router = new RtcpFeedbackRouter();
    const { got, target } = recorder();
    router.add(A, target("a"));
    expect(router.handle(Buffer.concat([rr(), sdes()]))).toBe(true);
    expect(got).toEqual([]);
  });

  it("leaves a compound with a sender report, a REMB or a malformed packet to werift, delivering nothing from it", () => {
    const router = new RtcpFeedbackRouter();
    const { got, target } = recorder();
    router.add(A, target("a"));
    const sr = new RtcpSrPacket({
      ssrc: SUBSCRIBER,
      senderInfo: new RtcpSenderInfo({
        ntpTimestamp: 1n,
        rtpTimestamp: 2,
        packetCount: 3,
        octetCount: 4,
      }),
    }).serialize();
    const remb = new RtcpPayloadSpecificFeedback({
      feedback: new ReceiverEstimatedMaxBitrate({
        senderSsrc: SUBSCRIBER,
        mediaSsrc: 0,
        brExp: 1,
        brMantissa: 1000,
        ssrcNum: 1,
        ssrcFeedbacks: [A],
      }),
    }).serialize();
    const truncated = nack(A, [5]).subarray(0, 14);
    const wrongVersion = Buffer.from(pli(A));
    wrongVersion[0] = 0x41;
    const padded = Buffer.from(pli(A));
    padded[0] = (padded[0] as number) | 0x20;
    const shortFeedback = Buffer.from("81cd0001aabbccdd", "hex");
    for (const bad of [sr, remb, truncated, wrongVersion, padded, shortFeedback]) {
      expect(router.handle(Buffer.concat([nack(A, [1]), bad])), bad.toString("hex")).toBe(false);
    }
    expect(router.handle(Buffer.alloc(0))).toBe(false);
    expect(got).toEqual([]);
    expect(router.handled).toBe(0);
  });

  it("drops feedback for a track once it is removed, and only removes the target it was given", () => {
    const router = new RtcpFeedbackRouter();
    const { got, target } = recorder();
    const first = target("first");
    router.add(A, first);
    router.remove(A, target("other"));
    expect(router.handle(pli(A))).toBe(true);
    router.remove(A, first);
    expect(router.handle(pli(A))).toBe(true);
    expect(got).toEqual(["first keyframe"]);
  });
});
