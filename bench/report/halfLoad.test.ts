import { describe, expect, it } from "vitest";
import type { StepResult } from "../runner/results.ts";
import { halfLoadStep, loadBoundSteps, probeAtHalfLoad } from "./halfLoad.ts";

function step(x: number, sutCores: number, loss: number, probeP99?: number): StepResult {
  return {
    scenario: "call",
    target: "focus",
    x,
    sutCores,
    loss,
    forwardedPps: 1000 * x,
    loadSaturated: x >= 30,
    probe:
      probeP99 === undefined
        ? undefined
        : { delayP50Ms: 1, delayP99Ms: probeP99, loss: 0, packets: 100, loopP99Ms: 1 },
  } as StepResult;
}

describe("halfLoadStep", () => {
  it("takes the step under the loss limit whose SUT CPU is closest to half a core", () => {
    const rs = [step(5, 0.2, 0, 2), step(10, 0.45, 0, 3.5), step(25, 0.55, 0.3, 90)];
    const h = halfLoadStep(rs, "call", "focus");
    expect(h?.step.x).toBe(10);
    expect(h?.near).toBe(true);
    expect(probeAtHalfLoad(h)).toBe("3.5 ms (x=10, SUT 0.45 cores)");
  });

  it("says so when no step came near half a core", () => {
    const h = halfLoadStep([step(2, 0.05, 0, 1), step(5, 0.12, 0, 2)], "call", "focus");
    expect(h?.step.x).toBe(5);
    expect(probeAtHalfLoad(h)).toMatch(/no step near 0.5/);
  });

  it("finds nothing for a SUT without a clean step", () => {
    expect(halfLoadStep([step(2, 0.5, 0.5)], "call", "focus")).toBeUndefined();
    expect(probeAtHalfLoad(undefined)).toBe("–");
  });
});

describe("loadBoundSteps", () => {
  it("lists the steps where the load generator was saturated", () => {
    expect(loadBoundSteps([step(10, 0.3, 0), step(30, 0.6, 0)], "call")).toEqual(["x=30 ours"]);
  });

  it("does not take a load-bound step as half load", () => {
    const h = halfLoadStep([step(10, 0.3, 0, 2), step(30, 0.5, 0, 900)], "call", "focus");
    expect(h?.step.x).toBe(10);
  });
});
