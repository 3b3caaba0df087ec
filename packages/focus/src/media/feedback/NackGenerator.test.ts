import { describe, expect, it } from "vitest";
import { NackGenerator } from "./NackGenerator.ts";

describe("NackGenerator", () => {
  it.each([
    { name: "in-order packets miss nothing", seqs: [1, 2, 3], lost: [] },
    { name: "a gap reports the missing numbers once", seqs: [1, 4, 5], lost: [2, 3] },
    { name: "a gap across the wrap", seqs: [65534, 1], lost: [65535, 0] },
    { name: "a late packet fills its hole and reports nothing", seqs: [1, 3, 2], lost: [2] },
    { name: "a huge jump is a restart, not loss", seqs: [1, 5000], lost: [] },
  ])("$name", ({ seqs, lost }) => {
    const g = new NackGenerator();
    expect(seqs.flatMap((s) => g.packetArrived(s))).toEqual(lost);
  });

  it("forgets a missing packet once it arrives", () => {
    const g = new NackGenerator();
    g.packetArrived(1);
    g.packetArrived(3);
    expect(g.isMissing(2)).toBe(true);
    g.packetArrived(2);
    expect(g.isMissing(2)).toBe(false);
  });
});
