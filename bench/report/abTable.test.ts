import { describe, expect, it } from "vitest";
import type { StepResult } from "../runner/results.ts";
import { type AbRun, abTable, median, usable } from "./abTable.ts";

function run(variant: "new" | "base", ppsPerCore: number, extra: Partial<StepResult> = {}): AbRun {
  const result = {
    forwardedPps: 1000,
    sutCores: 1000 / ppsPerCore,
    ppsPerCore,
    loss: 0,
    failures: [],
    delayP50Ms: 1,
    delayP99Ms: 2,
    sutUdpDrops: 0,
    memPerParticipantMiB: 1,
    ...extra,
  } as unknown as StepResult;
  return { variant, x: 5, rep: 0, result, loadAverage: 1 };
}

describe("A/B table", () => {
  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("leaves runs with failed joins or heavy loss out of the medians and says so", () => {
    expect(usable(run("new", 1).result)).toBe(true);
    expect(usable(run("new", 1, { loss: 0.25 }).result)).toBe(false);
    expect(usable(run("new", 1, { failures: ["x"] }).result)).toBe(false);
    const md = abTable(
      [
        run("new", 2000),
        run("base", 1000),
        run("new", 4000),
        run("base", 1000),
        run("new", 9999, { loss: 0.5 }),
      ],
      { scenario: "call", base: "abc", fresh: "def", loadStart: 1, loadEnd: 2 },
    );
    expect(md).toContain("| 5 | new 2/3, base 2/2 | 3000 / 1000 | 3.00× |");
  });

  it("gives each variant's median late join → keyframe and memory per participant", () => {
    const md = abTable(
      [
        run("new", 1000, { lateJoinP50Ms: 100, memPerParticipantMiB: 1.5 }),
        run("base", 1000, { lateJoinP50Ms: 300, memPerParticipantMiB: 3.25 }),
        run("new", 1000, { lateJoinP50Ms: 140, memPerParticipantMiB: 0.5 }),
        run("base", 1000, { lateJoinP50Ms: 250, memPerParticipantMiB: 2.75 }),
        run("new", 1000, { lateJoinP50Ms: 120, memPerParticipantMiB: 9 }),
        run("base", 1000, { lateJoinP50Ms: 275, memPerParticipantMiB: 9 }),
      ],
      { scenario: "call", base: "abc", fresh: "def", loadStart: 1, loadEnd: 2 },
    );
    expect(md).toContain("| – / – | 120 / 275 | 0 / 0 | 1.50 / 3.25 |");
  });
});
