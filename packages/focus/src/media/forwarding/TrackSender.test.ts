import { describe, expect, it } from "vitest";
import { RtpHeader, RtpPacket } from "werift";
import { FakeClock } from "../../util/Clock.ts";
import { type MediaOptions, mediaOptions } from "../defaults.ts";
import { newMediaCounters } from "../MediaCounters.ts";
import { buildVp8Payload, parseVp8 } from "../rtp/vp8.ts";
import type { OutgoingTrack } from "../webrtc/OutgoingTrack.ts";
import { fakeLayer, vp8Packet } from "./forwardingTestSupport.ts";
import { TrackReceiver } from "./TrackReceiver.ts";
import { TrackSender } from "./TrackSender.ts";

interface Sent {
  marker: boolean;
  seq: number;
  ts: number;
  payload: Buffer;
  resend: boolean;
}

function fakeOut() {
  const sent: Sent[] = [];
  let nack: (lost: number[]) => void = () => {};
  let fail: (message: string) => void = () => {};
  const record = (resend: boolean) => (m: boolean, seq: number, ts: number, p: Uint8Array) => {
    sent.push({ marker: m, seq, ts, payload: Buffer.from(p), resend });
    return true;
  };
  const out = {
    kind: "video",
    sendRtp: record(false),
    resendRtp: record(true),
    onKeyframeRequested: () => () => {},
    onSendFailure: (fn: (message: string) => void) => {
      fail = fn;
    },
    onNack: (fn: (lost: number[]) => void) => {
      nack = fn;
      return () => {};
    },
    close: () => {},
  };
  return {
    out: out as unknown as OutgoingTrack,
    sent,
    nack: (lost: number[]) => nack(lost),
    fail: (message: string) => fail(message),
  };
}

const packet = (seq: number, pictureId: number, keyframe: boolean) =>
  vp8Packet(seq, pictureId, keyframe, 1111);

function setup(media: Partial<MediaOptions> = {}) {
  const clock = new FakeClock();
  const counters = newMediaCounters();
  const receiver = new TrackReceiver({
    kind: "video",
    streamId: "s",
    trackId: "t",
    clock,
    media: mediaOptions(media),
    counters,
    appData: {},
  });
  const l = fakeLayer("f", 1111);
  receiver.addLayer(l.layer);
  return { receiver, counters, clock, ...l };
}

const hd = { width: 1280, height: 720 };
const pictureIds = (sent: Sent[]) => sent.map((s) => parseVp8(s.payload)?.pictureId);

