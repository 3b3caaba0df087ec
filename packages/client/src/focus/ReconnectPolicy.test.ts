import { describe, expect, it } from "vitest";
import { DefaultReconnectPolicy } from "./ReconnectPolicy.ts";

const ctx = (attempt: number) => ({ attempt, attemptsOnFocus: 0, reason: "test" });

describe("DefaultReconnectPolicy", () => {
  it("follows the delay table and repeats its last entry", () => {
    const p = new DefaultReconnectPolicy({ delaysMs: [0, 100, 500], jitter: 0, maxAttempts: 6 });
    expect([0, 1, 2, 3, 4, 5].map((a) => p.nextDelayMs(ctx(a)))).toEqual([
      0, 100, 500, 500, 500, 500,
    ]);
  });

  it("gives up after the maximum number of attempts", () => {
    const p = new DefaultReconnectPolicy({ delaysMs: [10], maxAttempts: 2 });
    expect(p.nextDelayMs(ctx(1))).toBeDefined();
    expect(p.nextDelayMs(ctx(2))).toBeUndefined();
  });

  it("spreads each delay by the jitter fraction in both directions", () => {
    const low = new DefaultReconnectPolicy({ delaysMs: [1000], jitter: 0.2, random: () => 0 });
    const high = new DefaultReconnectPolicy({
      delaysMs: [1000],
      jitter: 0.2,
      random: () => 0.999999,
    });
    expect(low.nextDelayMs(ctx(0))).toBe(800);
    expect(high.nextDelayMs(ctx(0))).toBe(1200);
  });

  it("uses the default table when given no options", () => {
    const p = new DefaultReconnectPolicy({ random: () => 0.5 });
    expect(p.nextDelayMs(ctx(0))).toBe(0);
    expect(p.nextDelayMs(ctx(2))).toBe(2000);
    expect(p.attemptsPerFocus).toBe(3);
  });

  it("retries soon after lag refusals from a focus just moved to, once per entry of its table", () => {
    const p = new DefaultReconnectPolicy({
      delaysMs: [5_000],
      jitter: 0,
      notMemberDelaysMs: [500, 1_000],
    });
    const lag = (attemptsOnFocus: number, hangupReason: string, afterSwitch = true) =>
      p.nextDelayMs({ attempt: 3, attemptsOnFocus, reason: "x", hangupReason, afterSwitch });
    expect(lag(1, "not_a_member")).toBe(500);
    expect(lag(2, "focus_not_named")).toBe(1_000);
    expect(lag(3, "not_a_member")).toBe(5_000);
    expect(lag(1, "not_a_member", false)).toBe(5_000);
    expect(lag(1, "capacity")).toBe(5_000);
  });

  it("leaves a silent focus after one attempt and a hanging-up one after three by default", () => {
    const p = new DefaultReconnectPolicy();
    expect(p.attemptsPerSilentFocus).toBe(1);
    expect(p.attemptsPerFocus).toBe(3);
  });

  it("rejects an empty delay table", () => {
    expect(() => new DefaultReconnectPolicy({ delaysMs: [] })).toThrow(TypeError);
  });
});
