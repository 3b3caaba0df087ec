import { describe, expect, it } from "vitest";
import { PacketHistory } from "../rtp/PacketHistory.ts";
import { keptRunFrom, seqAfter } from "./keyframeStart.ts";

function history(seqs: number[], ssrc = 7) {
  const h = new PacketHistory({ slots: 64, keepMs: 1000, maxBytes: 65536, initialBytes: 4096 });
  for (const s of seqs) h.add(ssrc, s, s * 10, false, Buffer.from([s & 0xff]), s);
  return h;
}

describe("keptRunFrom", () => {
  it("gives the kept packets from the keyframe to the newest across the sequence wrap", () => {
    const h = history([65534, 65535, 0, 1]);
    const run = keptRunFrom(h, { ssrc: 7, sequenceNumber: 65534, arrivalMs: 0 }, 1, 64);
    expect(run?.map((p) => p.sequenceNumber)).toEqual([65534, 65535, 0, 1]);
  });

  it("gives nothing when a packet between is missing, of another SSRC, or the run is too long", () => {
    const kf = { ssrc: 7, sequenceNumber: 10, arrivalMs: 0 };
    expect(keptRunFrom(history([10, 12]), kf, 12, 64)).toBeUndefined();
    expect(keptRunFrom(history([10, 11], 8), kf, 11, 64)).toBeUndefined();
    expect(keptRunFrom(history([10, 11, 12]), kf, 12, 2)).toBeUndefined();
    expect(keptRunFrom(history([10, 11, 12]), kf, 12, 3)).toHaveLength(3);
  });
});

describe("seqAfter", () => {
  it("orders sequence numbers across the wrap and not a number after itself", () => {
    expect(seqAfter(1, 65535)).toBe(true);
    expect(seqAfter(65535, 1)).toBe(false);
    expect(seqAfter(5, 5)).toBe(false);
  });
});