describe("TrackSender", () => {
  it("forwards one shared packet to two subscribers with their own picture ids and leaves it unchanged", () => {
    const { receiver, counters, push } = setup({ keyframeReplayMaxAgeMs: 0 });
    const a = fakeOut();
    const b = fakeOut();
    const sa = new TrackSender(receiver, a.out, { width: 1280, height: 720 }, counters, {});
    sa.start();
    push(packet(100, 500, true));
    push(packet(101, 501, false));
    const sb = new TrackSender(receiver, b.out, { width: 1280, height: 720 }, counters, {});
    sb.start();
    const shared = packet(102, 502, true);
    const before = Buffer.from(shared.payload);
    push(shared);
    expect(shared.payload.equals(before)).toBe(true);
    expect(a.sent.map((s) => parseVp8(s.payload)?.pictureId)).toEqual([500, 501, 502]);
    expect(b.sent).toHaveLength(1);
    expect(parseVp8((b.sent[0] as Sent).payload)?.pictureId).toBe(502);
    expect(counters.packetsOut).toBe(4);
  });

  it("sends each packet's own bytes whatever the sizes before it, also past the size of its scratch buffer", () => {
    const { receiver, counters, push } = setup({ keyframeReplayMaxAgeMs: 0 });
    const a = fakeOut();
    new TrackSender(receiver, a.out, hd, counters, {}).start();
    const sizes = [40, 1000, 40, 3000, 1000, 40, 5000, 3000];
    const sent = sizes.map((size, i) => {
      const payload = buildVp8Payload({
        pictureId: 10 + i,
        tl0PicIdx: 3,
        start: true,
        keyframe: i === 0,
        size,
      });
      for (let b = 6; b < payload.length; b++) payload[b] = (b * 7 + i) & 0xff;
      push(
        new RtpPacket(
          new RtpHeader({ sequenceNumber: 40 + i, timestamp: i * 3000, ssrc: 1111, marker: true }),
          payload,
        ),
      );
      return payload;
    });
    expect(a.sent.map((s) => s.payload.length)).toEqual(sent.map((p) => p.length));
    a.sent.forEach((s, i) => {
      // the descriptor carries the rewritten picture id; everything after it is the packet's own
      expect(s.payload.subarray(6).equals((sent[i] as Buffer).subarray(6)), `packet ${i}`).toBe(
        true,
      );
    });
  });

  it("answers a subscriber NACK from the publisher's recent packets with the same bytes it sent", () => {
    const { receiver, counters, push, nacks } = setup();
    const a = fakeOut();
    const s = new TrackSender(receiver, a.out, { width: 1280, height: 720 }, counters, {});
    s.start();
    for (let i = 0; i < 5; i++) push(packet(200 + i, 700 + i, i === 0));
    const lost = a.sent[2] as Sent;
    a.nack([lost.seq]);
    const resent = a.sent.find((x) => x.resend);
    expect(resent).toMatchObject({ seq: lost.seq, ts: lost.ts, marker: lost.marker });
    expect(resent?.payload.equals(lost.payload)).toBe(true);
    expect(s.packetsResent).toBe(1);
    expect(nacks).toEqual([]);
  });

  it("counts a packet its subscriber's connection failed to send as a forwarding error", () => {
    const { receiver, counters } = setup();
    const a = fakeOut();
    new TrackSender(receiver, a.out, { width: 1280, height: 720 }, counters, {});
    a.fail("no SRTP context");
    expect(counters.forwardingErrors).toBe(1);
  });

  it("NACKs the publisher for a packet the focus never received", () => {
    const { receiver, counters, push, nacks } = setup();
    const a = fakeOut();
    const s = new TrackSender(receiver, a.out, { width: 1280, height: 720 }, counters, {});
    s.start();
    push(packet(300, 10, true));
    push(packet(301, 11, false));
    push(packet(303, 13, false)); // 302 lost upstream: NACKed at once
    expect(nacks).toEqual([[302]]);
    const first = (a.sent[0] as Sent).seq;
    a.nack([(first + 2) & 0xffff]);
    expect(nacks).toEqual([[302], [302]]);
    expect(a.sent.some((x) => x.resend)).toBe(false);
  });

  it("starts a new subscriber from the layer's recent keyframe and the packets since, without asking for another", () => {
    const { receiver, counters, clock, push } = setup();
    const a = fakeOut();
    new TrackSender(receiver, a.out, hd, counters, {}).start();
    push(packet(100, 500, true));
    clock.advance(60);
    push(packet(101, 501, false));
    const b = fakeOut();
    const sb = new TrackSender(receiver, b.out, hd, counters, {});
    const plis = counters.plisSent;
    clock.advance(60);
    sb.start();
    expect(pictureIds(b.sent)).toEqual([500, 501]);
    expect((b.sent[1] as Sent).seq).toBe(((b.sent[0] as Sent).seq + 1) & 0xffff);
    push(packet(102, 502, false));
    expect(pictureIds(b.sent)).toEqual([500, 501, 502]);
    expect(counters.keyframesReplayed).toBe(1);
    expect(counters.plisSent).toBe(plis);
  });

  it("asks for a keyframe as soon as a subscription is made and keeps its layer until it starts", () => {
    const { receiver, counters, push } = setup();
    push(packet(99, 499, false)); // the layer arrives; no one receives it yet
    expect(receiver.historyPacket("f", 99)).toBeUndefined();
    const b = fakeOut();
    const sb = new TrackSender(receiver, b.out, hd, counters, {});
    expect(counters.plisSent).toBe(1);
    push(packet(100, 500, true));
    push(packet(101, 501, false));
    expect(b.sent).toHaveLength(0);
    sb.start();
    expect(pictureIds(b.sent)).toEqual([500, 501]);
  });

  it("waits for a new keyframe when the last one is older than keyframeReplayMaxAgeMs", () => {
    const { receiver, counters, clock, push } = setup({ keyframeReplayMaxAgeMs: 300 });
    new TrackSender(receiver, fakeOut().out, hd, counters, {}).start();
    push(packet(100, 500, true));
    clock.advance(301);
    push(packet(101, 501, false));
    const b = fakeOut();
    new TrackSender(receiver, b.out, hd, counters, {}).start();
    push(packet(102, 502, false));
    expect(b.sent).toHaveLength(0);
    push(packet(103, 503, true));
    expect(pictureIds(b.sent)).toEqual([503]);
    expect(counters.keyframesReplayed).toBe(0);
  });

  it("waits for a new keyframe when a packet since the last one is missing", () => {
    const { receiver, counters, push } = setup();
    new TrackSender(receiver, fakeOut().out, hd, counters, {}).start();
    push(packet(100, 500, true));
    push(packet(102, 502, false)); // 101 never arrived
    const b = fakeOut();
    new TrackSender(receiver, b.out, hd, counters, {}).start();
    expect(b.sent).toHaveLength(0);
    push(packet(103, 503, true));
    expect(pictureIds(b.sent)).toEqual([503]);
  });

  it("stops keeping an awaited layer when its subscription ends before it starts", () => {
    const { receiver, counters, push } = setup();
    push(packet(99, 499, false));
    const awaiting = new TrackSender(receiver, fakeOut().out, hd, counters, {});
    push(packet(100, 500, true));
    expect(receiver.historyPacket("f", 100)).toBeDefined();
    awaiting.close();
    push(packet(101, 501, false));
    expect(receiver.historyPacket("f", 101)).toBeUndefined();
  });
});

