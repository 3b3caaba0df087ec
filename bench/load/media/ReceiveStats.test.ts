import { describe, expect, it } from "vitest";
import { RtpHeader, RtpPacket } from "werift";
import { Histogram } from "../../lib/histogram.ts";
import { writeMarker } from "../synth/marker.ts";
import { vp8FramePayloads } from "../synth/vp8.ts";
import { layerKey, ReceiveStats } from "./ReceiveStats.ts";

function audio(publisher: number, counter: number, sentAt: number): RtpPacket {
  const payload = Buffer.alloc(40);
  writeMarker(payload, 1, { publisher, stream: 0, counter, sentAt });
  return new RtpPacket(new RtpHeader(), payload);
}

describe("ReceiveStats", () => {
  it("knows which publishers' audio and video arrived in the window", () => {
    const s = new ReceiveStats(() => 0);
    s.onRtp(audio(7, 0, 0));
    expect([...s.audioFrom]).toEqual([7]);
    expect(s.videoFrom.size).toBe(0);
    s.reset();
    expect(s.audioFrom.size).toBe(0);
  });

  it("takes a payload's first bytes with its full length and arrival time from the lean path", () => {
    const s = new ReceiveStats(() => 0);
    const head = Buffer.alloc(64);
    writeMarker(head, 1, { publisher: 3, stream: 0, counter: 0, sentAt: 10 });
    s.onPayload(head, 1100, 12.5);
    const snap = s.snapshot();
    expect(snap.bytes).toBe(1112);
    expect(Histogram.from(snap.delay).percentile(0.5)).toBeCloseTo(2.5, 0);
  });

  it("counts gaps in a stream's counter as loss and late packets as out of order", () => {
    let t = 100;
    const s = new ReceiveStats(() => t);
    for (const c of [0, 1, 2, 4, 3, 7]) s.onRtp(audio(1, c, 90));
    const snap = s.snapshot();
    expect(snap.expected).toBe(8);
    expect(snap.lost).toBe(2);
    expect(snap.outOfOrder).toBe(1);
    expect(snap.packets).toBe(6);
    t = 0;
  });

  it("does not count as lost what was sent on a layer while the subscriber was on another", () => {
    const s = new ReceiveStats(() => 1);
    const video = (stream: number, counter: number) => {
      const payload = Buffer.alloc(40);
      writeMarker(payload, 4, { publisher: 2, stream, counter, sentAt: 0 });
      return new RtpPacket(new RtpHeader(), payload);
    };
    for (const c of [10, 11, 12]) s.onRtp(video(2, c)); // layer h
    for (const c of [40, 41]) s.onRtp(video(3, c)); // switched to q
    for (const c of [20, 22]) s.onRtp(video(2, c)); // back on h; 21 lost
    const snap = s.snapshot();
    expect(snap.layerSwitches).toBe(2);
    expect(snap.expected).toBe(3 + 2 + 3);
    expect(snap.lost).toBe(1);
  });

  it("counts a packet that arrives twice once, and notes the duplicate", () => {
    const s = new ReceiveStats(() => 1);
    for (const c of [0, 1, 1, 2, 0]) s.onRtp(audio(1, c, 0));
    const snap = s.snapshot();
    expect(snap.lost).toBe(0);
    expect(snap.duplicates).toBe(2);
    expect(snap.outOfOrder).toBe(0);
  });

  it("measures delay from the send time in the payload", () => {
    const s = new ReceiveStats(() => 105);
    s.onRtp(audio(1, 0, 100));
    s.onRtp(audio(1, 1, 103));
    const d = Histogram.from(s.snapshot().delay);
    expect(d.total).toBe(2);
    expect(d.percentile(0.5)).toBe(2.1);
    expect(d.percentile(1)).toBe(5.1);
  });

  it("notes when the first key frame of each publisher arrived", () => {
    let t = 10;
    const s = new ReceiveStats(() => t);
    const frame = (keyframe: boolean) =>
      vp8FramePayloads(
        { pictureId: 1, keyframe, width: 320, height: 180, bytes: 500, maxPayload: 1000 },
        (i) => ({ publisher: 3, stream: 2, counter: i, sentAt: 0 }),
      )[0]!;
    s.onRtp(new RtpPacket(new RtpHeader(), frame(false)));
    expect(s.firstKeyframeAt.has(3)).toBe(false);
    t = 42;
    s.onRtp(new RtpPacket(new RtpHeader(), frame(true)));
    expect(s.firstKeyframeAt.get(3)).toBe(42);
  });

  it("notes the first key frame per publisher and layer only while watching, from the last clear", () => {
    let t = 10;
    const s = new ReceiveStats(() => t);
    const keyframe = (stream: number) =>
      new RtpPacket(
        new RtpHeader(),
        vp8FramePayloads(
          { pictureId: 1, keyframe: true, width: 320, height: 180, bytes: 500, maxPayload: 1000 },
          (i) => ({ publisher: 3, stream, counter: i, sentAt: 0 }),
        )[0]!,
      );
    s.onRtp(keyframe(1));
    expect(s.layerKeyframeAt.size).toBe(0);
    s.watchLayerKeyframes = true;
    t = 20;
    s.onRtp(keyframe(1));
    t = 30;
    s.onRtp(keyframe(3));
    s.onRtp(keyframe(1));
    expect([...s.layerKeyframeAt]).toEqual([
      [layerKey(3, 1), 20],
      [layerKey(3, 3), 30],
    ]);
    s.layerKeyframeAt.clear();
    t = 40;
    s.onRtp(keyframe(3));
    expect(s.layerKeyframeAt.get(layerKey(3, 3))).toBe(40);
  });

  it("forgets the window on reset but keeps the key frame times", () => {
    const s = new ReceiveStats(() => 1);
    s.onRtp(audio(1, 0, 0));
    s.reset();
    expect(s.snapshot().packets).toBe(0);
  });
});
