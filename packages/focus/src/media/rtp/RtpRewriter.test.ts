import { describe, expect, it } from "vitest";
import { RtpRewriter } from "./RtpRewriter.ts";
import { buildVp8Payload, parseVp8 } from "./vp8.ts";

interface Input {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  payload: Uint8Array;
  arrivalMs: number;
}

/** Rewrites one packet; its output sequence number and timestamp. */
function map(r: RtpRewriter, p: Input): { sequenceNumber: number; timestamp: number } {
  r.rewrite(p.ssrc, p.sequenceNumber, p.timestamp, p.payload, p.arrivalMs);
  return { sequenceNumber: r.sequenceNumber, timestamp: r.timestamp };
}

const audio = () =>
  new RtpRewriter({
    clockRate: 48000,
    vp8: false,
    initialSequenceNumber: 100,
    initialTimestamp: 1000,
  });

describe("RtpRewriter", () => {
  it.each([
    {
      name: "continues sequence numbers and timestamps of one source",
      input: [
        { ssrc: 1, seq: 5000, ts: 90000, at: 0 },
        { ssrc: 1, seq: 5001, ts: 90960, at: 20 },
      ],
      out: [
        [100, 1000],
        [101, 1960],
      ],
    },
    {
      name: "keeps a gap of the source as a gap (so the subscriber can NACK it)",
      input: [
        { ssrc: 1, seq: 10, ts: 0, at: 0 },
        { ssrc: 1, seq: 12, ts: 1920, at: 40 },
      ],
      out: [
        [100, 1000],
        [102, 2920],
      ],
    },
    {
      name: "continues without a gap after a source change, stepping the timestamp by elapsed time",
      input: [
        { ssrc: 1, seq: 10, ts: 0, at: 0 },
        { ssrc: 1, seq: 11, ts: 960, at: 20 },
        { ssrc: 2, seq: 60000, ts: 777777, at: 40 },
        { ssrc: 2, seq: 60001, ts: 778737, at: 60 },
      ],
      out: [
        [100, 1000],
        [101, 1960],
        [102, 2920],
        [103, 3880],
      ],
    },
    {
      name: "wraps the 16-bit sequence number",
      input: [
        { ssrc: 1, seq: 65535, ts: 0, at: 0 },
        { ssrc: 1, seq: 0, ts: 960, at: 20 },
      ],
      out: [
        [100, 1000],
        [101, 1960],
      ],
    },
    {
      name: "maps a late (reordered) packet of the current source to its own place",
      input: [
        { ssrc: 1, seq: 10, ts: 0, at: 0 },
        { ssrc: 1, seq: 12, ts: 1920, at: 40 },
        { ssrc: 1, seq: 11, ts: 960, at: 41 },
      ],
      out: [
        [100, 1000],
        [102, 2920],
        [101, 1960],
      ],
    },
  ])("$name", ({ input, out }) => {
    const r = audio();
    const got = input.map((p) =>
      map(r, {
        ssrc: p.ssrc,
        sequenceNumber: p.seq,
        timestamp: p.ts,
        payload: new Uint8Array(4),
        arrivalMs: p.at,
      }),
    );
    expect(got.map((h) => [h.sequenceNumber, h.timestamp])).toEqual(out);
  });

  it("wraps the output sequence number from 65535 to 0 across a source change", () => {
    const r = new RtpRewriter({
      clockRate: 90000,
      vp8: false,
      initialSequenceNumber: 65535,
      initialTimestamp: 0,
    });
    map(r, {
      ssrc: 1,
      sequenceNumber: 7,
      timestamp: 0,
      payload: new Uint8Array(2),
      arrivalMs: 0,
    });
    const h = map(r, {
      ssrc: 2,
      sequenceNumber: 300,
      timestamp: 5,
      payload: new Uint8Array(2),
      arrivalMs: 1,
    });
    expect(h.sequenceNumber).toBe(0);
  });

  it.each([
    {
      name: "15-bit picture id continues across a switch",
      pics: [
        [1, 100],
        [2, 101],
        [3, 7000],
      ],
      expected: [500, 501, 502],
    },
    {
      name: "15-bit picture id wraps at 32767",
      pics: [
        [1, 32766],
        [1, 32767],
        [1, 0],
      ],
      expected: [500, 501, 502],
    },
    {
      name: "switch lands exactly on the wrap",
      pics: [
        [1, 10],
        [2, 20],
      ],
      expected: [32767, 0],
      initial: 32767,
    },
  ])("rewrites VP8 picture ids: $name", ({ pics, expected, initial }) => {
    const r = new RtpRewriter({
      clockRate: 90000,
      vp8: true,
      initialSequenceNumber: 0,
      initialTimestamp: 0,
      initialPictureId: initial ?? 500,
    });
    const got = pics.map(([ssrc, pic], i) => {
      const payload = buildVp8Payload({
        pictureId: pic as number,
        tl0PicIdx: i,
        start: true,
        keyframe: true,
        size: 12,
      });
      map(r, {
        ssrc: ssrc as number,
        sequenceNumber: i * 3,
        timestamp: i * 3000,
        payload,
        arrivalMs: i * 33,
      });
      return parseVp8(payload)?.pictureId;
    });
    expect(got).toEqual(expected);
  });

  it("continues TL0PICIDX across a switch and wraps it at 255", () => {
    const r = new RtpRewriter({
      clockRate: 90000,
      vp8: true,
      initialSequenceNumber: 0,
      initialTimestamp: 0,
    });
    const tl0s: number[] = [];
    for (const [ssrc, tl0] of [
      [1, 254],
      [1, 255],
      [2, 3],
      [2, 4],
    ] as const) {
      const payload = buildVp8Payload({
        pictureId: 1,
        tl0PicIdx: tl0,
        start: true,
        keyframe: false,
        size: 12,
      });
      map(r, { ssrc, sequenceNumber: tl0, timestamp: tl0, payload, arrivalMs: 0 });
      tl0s.push(parseVp8(payload)?.tl0PicIdx ?? -1);
    }
    expect(tl0s).toEqual([254, 255, 0, 1]);
  });

  it("finds the source packet of an output sequence number in the current epoch only", () => {
    const r = audio();
    map(r, {
      ssrc: 1,
      sequenceNumber: 10,
      timestamp: 0,
      payload: new Uint8Array(2),
      arrivalMs: 0,
    });
    map(r, {
      ssrc: 2,
      sequenceNumber: 500,
      timestamp: 0,
      payload: new Uint8Array(2),
      arrivalMs: 1,
    });
    map(r, {
      ssrc: 2,
      sequenceNumber: 503,
      timestamp: 0,
      payload: new Uint8Array(2),
      arrivalMs: 2,
    });
    expect(r.sourceOf(102)).toEqual({ ssrc: 2, sequenceNumber: 501 });
    expect(r.sourceOf(100)).toBeUndefined();
    expect(r.sourceOf(200)).toBeUndefined();
  });
});
