import { describe, expect, it } from "vitest";
import { MARKER_SIZE, readMarker, writeMarker } from "./marker.ts";
import { isVp8KeyframeStart, vp8FramePayloads } from "./vp8.ts";

describe("bench marker", () => {
  it("reads back what was written, wherever it sits in the payload", () => {
    const buf = Buffer.alloc(64);
    const m = { publisher: 7, stream: 2, counter: 123_456, sentAt: 98_765.4321 };
    writeMarker(buf, 17, m);
    expect(readMarker(buf)).toEqual(m);
  });

  it("finds nothing in a payload without a marker", () => {
    expect(readMarker(Buffer.alloc(MARKER_SIZE + 10))).toBeUndefined();
  });
});

describe("synthetic VP8", () => {
  const spec = { pictureId: 300, keyframe: true, width: 640, height: 360, bytes: 2500 };
  const marker = (i: number) => ({ publisher: 1, stream: 1, counter: i, sentAt: 1 });

  it("cuts a frame into packets no larger than the limit that carry its bytes", () => {
    const parts = vp8FramePayloads({ ...spec, maxPayload: 1000 }, marker);
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1000);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBeGreaterThanOrEqual(2500);
    expect(parts.map((p) => readMarker(p)?.counter)).toEqual([0, 1, 2]);
  });

  it("marks only the first packet of a key frame as a key frame start", () => {
    const key = vp8FramePayloads({ ...spec, maxPayload: 1000 }, marker);
    const inter = vp8FramePayloads({ ...spec, keyframe: false, maxPayload: 1000 }, marker);
    expect(key.map(isVp8KeyframeStart)).toEqual([true, false, false]);
    expect(inter.map(isVp8KeyframeStart)).toEqual([false, false, false]);
  });

  it("writes the key frame start code and the size", () => {
    const [first] = vp8FramePayloads({ ...spec, maxPayload: 1000 }, marker);
    expect(first!.subarray(7, 10)).toEqual(Buffer.from([0x9d, 0x01, 0x2a]));
    expect(first!.readUInt16LE(10)).toBe(640);
    expect(first!.readUInt16LE(12)).toBe(360);
  });
});

describe("SyntheticPublisher.offerForRemote", async () => {
  const { SyntheticPublisher } = await import("../media/SyntheticPublisher.ts");
  const offer = [
    "v=0",
    "m=audio 9 X 111",
    "a=ssrc:1 cname:x",
    "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
    "m=video 9 X 96",
    "a=ssrc:2 cname:x",
    "a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:mid",
    "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
    "",
  ].join("\r\n");
  const out = SyntheticPublisher.offerForRemote(offer);

  it("gives each header extension URI one id across all sections", () => {
    expect(out.match(/a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid/g)).toHaveLength(2);
    expect(out).toContain("a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
  });

  it("drops the ssrc of the simulcast video section only", () => {
    expect(out).toContain("a=ssrc:1 cname:x");
    expect(out).not.toContain("a=ssrc:2");
  });
});
