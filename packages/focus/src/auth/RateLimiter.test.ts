import { describe, expect, it } from "vitest";
import { FakeClock } from "../util/Clock.ts";
import { RateLimiter } from "./RateLimiter.ts";

describe("RateLimiter", () => {
  it("allows a burst, then refuses until time refills the bucket", () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 3, clock });
    expect([1, 2, 3, 4].map(() => limiter.tryTake("@a:hs"))).toEqual([true, true, true, false]);
    clock.advance(499);
    expect(limiter.tryTake("@a:hs")).toBe(false);
    clock.advance(1);
    expect(limiter.tryTake("@a:hs")).toBe(true);
    expect(limiter.tryTake("@a:hs")).toBe(false);
  });

  it("keeps one bucket per user", () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, clock });
    expect(limiter.tryTake("@a:hs")).toBe(true);
    expect(limiter.tryTake("@a:hs")).toBe(false);
    expect(limiter.tryTake("@b:hs")).toBe(true);
  });

  it("never refills above the burst size after a long pause", () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2, clock });
    limiter.tryTake("@a:hs");
    clock.advance(60_000);
    expect([1, 2, 3].map(() => limiter.tryTake("@a:hs"))).toEqual([true, true, false]);
  });
});
