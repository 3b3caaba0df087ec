import { describe, expect, it } from "vitest";
import { carried, carriesInFull, referencePerCall } from "./saturation.ts";

const rule = { lossLimit: 0.01, fullShare: 0.97, delayP50LimitMs: 100 };
const step = (calls: number, perCall: number, loss = 0, failedJoins = 0) => ({
  calls,
  forwardedPps: calls * perCall,
  loss,
  failedJoins,
});

describe("carriesInFull", () => {
  it("accepts a step that forwards every call's packets without loss", () => {
    expect(carriesInFull(step(10, 1320), 1320, rule)).toBe(true);
  });

  it("rejects a step that lost 1% or more", () => {
    expect(carriesInFull(step(10, 1320, 0.01), 1320, rule)).toBe(false);
  });

  it("rejects a step in which a join failed", () => {
    expect(carriesInFull(step(10, 1320, 0, 1), 1320, rule)).toBe(false);
  });

  it("rejects a step that forwards under 97% of the reference packets per call", () => {
    expect(carriesInFull(step(10, 1270), 1320, rule)).toBe(false);
    expect(carriesInFull(step(10, 1290), 1320, rule)).toBe(true);
  });

  it("rejects a step whose median packet waited in a standing queue, though none was lost", () => {
    expect(carriesInFull({ ...step(10, 1400), delayP50Ms: 1082 }, 1320, rule)).toBe(false);
    expect(carriesInFull({ ...step(10, 1320), delayP50Ms: 8 }, 1320, rule)).toBe(true);
  });

  it("rejects a step that failed outright", () => {
    expect(carriesInFull({ calls: 10 }, 1320, rule)).toBe(false);
  });
});

describe("carried", () => {
  it("takes the most calls and packets of the full steps, the first step as reference", () => {
    const r = carried([step(6, 1320), step(12, 1330), step(14, 1250), step(16, 900, 0.3)], rule);
    expect(r).toEqual({ calls: 12, pps: 12 * 1330, reachedLimit: true });
  });

  it("says when no step reached the limit, so the figures are lower bounds", () => {
    expect(carried([step(6, 1320), step(8, 1321)], rule).reachedLimit).toBe(false);
  });

  it("carries nothing when every step failed", () => {
    expect(carried([{ calls: 6 }, { calls: 8 }], rule)).toEqual({
      calls: 0,
      pps: 0,
      reachedLimit: true,
    });
  });
});

describe("referencePerCall", () => {
  it("is the packets per call of the first step that ran", () => {
    expect(referencePerCall([{ calls: 6 }, step(8, 1320), step(10, 1200)])).toBe(1320);
    expect(referencePerCall([{ calls: 6 }])).toBe(0);
  });
});