describe("TrackReceiver fan-out", () => {
  it("still delivers to the other subscribers when one of them throws, and counts it", () => {
    const { receiver, counters, push } = setup();
    const got: number[] = [];
    const sink = (fail: boolean) => ({
      packetArrived: (_rid: string, p: RtpPacket) => {
        if (fail) throw new Error("socket gone");
        got.push(p.header.sequenceNumber);
        return true;
      },
      layersChanged: () => {},
    });
    receiver.addSink(sink(true));
    receiver.addSink(sink(false));
    push(packet(1, 1, true));
    push(packet(2, 2, false));
    expect(got).toEqual([1, 2]);
    expect(receiver.sinkErrors).toBe(2);
    expect(counters.forwardingErrors).toBe(2);
    expect(receiver.lastSinkError).toBe("socket gone");
  });

  const forwardingSink = (forwards: boolean) => ({
    packetArrived: () => forwards,
    layersChanged: () => {},
  });

  it("keeps the last packets of a layer for NACKs, by sequence number", () => {
    const { receiver, push } = setup();
    receiver.addSink(forwardingSink(true));
    push(packet(10, 1, true));
    push(packet(11, 2, false));
    expect(receiver.historyPacket("f", 11)?.header.sequenceNumber).toBe(11);
    expect(receiver.historyPacket("f", 12)).toBeUndefined();
    expect(receiver.historyPacket("h", 11)).toBeUndefined();
    push(packet(10 + mediaOptions().nackCacheSize, 3, false)); // same slot, newer packet
    expect(receiver.historyPacket("f", 10)).toBeUndefined();
  });

  it("keeps no packets of a layer that no subscriber was sent, so its ring is never allocated", () => {
    const { receiver, push } = setup();
    receiver.addSink(forwardingSink(false));
    push(packet(10, 1, true));
    expect(receiver.historyPacket("f", 10)).toBeUndefined();
    receiver.addSink(forwardingSink(true));
    push(packet(11, 2, false));
    expect(receiver.historyPacket("f", 11)?.header.sequenceNumber).toBe(11);
  });
});
