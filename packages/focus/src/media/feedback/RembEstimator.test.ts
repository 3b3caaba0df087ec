import { describe, expect, it } from "vitest";
import { FakeClock } from "../../util/Clock.ts";
import { RembEstimator } from "./RembEstimator.ts";

describe("RembEstimator", () => {
  const opts = { initialBps: 2_000_000, maxBps: 8_000_000, headroom: 1.5, windowMs: 1000 };

  it("starts at the configured floor before anything arrives", () => {
    expect(new RembEstimator(new FakeClock(), opts).estimate()).toBe(2_000_000);
  });

  it("rises above the floor with what arrives, with headroom", () => {
    const clock = new FakeClock();
    const e = new RembEstimator(clock, opts);
    for (let i = 0; i < 100; i++) {
      e.bytesArrived(3750); // 100 * 3750 B in 1 s = 3 Mb/s
      clock.advance(10);
    }
    clock.advance(1);
    e.bytesArrived(0);
    expect(e.estimate()).toBeCloseTo(4_500_000, -5);
  });

  it("never exceeds the configured maximum", () => {
    const clock = new FakeClock();
    const e = new RembEstimator(clock, opts);
    e.bytesArrived(10_000_000);
    clock.advance(1000);
    expect(e.estimate()).toBe(8_000_000);
  });
});
