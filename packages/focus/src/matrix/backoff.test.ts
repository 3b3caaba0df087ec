import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.ts";

const o = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

describe("backoffDelay", () => {
  it("doubles from the initial delay and stops at the cap", () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((a) => backoffDelay(a, o, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it("takes off at most the jitter share of the delay", () => {
    expect(backoffDelay(3, o, () => 1)).toBe(2000);
    expect(backoffDelay(3, o, () => 0.5)).toBe(3000);
  });

  it("never exceeds the cap with jitter", () => {
    for (let a = 0; a < 40; a++) expect(backoffDelay(a, o)).toBeLessThanOrEqual(30_000);
  });
});
